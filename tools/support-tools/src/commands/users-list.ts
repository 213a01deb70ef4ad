/**
 * `users list [--locked] [--disabled] [--json]`: every user with an OTP record, as a table
 * (upn, enabled, enrolled, last logon, logons, failures, locked until) or JSON. "Locked" is
 * computed with core's lockout policy and the configuration's ui_login_failures /
 * ui_lockout_minutes at the current time. The two filters combine: both = locked and disabled.
 *
 * @module commands/users-list
 */
import type { Command } from 'commander';
import { printJson } from '@securemfa/core/cli';
import { withConfig, withJson, type CommonOptions } from '../command-options.js';
import { allUsers } from '../iterate-users.js';
import { formatTime, userSummary, type UserSummary } from '../record-view.js';
import { renderTable } from '../table.js';
import { withContext } from '../tools-context.js';
import type { ToolsIo } from '../tools-io.js';

/** Options of {@link usersList}. */
export interface UsersListOptions extends CommonOptions {
  locked?: boolean;
  disabled?: boolean;
}

/**
 * List the users.
 *
 * @param options - filters, json, config
 * @param io - CLI I/O
 * @returns the rows printed
 */
export async function usersList(options: UsersListOptions, io: ToolsIo): Promise<UserSummary[]> {
  return withContext(options, io, async (ctx) => {
    const now = io.now();
    const rows: UserSummary[] = [];
    for await (const record of allUsers(ctx.store)) {
      const row = userSummary(record, ctx.policy, now);
      if (options.locked === true && row.lockedUntil === null) continue;
      if (options.disabled === true && row.enabled) continue;
      rows.push(row);
    }
    if (options.json === true) {
      printJson(io, rows);
      return rows;
    }
    if (rows.length > 0) {
      io.out(
        renderTable(
          ['UPN', 'ENABLED', 'ENROLLED', 'LAST LOGON', 'LOGONS', 'FAILURES', 'LOCKED UNTIL'],
          rows.map((r) => [
            r.upn,
            r.enabled ? 'yes' : 'no',
            r.enrolled ? 'yes' : 'pending',
            formatTime(r.lastlogon),
            String(r.logoncount),
            String(r.failedlogoncount),
            formatTime(r.lockedUntil),
          ]),
        ),
      );
    }
    const filters = [
      options.locked === true ? 'locked' : '',
      options.disabled === true ? 'disabled' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    io.err(
      `${rows.length} ${filters === '' ? '' : `${filters} `}user${rows.length === 1 ? '' : 's'} in ${ctx.storeName}\n`,
    );
    return rows;
  });
}

/**
 * Register `users list`.
 *
 * @param users - the `users` command
 * @param io - CLI I/O
 */
export function registerUsersList(users: Command, io: ToolsIo): void {
  withJson(
    withConfig(
      users
        .command('list')
        .description('list the users with an OTP record')
        .option('--locked', 'only users locked out now (ui_login_failures / ui_lockout_minutes)')
        .option('--disabled', 'only users whose OTP account is disabled'),
    ),
  ).action(async (opts: UsersListOptions) => {
    await usersList(opts, io);
  });
}
