/**
 * `store check [--json]`: read every record and report those that are broken — a secret in no
 * known format, one that does not decrypt with the configured passphrase (or legacy salt), one
 * that decrypts to something that is not a TOTP key, impossible field values — without ever
 * printing a secret. Records that work but should be rewritten (legacy format, plain while
 * data_encryption is on) are listed as notes; `store rekey` fixes them. Exit code 1 when any
 * record is broken.
 *
 * @module commands/store-check
 */
import type { Command } from 'commander';
import { ExitError, printJson } from '@securemfa/core/cli';
import type { UserRecord } from '@securemfa/core';
import { withConfig, withJson, type CommonOptions } from '../command-options.js';
import { allUsers } from '../iterate-users.js';
import { startProgress } from '../progress.js';
import { secretState } from '../record-view.js';
import { renderTable } from '../table.js';
import { withContext, type ToolsContext } from '../tools-context.js';
import type { ToolsIo } from '../tools-io.js';

/** One finding. */
export interface CheckFinding {
  upn: string;
  /** `problem`: the record is broken; `note`: it works but should be rewritten. */
  severity: 'problem' | 'note';
  message: string;
}

/** Result of {@link storeCheck}. */
export interface StoreCheckResult {
  store: string;
  checked: number;
  problems: number;
  notes: number;
  findings: CheckFinding[];
}

const validDate = (d: Date | null): boolean =>
  d === null || (d instanceof Date && !Number.isNaN(d.getTime()));

/** Every finding of one record. */
function checkRecord(ctx: ToolsContext, r: UserRecord): CheckFinding[] {
  const out: CheckFinding[] = [];
  const problem = (message: string): void =>
    void out.push({ upn: r.upn, severity: 'problem', message });
  if (r.upn.trim() === '') problem('the UPN is empty');
  const s = secretState(r.secret, ctx.cipher);
  if (!s.usable) problem(`secret ${s.problem ?? 'is not usable'}`);
  else {
    let needs = false;
    try {
      needs = ctx.cipher.needsReencrypt(r.secret);
    } catch {
      needs = false;
    }
    if (needs) {
      out.push({
        upn: r.upn,
        severity: 'note',
        message:
          s.format === 'legacy'
            ? 'secret is in the legacy format: run `store rekey` to rewrite it in v2'
            : s.format === 'plain'
              ? 'secret is stored in plain text while data_encryption is on: run `store rekey`'
              : 'secret is v2 with another iteration count (or encrypted while data_encryption is off): `store rekey` rewrites it',
      });
    }
  }
  if (r.logon !== 0 && r.logon !== 1) problem(`logon is ${String(r.logon)}, expected 0 or 1`);
  for (const [name, v] of [
    ['logoncount', r.logoncount],
    ['failedlogoncount', r.failedlogoncount],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0)
      problem(`${name} is ${String(v)}, expected an integer ≥ 0`);
  }
  if (!Number.isSafeInteger(r.laststep) || r.laststep < -1) {
    problem(`laststep is ${String(r.laststep)}, expected an integer ≥ -1`);
  }
  for (const [name, d] of [
    ['created', r.created],
    ['lastlogon', r.lastlogon],
    ['failedlastlogon', r.failedlastlogon],
  ] as const) {
    if (!validDate(d)) problem(`${name} is not a valid time`);
  }
  if (r.logon === 1 && r.laststep < 0) {
    out.push({
      upn: r.upn,
      severity: 'note',
      message:
        'logon is 1 but no step was ever accepted (laststep -1): carried over from another system?',
    });
  }
  return out;
}

/**
 * Check every record.
 *
 * @param options - json, config
 * @param io - CLI I/O
 * @returns the findings
 * @throws {ExitError} 1 when a record is broken
 */
export async function storeCheck(options: CommonOptions, io: ToolsIo): Promise<StoreCheckResult> {
  const result = await withContext(options, io, async (ctx) => {
    const total = await ctx.store.count();
    const progress = startProgress(io, 'check', total);
    const findings: CheckFinding[] = [];
    let checked = 0;
    for await (const r of allUsers(ctx.store)) {
      findings.push(...checkRecord(ctx, r));
      checked += 1;
      progress.update(checked);
    }
    progress.done();
    return {
      store: ctx.storeName,
      checked,
      problems: new Set(findings.filter((f) => f.severity === 'problem').map((f) => f.upn)).size,
      notes: findings.filter((f) => f.severity === 'note').length,
      findings,
    };
  });
  if (options.json === true) printJson(io, result);
  else {
    if (result.findings.length > 0) {
      io.out(
        renderTable(
          ['UPN', 'SEVERITY', 'FINDING'],
          result.findings.map((f) => [
            f.upn,
            f.severity === 'problem' ? 'PROBLEM' : 'note',
            f.message,
          ]),
        ),
      );
    }
    io.out(
      `checked ${result.checked} record${result.checked === 1 ? '' : 's'} in ${result.store}: ${result.problems} broken, ${result.notes} note${result.notes === 1 ? '' : 's'}\n`,
    );
  }
  if (result.problems > 0) throw new ExitError(1);
  return result;
}

/**
 * Register `store check`.
 *
 * @param store - the `store` command
 * @param io - CLI I/O
 */
export function registerStoreCheck(store: Command, io: ToolsIo): void {
  withJson(
    withConfig(
      store
        .command('check')
        .description('find records that do not decrypt or are malformed (never prints a secret)'),
    ),
  ).action(async (opts: CommonOptions) => {
    await storeCheck(opts, io);
  });
}
