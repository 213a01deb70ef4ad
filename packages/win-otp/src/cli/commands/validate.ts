/**
 * `securemfa-win-otp validate --user U [--code C] [--rhost H] [--json]` and
 * `securemfa-win-otp sync --user U [--code C] [--json]`: the code from `--code` or standard
 * input. Exit 0 accepted (synced), 1 rejected or failed, 2 usage or configuration error.
 *
 * @module cli
 */
import type { Command } from 'commander';
import { printJson, type CliIo } from '@securemfa/core/cli';
import { reasonText } from '../../reason-text.js';
import {
  exitWith,
  readCode,
  usageError,
  withAgent,
  type CommonOptions,
  type WinOtpCliDeps,
} from '../cli-context.js';

interface CodeOptions extends CommonOptions {
  user: string;
  code?: string;
  rhost?: string;
  json?: boolean;
}

/** Run `fn`, turning an unusable user name into a usage error. */
async function checkedUser<T>(io: CliIo, user: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof TypeError && /user name/.test(err.message)) {
      usageError(io, `--user: ${err.message}`, 'give the account name (user or user@domain)');
    }
    throw err;
  }
}

/**
 * `validate`: online first, offline when the portal is unreachable.
 *
 * @param options - parsed options
 * @param io - CLI I/O
 * @param deps - injected clock
 * @returns the exit code
 */
export async function validateCommand(
  options: CodeOptions,
  io: CliIo,
  deps: WinOtpCliDeps,
): Promise<number> {
  return withAgent(options, io, deps, async (agent) => {
    const code = await readCode(io, options.code);
    const r = await checkedUser(io, options.user, () =>
      agent.validate(options.user, code, { rhost: options.rhost }),
    );
    if (options.json === true) {
      printJson(io, {
        ok: r.ok,
        upn: r.upn,
        mode: r.mode,
        ...(r.ok ? {} : { reason: r.reason, message: reasonText(r.reason, r.lockedUntil) }),
        ...(!r.ok && r.lockedUntil !== undefined
          ? { lockedUntil: r.lockedUntil.toISOString() }
          : {}),
      });
    } else if (r.ok) {
      io.out(`accepted (${r.mode}): ${r.upn}\n`);
    } else {
      io.out(
        `rejected (${r.mode}): ${r.upn}: ${r.reason}: ${reasonText(r.reason, r.lockedUntil)}\n`,
      );
      if (r.detail !== undefined) io.err(`note: ${r.detail}\n`);
    }
    return r.ok ? 0 : 1;
  });
}

/**
 * `sync`: a valid code fetches the user's secret for offline logons.
 *
 * @param options - parsed options
 * @param io - CLI I/O
 * @param deps - injected clock
 * @returns the exit code
 */
export async function syncCommand(
  options: CodeOptions,
  io: CliIo,
  deps: WinOtpCliDeps,
): Promise<number> {
  return withAgent(options, io, deps, async (agent) => {
    const code = await readCode(io, options.code);
    const r = await checkedUser(io, options.user, () => agent.sync(options.user, code));
    if (options.json === true) {
      printJson(
        io,
        r.ok
          ? { ok: true, upn: r.upn, expiresAt: r.expiresAt.toISOString() }
          : { ok: false, upn: r.upn, reason: r.reason, message: reasonText(r.reason) },
      );
    } else if (r.ok) {
      io.out(`synced for offline logons: ${r.upn} (until ${r.expiresAt.toISOString()})\n`);
    } else {
      io.out(`sync failed: ${r.upn}: ${r.reason}: ${reasonText(r.reason)}\n`);
      if (r.detail !== undefined) io.err(`note: ${r.detail}\n`);
    }
    return r.ok ? 0 : 1;
  });
}

/**
 * Declare `validate` and `sync`.
 *
 * @param program - the program
 * @param io - CLI I/O
 * @param deps - injected dependencies
 */
export function registerCodeCommands(program: Command, io: CliIo, deps: WinOtpCliDeps): void {
  program
    .command('validate')
    .description(
      'validate a user’s code: online against the portal, offline when it is unreachable',
    )
    .requiredOption('--user <name>', 'the user (joined with anchordnsname unless it has a domain)')
    .option('--code <code>', 'the code (default: read from standard input)')
    .option('--rhost <host>', 'the remote client of the session, for the portal’s log')
    .option('--json', 'print the result as JSON')
    .option('-c, --config-file <file>', 'the agent config file')
    .action(async (opts: CodeOptions) => exitWith(await validateCommand(opts, io, deps)));
  program
    .command('sync')
    .description('with a valid code, store the user’s secret (encrypted) for offline logons')
    .requiredOption('--user <name>', 'the user (joined with anchordnsname unless it has a domain)')
    .option('--code <code>', 'the code (default: read from standard input)')
    .option('--json', 'print the result as JSON')
    .option('-c, --config-file <file>', 'the agent config file')
    .action(async (opts: CodeOptions) => exitWith(await syncCommand(opts, io, deps)));
}
