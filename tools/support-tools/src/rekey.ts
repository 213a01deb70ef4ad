/**
 * Re-encrypt every secret of a store (`store rekey`): under a new passphrase, and/or from the
 * originals' legacy format (or plain, when data_encryption is on) to v2.
 *
 * Safe to interrupt, resumable, nothing lost:
 * - each record is rewritten on its own with the store's compare-and-swap
 *   `replaceSecret(upn, expected, next)`, which replaces the value only if it is still the one
 *   read — a record changed meanwhile (a user re-enrolled by a provider node) is read again, never
 *   overwritten with stale data;
 * - the new value is decrypted again (by a separate cipher instance, no cache) and compared with
 *   the plain secret before it is written, so a value that would not decrypt is never stored;
 * - a run that stopped half way leaves some records under the old passphrase and some under the
 *   new one. Running the same command again classifies each value by trying the new passphrase
 *   first, then the old one: values already under the new passphrase (and in v2 with the current
 *   iteration count) are counted as done and left alone; the rest are rewritten. A value neither
 *   passphrase opens is reported and left untouched.
 *
 * @module rekey
 */
import { detectFormat, type SecretCipher, type UserStore } from '@securemfa/core';
import { allUsers } from './iterate-users.js';

/** What happened to one record. */
export type RekeyOutcome =
  /** rewritten now */
  | 'rewritten'
  /** already under the new passphrase in the current format (an earlier, interrupted run) */
  | 'done'
  /** plain while data_encryption is off: left plain */
  | 'plain'
  /** neither passphrase decrypts it, or it is in no known format: left untouched */
  | 'failed'
  /** deleted while the rekey ran */
  | 'gone';

/** A record that could not be rewritten. */
export interface RekeyFailure {
  upn: string;
  reason: string;
}

/** Result of {@link rekeyStore}. */
export interface RekeyResult {
  total: number;
  rewritten: number;
  done: number;
  plain: number;
  gone: number;
  failures: RekeyFailure[];
}

/** Options of {@link rekeyStore}. */
export interface RekeyOptions {
  store: UserStore;
  /** Reads values under the current (configured) passphrase. */
  oldCipher: SecretCipher;
  /** Writes (and reads) values under the new passphrase (created with `enabled: true`). */
  newCipher: SecretCipher;
  /** Encrypt plain values too (data_encryption is on, or AD mode); else they stay plain. */
  encryptPlain: boolean;
  /** A second instance of the new cipher, with no decrypt cache, to check each new value. */
  verifier: SecretCipher;
  /** Called after each record (progress). */
  onRecord?: (outcome: RekeyOutcome, processed: number) => void | Promise<void>;
}

/** How often a record changed by someone else is read again before it is reported. */
const MAX_ATTEMPTS = 5;

type Plan =
  | { kind: 'write'; plain: string }
  | { kind: 'skip'; outcome: 'done' | 'plain' }
  | { kind: 'fail'; reason: string };

function tryDecrypt(cipher: SecretCipher, stored: string): string | undefined {
  try {
    return cipher.decrypt(stored);
  } catch {
    return undefined;
  }
}

/** Decide what to do with one stored value. */
function plan(stored: string, o: RekeyOptions): Plan {
  const format = detectFormat(stored);
  if (format === undefined) {
    return { kind: 'fail', reason: 'the stored secret is in no known format' };
  }
  if (format === 'plain') {
    return o.encryptPlain ? { kind: 'write', plain: stored } : { kind: 'skip', outcome: 'plain' };
  }
  // New passphrase first: after an interrupted run, what it opens is (mostly) already done.
  const underNew = tryDecrypt(o.newCipher, stored);
  if (underNew !== undefined) {
    return o.newCipher.needsReencrypt(stored)
      ? { kind: 'write', plain: underNew }
      : { kind: 'skip', outcome: 'done' };
  }
  const underOld = tryDecrypt(o.oldCipher, stored);
  if (underOld !== undefined) return { kind: 'write', plain: underOld };
  return {
    kind: 'fail',
    reason: `the ${format} secret decrypts with neither the old nor the new passphrase (or the legacy salt is wrong)`,
  };
}

/**
 * Re-encrypt every record.
 *
 * @param options - store, ciphers, progress callback
 * @returns counts and failures (a failure never changes the record)
 */
export async function rekeyStore(options: RekeyOptions): Promise<RekeyResult> {
  const { store, newCipher, verifier } = options;
  const result: RekeyResult = { total: 0, rewritten: 0, done: 0, plain: 0, gone: 0, failures: [] };
  for await (const first of allUsers(store)) {
    result.total += 1;
    let outcome: RekeyOutcome | undefined;
    let record: typeof first | undefined = first;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && outcome === undefined; attempt += 1) {
      if (record === undefined) {
        outcome = 'gone';
        break;
      }
      const p = plan(record.secret, options);
      if (p.kind === 'skip') {
        outcome = p.outcome;
      } else if (p.kind === 'fail') {
        outcome = 'failed';
        result.failures.push({ upn: record.upn, reason: p.reason });
      } else {
        const next = newCipher.encrypt(p.plain);
        if (tryDecrypt(verifier, next) !== p.plain) {
          // Never reached with a sound cipher; if it were, writing would lose the secret.
          outcome = 'failed';
          result.failures.push({
            upn: record.upn,
            reason: 'the re-encrypted value did not decrypt back: not written',
          });
        } else if (await store.replaceSecret(record.upn, record.secret, next)) {
          outcome = 'rewritten';
        } else {
          // Changed (or deleted) since it was read: read it again.
          record = await store.get(record.upn);
        }
      }
    }
    if (outcome === undefined) {
      outcome = 'failed';
      result.failures.push({
        upn: first.upn,
        reason: `it changed ${MAX_ATTEMPTS} times while being rewritten; run the rekey again`,
      });
    }
    if (outcome === 'rewritten') result.rewritten += 1;
    else if (outcome === 'done') result.done += 1;
    else if (outcome === 'plain') result.plain += 1;
    else if (outcome === 'gone') result.gone += 1;
    await options.onRecord?.(outcome, result.total);
  }
  return result;
}
