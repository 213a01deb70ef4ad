/**
 * `users import FILE [--skip-existing] [--skip-invalid] [--dry-run] [--yes] [--json]`: load
 * records written by `users export` (JSON lines).
 *
 * Nothing is lost:
 * - every line is checked before anything is written; a bad line is reported with its number and
 *   every problem on it, and then nothing is imported (unless `--skip-invalid`: the good lines are,
 *   and the exit code is still 1);
 * - an encrypted secret must decrypt with this configuration's passphrase (else it would be
 *   unusable here); plain secrets (from `--decrypt`) are encrypted when the store encrypts;
 * - overwriting records that already exist asks first (unless `--yes`, or `--skip-existing`); a
 *   record that appears while the import runs is never overwritten without that confirmation;
 * - a record the store refuses (in AD mode: no AD user with the UPN) is reported with its line
 *   number; the others are still imported.
 *
 * What is restored: every field of the line, exactly — upn, secret (as exported), enabled,
 * logon, lastlogon, logoncount, failedlogoncount, failedlastlogon, failedcode, logonip,
 * useragent, laststep, email, mobile and created — each record in one atomic write
 * (`UserStore.restore`), so an import into a live store never leaves a half-written record. Two
 * rules of the store apply: an existing record keeps its UPN spelling, and its reuse guard
 * (laststep) never goes back for the same secret.
 *
 * @module commands/users-import
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  EventId,
  isSecureMfaError,
  SecureMfaError,
  decodeSecret,
  upnKey,
  type RestoreOutcome,
  type UserRecord,
} from '@securemfa/core';
import { ExitError, printJson } from '@securemfa/core/cli';
import { withConfig, withJson, withYes, type CommonOptions } from '../command-options.js';
import { confirm } from '../confirm.js';
import { startProgress } from '../progress.js';
import { parseRecordLine, type ImportRecord } from '../record-line.js';
import { withContext, type ToolsContext } from '../tools-context.js';
import type { ToolsIo } from '../tools-io.js';

/** Options of {@link usersImport}. */
export interface UsersImportOptions extends CommonOptions {
  skipExisting?: boolean;
  skipInvalid?: boolean;
  dryRun?: boolean;
}

/** A line that cannot be imported. */
export interface BadLine {
  line: number;
  upn?: string | undefined;
  problems: string[];
}

/** Result of {@link usersImport}. */
export interface UsersImportResult {
  file: string;
  /** Records in the file. */
  records: number;
  imported: number;
  /** Of those imported, how many replaced an existing record. */
  overwritten: number;
  skippedExisting: number;
  invalid: BadLine[];
  /** Records the store refused while writing. */
  failed: BadLine[];
  dryRun: boolean;
}

interface Candidate {
  line: number;
  record: ImportRecord;
  /** The value to store. */
  stored: string;
  exists: boolean;
}

/** Largest file read (a record is ~600 bytes: about 1.5 million records). */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;

function usable(ctx: ToolsContext, r: ImportRecord): { stored: string } | { problem: string } {
  let plain: string;
  if (r.secretFormat === 'plain') plain = r.secret;
  else {
    try {
      plain = ctx.cipher.decrypt(r.secret);
    } catch (err) {
      return {
        problem: isSecureMfaError(err, 'ERR_CRYPTO_FORMAT')
          ? `"secret" is encrypted (${r.secretFormat}) but ${ctx.file} has no data_encryption_passphrase`
          : `"secret" (${r.secretFormat}) does not decrypt with the data_encryption_passphrase of ${ctx.file}; export with the same passphrase, or with --decrypt`,
      };
    }
  }
  try {
    decodeSecret(plain);
  } catch {
    return { problem: '"secret" is not a TOTP key of 10–64 bytes' };
  }
  if (r.secretFormat === 'plain') return { stored: ctx.cipher.encrypt(r.secret) };
  // Encrypted values are kept as they are (still encrypted); `store rekey` rewrites legacy ones.
  return { stored: r.secret };
}

/** The record a line restores (its `created` defaults to the time of the import). */
function toRecord(c: Candidate, now: Date): UserRecord {
  const { record: r } = c;
  return {
    upn: r.upn,
    secret: c.stored,
    enabled: r.enabled,
    logon: r.logon,
    lastlogon: r.lastlogon,
    logoncount: r.logoncount,
    failedlogoncount: r.failedlogoncount,
    failedlastlogon: r.failedlastlogon,
    failedcode: r.failedcode,
    logonip: r.logonip,
    useragent: r.useragent,
    laststep: r.laststep,
    email: r.email,
    mobile: r.mobile,
    created: r.created ?? now,
  };
}

/**
 * Write one record. Only a record that existed when the operator confirmed is overwritten; one
 * that appeared since is left alone (`exists`).
 */
async function restore(ctx: ToolsContext, c: Candidate, now: Date): Promise<RestoreOutcome> {
  return ctx.store.restore(toRecord(c, now), { overwrite: c.exists });
}

/**
 * Import records.
 *
 * @param file - the JSON-lines file
 * @param options - skipExisting, skipInvalid, dryRun, yes, json, config
 * @param io - CLI I/O
 * @returns what was done
 * @throws {ExitError} 1 when lines were invalid or records failed
 */
export async function usersImport(
  file: string,
  options: UsersImportOptions,
  io: ToolsIo,
): Promise<UsersImportResult> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.byteLength > MAX_FILE_BYTES) {
      throw new SecureMfaError(`${file} is larger than ${MAX_FILE_BYTES} bytes`, {
        hint: 'split it (each line is one record) and import the parts',
      });
    }
    text = bytes.toString('utf8');
  } catch (err) {
    if (err instanceof SecureMfaError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new SecureMfaError(`cannot read ${file} (${code ?? String(err)})`, {
      hint: 'check the path and that this user may read it',
      cause: err,
    });
  }

  const result = await withContext(options, io, async (ctx) => {
    const invalid: BadLine[] = [];
    const candidates: Candidate[] = [];
    const seen = new Map<string, number>();
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i += 1) {
      const raw = lines[i]!.replace(/\r$/, '');
      if (raw.trim() === '') continue;
      const line = i + 1;
      const parsed = parseRecordLine(raw);
      if (!parsed.ok) {
        invalid.push({ line, problems: parsed.problems });
        continue;
      }
      const r = parsed.record;
      const key = upnKey(r.upn);
      const first = seen.get(key);
      if (first !== undefined) {
        invalid.push({ line, upn: r.upn, problems: [`${r.upn} is already on line ${first}`] });
        continue;
      }
      seen.set(key, line);
      const u = usable(ctx, r);
      if ('problem' in u) {
        invalid.push({ line, upn: r.upn, problems: [u.problem] });
        continue;
      }
      candidates.push({ line, record: r, stored: u.stored, exists: false });
    }
    const records = candidates.length + invalid.length;
    for (const bad of invalid) {
      for (const p of bad.problems) io.err(`${file}:${bad.line}: ${p}\n`);
    }
    const base = { file: path, records, invalid, dryRun: options.dryRun === true };
    if (invalid.length > 0 && options.skipInvalid !== true) {
      io.err(
        `error: ${invalid.length} of ${records} line${records === 1 ? '' : 's'} cannot be imported; nothing was imported\n` +
          'hint: fix the lines named above, or pass --skip-invalid to import the others\n',
      );
      return { ...base, imported: 0, overwritten: 0, skippedExisting: 0, failed: [] };
    }

    for (const c of candidates) c.exists = (await ctx.store.get(c.record.upn)) !== undefined;
    const existing = candidates.filter((c) => c.exists);
    let todo = candidates;
    if (existing.length > 0 && options.skipExisting === true) {
      todo = candidates.filter((c) => !c.exists);
    }
    if (options.dryRun === true) {
      return {
        ...base,
        imported: 0,
        overwritten: 0,
        skippedExisting: candidates.length - todo.length,
        failed: [],
      };
    }
    const overwriting = todo.filter((c) => c.exists).length;
    if (overwriting > 0) {
      await confirm(
        io,
        `overwrite ${overwriting} existing record${overwriting === 1 ? '' : 's'} in ${ctx.storeName} (every field replaced: secret, enabled, counters, times)`,
        options.yes,
      );
    }

    const failed: BadLine[] = [];
    const progress = startProgress(io, 'import', todo.length);
    let imported = 0;
    let overwritten = 0;
    let skippedLate = 0;
    const now = io.now();
    for (let i = 0; i < todo.length; i += 1) {
      const c = todo[i]!;
      try {
        const outcome = await restore(ctx, c, now);
        if (outcome === 'exists') {
          // Created by someone else after the check: not confirmed for overwriting.
          if (options.skipExisting === true) skippedLate += 1;
          else {
            failed.push({
              line: c.line,
              upn: c.record.upn,
              problems: [
                'a record for this user was created while the import ran; it was left alone (import again to overwrite it)',
              ],
            });
          }
        } else {
          imported += 1;
          if (outcome === 'replaced') overwritten += 1;
        }
      } catch (err) {
        // A programming error is not a refused record.
        if (!(err instanceof SecureMfaError) && !(err instanceof TypeError)) throw err;
        failed.push({ line: c.line, upn: c.record.upn, problems: [err.message] });
      }
      progress.update(i + 1);
    }
    progress.done();
    for (const f of failed) io.err(`${file}:${f.line}: ${f.upn ?? ''}: ${f.problems.join('; ')}\n`);
    ctx.logger.event(
      failed.length === 0 ? EventId.ProviderSuccess : EventId.ProviderFailure,
      'support tools: users imported',
      {
        action: 'users import',
        store: ctx.storeName,
        count: imported,
        overwritten,
        failed: failed.length,
        file: path,
      },
    );
    return {
      ...base,
      imported,
      overwritten,
      skippedExisting: candidates.length - todo.length + skippedLate,
      failed,
    };
  });

  if (options.json === true) printJson(io, result);
  else {
    const parts = [
      `${result.dryRun ? 'dry run: would import' : 'imported'} ${result.dryRun ? result.records - result.invalid.length - result.skippedExisting : result.imported} of ${result.records} record${result.records === 1 ? '' : 's'}`,
      result.overwritten > 0 ? `${result.overwritten} overwritten` : '',
      result.skippedExisting > 0 ? `${result.skippedExisting} existing skipped` : '',
      result.invalid.length > 0 ? `${result.invalid.length} invalid` : '',
      result.failed.length > 0 ? `${result.failed.length} failed` : '',
    ].filter(Boolean);
    io.out(`${parts.join(', ')}\n`);
  }
  if (result.invalid.length > 0 || result.failed.length > 0) throw new ExitError(1);
  return result;
}

/**
 * Register `users import`.
 *
 * @param users - the `users` command
 * @param io - CLI I/O
 */
export function registerUsersImport(users: Command, io: ToolsIo): void {
  withYes(
    withJson(
      withConfig(
        users
          .command('import')
          .description('load records from a `users export` file (JSON lines)')
          .argument('<file>', 'the JSON-lines file')
          .option('--skip-existing', 'leave users that already have a record alone')
          .option(
            '--skip-invalid',
            'import the valid lines even when some are invalid (exit code 1)',
          )
          .option('--dry-run', 'check every line and report, write nothing'),
      ),
    ),
  ).action(async (file: string, opts: UsersImportOptions) => {
    await usersImport(file, opts, io);
  });
}
