/**
 * `users reset UPN [--new-secret [--secret B32]] [--no-qr] [--yes] [--json]`: re-enrolment.
 *
 * - Without `--new-secret` (the originals' "Reset"): logon = 0 and the reuse guard cleared, so
 *   the provider shows the enrolment QR code again at the user's next logon; the secret stays.
 * - With `--new-secret`: a new secret (the app's old entry stops working at once), counters
 *   cleared, and its otpauth URI and QR code printed here.
 *
 * Asks for confirmation unless `--yes`.
 *
 * @module commands/users-reset
 */
import type { Command } from 'commander';
import { EventId } from '@securemfa/core';
import { printJson } from '@securemfa/core/cli';
import { withConfig, withJson, withYes, type CommonOptions } from '../command-options.js';
import { confirm } from '../confirm.js';
import { printEnrolment } from '../print-enrolment.js';
import { secretToEnrol } from '../secret-option.js';
import { noRecord, UsageError } from '../tool-errors.js';
import { withContext } from '../tools-context.js';
import type { ToolsIo } from '../tools-io.js';

/** Options of {@link usersReset}. */
export interface UsersResetOptions extends CommonOptions {
  newSecret?: boolean;
  secret?: string;
  qr?: boolean;
}

/**
 * Reset a user's enrolment.
 *
 * @param upn - the user
 * @param options - newSecret, secret, qr, yes, json, config
 * @param io - CLI I/O
 * @throws {StoreError} ERR_STORE_NOT_FOUND when the user has no record
 */
export async function usersReset(
  upn: string,
  options: UsersResetOptions,
  io: ToolsIo,
): Promise<void> {
  if (options.secret !== undefined && options.newSecret !== true) {
    throw new UsageError('--secret needs --new-secret', {
      hint: `run \`securemfa-tools users reset ${upn} --new-secret --secret …\``,
    });
  }
  const secret = options.newSecret === true ? secretToEnrol(options.secret) : undefined;
  await withContext(options, io, async (ctx) => {
    const record = await ctx.store.get(upn);
    if (record === undefined) throw noRecord(upn, ctx.storeName);
    if (secret === undefined) {
      await confirm(
        io,
        `reset the enrolment of ${record.upn} (the QR code is shown again at the next logon)`,
        options.yes,
      );
      if (!(await ctx.store.resetLogon(upn))) throw noRecord(upn, ctx.storeName);
      ctx.logger.event(EventId.ProviderSuccess, 'support tools: enrolment reset', {
        upn: record.upn,
        action: 'users reset',
        store: ctx.storeName,
      });
      if (options.json === true) printJson(io, { upn: record.upn, reset: true, newSecret: false });
      else io.out(`reset ${record.upn}: the enrolment QR code is shown again at the next logon\n`);
      return;
    }
    await confirm(
      io,
      `give ${record.upn} a new secret (the authenticator app's current entry stops working)`,
      options.yes,
    );
    const enrolled = await ctx.store.enrol(upn, ctx.cipher.encrypt(secret), io.now());
    ctx.logger.event(EventId.ProviderSuccess, 'support tools: new secret issued', {
      upn: enrolled.upn,
      action: 'users reset --new-secret',
      store: ctx.storeName,
    });
    await printEnrolment(io, ctx.config, enrolled.upn, secret, {
      json: options.json,
      qr: options.qr,
      headline: `reset ${enrolled.upn} with a new secret`,
    });
  });
}

/**
 * Register `users reset`.
 *
 * @param users - the `users` command
 * @param io - CLI I/O
 */
export function registerUsersReset(users: Command, io: ToolsIo): void {
  withYes(
    withJson(
      withConfig(
        users
          .command('reset')
          .description('re-enrol a user: the QR code is shown again at the next logon')
          .argument('<upn>', 'userPrincipalName')
          .option('--new-secret', 'also issue a new secret and print its QR code here')
          .option('--secret <base32>', 'with --new-secret: use this secret')
          .option('--no-qr', 'with --new-secret: print the otpauth URI only'),
      ),
    ),
  ).action(async (upn: string, opts: UsersResetOptions) => {
    await usersReset(upn, opts, io);
  });
}
