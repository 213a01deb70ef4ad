/**
 * The offline cache file: every synced user's entry in one win-otp envelope (purpose
 * `offline-cache`), so the file is encrypted at rest and tamper-evident as a whole — a changed
 * byte, a truncated file, a file from another passphrase or a captured portal message planted
 * in its place is refused (`ERR_CRYPTO_TAMPERED`), never half-read.
 *
 * Writes are atomic (temporary file + rename, mode 0600) and serialised by a lock file, so two
 * logons at once (PAM runs one agent per attempt) do not lose a failure count.
 *
 * @see seed 004 "Data which received in HTTP message and later stored locally for offline use is always encrypted and validated against tampering"
 * @module offline
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SecureMfaError, winMessageRejected, type WinEnvelope } from '@securemfa/core';
import type { OfflineEntry } from './offline-verify.js';

/** What the file holds, as JSON. */
const FORMAT = 'securemfa-win-otp-offline-cache';
/** How long a lock is waited for before giving up. */
const LOCK_WAIT_MS = 5000;
/** A lock older than this was left by a crashed process. */
const STALE_LOCK_MS = 30_000;
const LOCK_POLL_MS = 20;

/** Options of {@link createOfflineCache}. */
export interface OfflineCacheOptions {
  /** The cache file (absolute). */
  file: string;
  /** The envelope of data_encryption_passphrase. */
  envelope: WinEnvelope;
}

/** Entries by lower-cased UPN. */
export type OfflineEntries = Map<string, OfflineEntry>;

/** The offline cache. */
export interface OfflineCache {
  readonly file: string;
  /**
   * All entries; empty when there is no file.
   *
   * @throws {CryptoError} ERR_CRYPTO_TAMPERED when the file is altered or from another passphrase
   */
  read(): Promise<OfflineEntries>;
  /**
   * Change the entries under the lock and write them back when `mutate` says so.
   *
   * @param mutate - gets the entries, returns `{ result, changed }`
   * @param options - `replaceTampered`: start from no entries when the file is refused (sync)
   * @returns what `mutate` returned as result
   * @throws {CryptoError} ERR_CRYPTO_TAMPERED (unless replaceTampered)
   */
  update<T>(
    mutate: (
      entries: OfflineEntries,
    ) => { result: T; changed: boolean } | Promise<{ result: T; changed: boolean }>,
    options?: { replaceTampered?: boolean },
  ): Promise<T>;
  /** Delete the file (uninstall). */
  remove(): Promise<void>;
}

function isEntry(v: unknown): v is OfflineEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  const int = (x: unknown): boolean => typeof x === 'number' && Number.isSafeInteger(x);
  return (
    typeof e.upn === 'string' &&
    e.upn.length > 0 &&
    e.upn.length <= 256 &&
    typeof e.secret === 'string' &&
    /^[A-Z2-7]{16,256}=*$/.test(e.secret) &&
    int(e.step) &&
    (e.step as number) > 0 &&
    (e.digits === 6 || e.digits === 7 || e.digits === 8) &&
    (e.algorithm === 'SHA1' || e.algorithm === 'SHA256' || e.algorithm === 'SHA512') &&
    int(e.laststep) &&
    int(e.synced_at) &&
    int(e.expires_at) &&
    int(e.failed_count) &&
    (e.failed_count as number) >= 0 &&
    (e.failed_last === null || int(e.failed_last))
  );
}

/**
 * Open (lazily) the offline cache of a file.
 *
 * @param options - file and envelope
 * @returns the cache
 * @example
 * ```ts
 * const cache = createOfflineCache({ file: '/etc/securemfa/SecureMfaWinOtp.offline', envelope });
 * const entries = await cache.read();
 * ```
 */
export function createOfflineCache(options: OfflineCacheOptions): OfflineCache {
  const { file, envelope } = options;
  const lockFile = `${file}.lock`;

  const parse = (text: string): OfflineEntries => {
    let outer: unknown;
    try {
      outer = JSON.parse(text);
    } catch {
      throw winMessageRejected('offline cache: not JSON');
    }
    const o = outer as Record<string, unknown> | null;
    if (
      typeof o !== 'object' ||
      o === null ||
      o.format !== FORMAT ||
      typeof o.envelope !== 'string'
    ) {
      throw winMessageRejected('offline cache: not a cache file');
    }
    const inner = envelope.open('offline-cache', o.envelope);
    if (inner.v !== 1 || !Array.isArray(inner.entries) || !inner.entries.every(isEntry)) {
      throw winMessageRejected('offline cache: bad entries');
    }
    const entries: OfflineEntries = new Map();
    for (const e of inner.entries as OfflineEntry[]) entries.set(e.upn.toLowerCase(), e);
    return entries;
  };

  const readEntries = async (): Promise<OfflineEntries> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw err;
    }
    return parse(text);
  };

  const write = async (entries: OfflineEntries): Promise<void> => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const sealed = envelope.seal('offline-cache', { v: 1, entries: [...entries.values()] });
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify({ format: FORMAT, envelope: sealed })}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await chmod(tmp, 0o600);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  };

  const withLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const h = await open(lockFile, 'wx', 0o600);
        await h.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const age = await stat(lockFile).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > STALE_LOCK_MS) await rm(lockFile, { force: true });
        else if (Date.now() > deadline) {
          throw new SecureMfaError(`the offline cache is locked by another process (${lockFile})`, {
            hint: `if no other securemfa-win-otp runs, remove ${lockFile}`,
          });
        } else await sleep(LOCK_POLL_MS);
      }
    }
    try {
      return await fn();
    } finally {
      await rm(lockFile, { force: true });
    }
  };

  return {
    file,
    read: readEntries,
    update: (mutate, opts = {}) =>
      withLock(async () => {
        let entries: OfflineEntries;
        try {
          entries = await readEntries();
        } catch (err) {
          if (opts.replaceTampered !== true) throw err;
          entries = new Map();
        }
        const { result, changed } = await mutate(entries);
        if (changed) await write(entries);
        return result;
      }),
    async remove() {
      await rm(file, { force: true });
      await rm(lockFile, { force: true });
    },
  };
}
