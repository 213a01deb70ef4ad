/**
 * `users new UPN [--secret B32] [--email A] [--mobile N] [--no-qr] [--json]`: enrol a user —
 * a new random secret (or the one given), stored encrypted when data_encryption is on (always in
 * AD mode) — and print the otpauth URI and a terminal QR code to scan. A user who already has a
 * record is refused (use `users reset --new-secret`).
 *
 * @module commands/users-new
 */
import type { Command } from 'commander';
import { EventId, StoreError } from '@securemfa/core';
import { withConfig, withJson, type CommonOptions } from '../command-options.js';
import { printEnrolment } from '../print-enrolment.js';
import { secretToEnrol } from '../secret-option.js';
import { withContext } from '../tools-context.js';
import type { ToolsIo } from '../tools-io.js';

/** Options of {@link usersNew}. */
export interface UsersNewOptions extends CommonOptions {
  secret?: string;
  email?: string;
  mobile?: string;
  /** false with `--no-qr`. */
  qr?: boolean;
}

/**
 * Enrol a new user.
 *
 * @param upn - the user
 * @param options - secret, profile, qr, json, config
 * @param io - CLI I/O
 * @throws {StoreError} ERR_STORE_CONFLICT when the user already has a record; in AD mode
 *   ERR_STORE_NOT_FOUND when no AD user has the UPN
 * @throws {UsageError} for a malformed `--secret`
 */
export async function usersNew(upn: string, options: UsersNewOptions, io: ToolsIo): Promise<void> {
  const secret = secretToEnrol(options.secret);
  await withContext(options, io, async (ctx) => {
    if ((await ctx.store.get(upn)) !== undefined) {
      throw new StoreError(
        'ERR_STORE_CONFLICT',
        `${upn} already has an OTP record in ${ctx.storeName}`,
        {
          hint: `to give them a new secret run \`securemfa-tools users reset ${upn} --new-secret\``,
        },
      );
    }
    const record = await ctx.store.enrol(upn, ctx.cipher.encrypt(secret), io.now(), {
      ...(options.email === undefined ? {} : { email: options.email }),
      ...(options.mobile === undefined ? {} : { mobile: options.mobile }),
    });
    ctx.logger.event(EventId.ProviderSuccess, 'support tools: user enrolled', {
      upn: record.upn,
      action: 'users new',
      store: ctx.storeName,
    });
    await printEnrolment(io, ctx.config, record.upn, secret, {
      json: options.json,
      qr: options.qr,
      headline: `enrolled ${record.upn} in ${ctx.storeName}`,
    });
  });
}

/**
 * Register `users new`.
 *
 * @param users - the `users` command
 * @param io - CLI I/O
 */
export function registerUsersNew(users: Command, io: ToolsIo): void {
  withJson(
    withConfig(
      users
        .command('new')
        .description('enrol a user: new secret, otpauth URI and QR code')
        .argument('<upn>', 'userPrincipalName')
        .option('--secret <base32>', 'use this secret instead of a new random one')
        .option('--email <address>', 'e-mail address kept with the record')
        .option('--mobile <number>', 'mobile number kept with the record')
        .option('--no-qr', 'print the otpauth URI only, no QR code'),
    ),
  ).action(async (upn: string, opts: UsersNewOptions) => {
    await usersNew(upn, opts, io);
  });
}
