/**
 * `users show UPN [--json]`: one user's record — every field but the secret, of which only the
 * format and whether it decrypts are shown — and the lockout state now.
 *
 * @module commands/users-show
 */
import type { Command } from 'commander';
import { printJson } from '@securemfa/core/cli';
import { withConfig, withJson, type CommonOptions } from '../command-options.js';
import { formatTime, userDetails, type UserDetails } from '../record-view.js';
import { noRecord } from '../tool-errors.js';
import { withContext } from '../tools-context.js';
import type { ToolsIo } from '../tools-io.js';

/**
 * Show one user.
 *
 * @param upn - the user
 * @param options - json, config
 * @param io - CLI I/O
 * @returns what was printed
 * @throws {StoreError} ERR_STORE_NOT_FOUND when the user has no record (exit code 1)
 */
export async function usersShow(
  upn: string,
  options: CommonOptions,
  io: ToolsIo,
): Promise<UserDetails> {
  return withContext(options, io, async (ctx) => {
    const record = await ctx.store.get(upn);
    if (record === undefined) throw noRecord(upn, ctx.storeName);
    const d = userDetails(record, ctx.policy, io.now(), ctx.cipher);
    if (options.json === true) {
      printJson(io, d);
      return d;
    }
    const text = (v: string | null): string => (v === null || v === '' ? '-' : v);
    const lines: [string, string][] = [
      ['upn', d.upn],
      ['enabled', d.enabled ? 'yes' : 'no (disabled by support)'],
      ['enrolled', d.enrolled ? 'yes' : 'pending (the QR code is shown at the next logon)'],
      ['created', formatTime(d.created)],
      ['last logon', formatTime(d.lastlogon)],
      ['logons', String(d.logoncount)],
      ['last ip', text(d.logonip)],
      ['user agent', text(d.useragent)],
      ['failures', String(d.failedlogoncount)],
      ['last failure', formatTime(d.failedlastlogon)],
      ['failed code', text(d.failedcode)],
      [
        'locked',
        d.lockedUntil !== null
          ? `until ${formatTime(d.lockedUntil)}`
          : d.attemptsLeft === null
            ? 'no (lockout is off)'
            : `no (${d.attemptsLeft} attempt${d.attemptsLeft === 1 ? '' : 's'} left)`,
      ],
      ['last step', String(d.laststep)],
      ['email', text(d.email)],
      ['mobile', text(d.mobile)],
      [
        'secret',
        d.secret.usable
          ? `${d.secret.format}, usable`
          : `${d.secret.format}, NOT usable: ${d.secret.problem ?? ''}`,
      ],
    ];
    const width = Math.max(...lines.map(([k]) => k.length));
    for (const [k, v] of lines) io.out(`${k.padEnd(width)}  ${v}\n`);
    return d;
  });
}

/**
 * Register `users show`.
 *
 * @param users - the `users` command
 * @param io - CLI I/O
 */
export function registerUsersShow(users: Command, io: ToolsIo): void {
  withJson(
    withConfig(
      users
        .command('show')
        .description("show one user's OTP record (never the secret)")
        .argument('<upn>', 'userPrincipalName'),
    ),
  ).action(async (upn: string, opts: CommonOptions) => {
    await usersShow(upn, opts, io);
  });
}
