/**
 * `users delete UPN [--yes] [--json]`: remove a user's OTP record (in AD mode: clear the
 * `sMFA-OTP-*` attributes; the AD user object stays). The user must enrol again afterwards.
 * Asks for confirmation unless `--yes`.
 *
 * @module commands/users-delete
 */
import type { Command } from 'commander';
import { EventId } from '@securemfa/core';
import { printJson } from '@securemfa/core/cli';
import { withConfig, withJson, withYes, type CommonOptions } from '../command-options.js';
import { confirm } from '../confirm.js';
import { noRecord } from '../tool-errors.js';
import { withContext } from '../tools-context.js';
import type { ToolsIo } from '../tools-io.js';

/**
 * Delete a user's record.
 *
 * @param upn - the user
 * @param options - yes, json, config
 * @param io - CLI I/O
 * @throws {StoreError} ERR_STORE_NOT_FOUND when the user has no record
 */
export async function usersDelete(upn: string, options: CommonOptions, io: ToolsIo): Promise<void> {
  await withContext(options, io, async (ctx) => {
    const record = await ctx.store.get(upn);
    if (record === undefined) throw noRecord(upn, ctx.storeName);
    await confirm(
      io,
      `delete the OTP record of ${record.upn} (they must enrol again)`,
      options.yes,
    );
    if (!(await ctx.store.delete(upn))) throw noRecord(upn, ctx.storeName);
    ctx.logger.event(EventId.ProviderSuccess, 'support tools: OTP record deleted', {
      upn: record.upn,
      action: 'users delete',
      store: ctx.storeName,
    });
    if (options.json === true) printJson(io, { upn: record.upn, deleted: true });
    else
      io.out(
        ctx.storeOptions.kind === 'ad'
          ? `deleted the OTP record of ${record.upn} (its sMFA-OTP-* attributes were cleared; the AD user is kept)\n`
          : `deleted the OTP record of ${record.upn}\n`,
      );
  });
}

/**
 * Register `users delete`.
 *
 * @param users - the `users` command
 * @param io - CLI I/O
 */
export function registerUsersDelete(users: Command, io: ToolsIo): void {
  withYes(
    withJson(
      withConfig(
        users
          .command('delete')
          .description("delete a user's OTP record (they must enrol again)")
          .argument('<upn>', 'userPrincipalName'),
      ),
    ),
  ).action(async (upn: string, opts: CommonOptions) => {
    await usersDelete(upn, opts, io);
  });
}
