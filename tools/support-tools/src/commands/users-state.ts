/**
 * `users disable UPN`, `users enable UPN`, `users unlock UPN`: the support switches. Disable
 * turns the OTP account off (the provider answers `disabled`); enable turns it back on; unlock
 * clears the failure counter (a lockout ends at once). Each is idempotent.
 *
 * @module commands/users-state
 */
import type { Command } from 'commander';
import { EventId } from '@securemfa/core';
import { printJson } from '@securemfa/core/cli';
import { withConfig, withJson, type CommonOptions } from '../command-options.js';
import { noRecord } from '../tool-errors.js';
import { withContext } from '../tools-context.js';
import type { ToolsIo } from '../tools-io.js';

/** The three switches. */
export type StateAction = 'disable' | 'enable' | 'unlock';

const DONE: Readonly<Record<StateAction, string>> = {
  disable: 'disabled',
  enable: 'enabled',
  unlock: 'unlocked',
};

/**
 * Apply a switch.
 *
 * @param action - disable, enable or unlock
 * @param upn - the user
 * @param options - json, config
 * @param io - CLI I/O
 * @throws {StoreError} ERR_STORE_NOT_FOUND when the user has no record
 */
export async function usersState(
  action: StateAction,
  upn: string,
  options: CommonOptions,
  io: ToolsIo,
): Promise<void> {
  await withContext(options, io, async (ctx) => {
    const found =
      action === 'unlock'
        ? await ctx.store.unlock(upn)
        : await ctx.store.setEnabled(upn, action === 'enable');
    if (!found) throw noRecord(upn, ctx.storeName);
    ctx.logger.event(EventId.ProviderSuccess, `support tools: user ${DONE[action]}`, {
      upn,
      action: `users ${action}`,
      store: ctx.storeName,
    });
    if (options.json === true) printJson(io, { upn, action, ok: true });
    else io.out(`${DONE[action]} ${upn}\n`);
  });
}

/**
 * Register `users disable`, `users enable` and `users unlock`.
 *
 * @param users - the `users` command
 * @param io - CLI I/O
 */
export function registerUsersState(users: Command, io: ToolsIo): void {
  const describe: Readonly<Record<StateAction, string>> = {
    disable: "disable a user's OTP account (sign-ins answer 'disabled')",
    enable: "enable a user's OTP account again",
    unlock: 'end a lockout: clear the failed-logon counter',
  };
  for (const action of ['disable', 'enable', 'unlock'] as const) {
    withJson(
      withConfig(
        users.command(action).description(describe[action]).argument('<upn>', 'userPrincipalName'),
      ),
    ).action(async (upn: string, opts: CommonOptions) => {
      await usersState(action, upn, opts, io);
    });
  }
}
