/**
 * The `securemfa-tools` program (commander), built like the provider CLIs (STYLE B.8): a factory
 * that declares the commands, pure command functions that receive parsed options and the I/O,
 * and core's `runProgram` as the one place that maps errors to exit codes
 * (0 ok, 1 operational failure, 2 configuration or usage error).
 *
 * ```
 * securemfa-tools users list [--locked] [--disabled] [--json]
 * securemfa-tools users show UPN [--json]
 * securemfa-tools users new UPN [--secret B32] [--email A] [--mobile N] [--no-qr] [--json]
 * securemfa-tools users disable|enable|unlock UPN [--json]
 * securemfa-tools users reset UPN [--new-secret [--secret B32]] [--no-qr] [--yes] [--json]
 * securemfa-tools users delete UPN [--yes] [--json]
 * securemfa-tools users export --out FILE [--decrypt] [--force] [--json]
 * securemfa-tools users import FILE [--skip-existing] [--skip-invalid] [--dry-run] [--yes] [--json]
 * securemfa-tools store rekey [--new-passphrase-file F] [--old-passphrase-file F] [--yes] [--json]
 * securemfa-tools store check [--json]
 * securemfa-tools ad-schema status|extend [--bind-dn DN --bind-password-file F] [--data-dn DN] [--yes] [--json]
 * ```
 * Every command also takes `-c, --config FILE` and `--provider ID`.
 *
 * @module program
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { runProgram } from '@securemfa/core/cli';
import { registerAdSchema } from './commands/ad-schema.js';
import { registerStoreCheck } from './commands/store-check.js';
import { registerStoreRekey } from './commands/store-rekey.js';
import { registerUsersDelete } from './commands/users-delete.js';
import { registerUsersExport } from './commands/users-export.js';
import { registerUsersImport } from './commands/users-import.js';
import { registerUsersList } from './commands/users-list.js';
import { registerUsersNew } from './commands/users-new.js';
import { registerUsersReset } from './commands/users-reset.js';
import { registerUsersShow } from './commands/users-show.js';
import { registerUsersState } from './commands/users-state.js';
import { processToolsIo, type ToolsIo } from './tools-io.js';

/** The CLI's name. */
export const BIN = 'securemfa-tools';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/**
 * Build the program.
 *
 * @param io - CLI I/O (tests pass `memoryToolsIo()`)
 * @returns the commander program
 */
export function createSupportToolsProgram(io: ToolsIo): Command {
  const program = new Command(BIN)
    .description('SecureMFA support tools: user management and store maintenance')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 failure, 2 configuration or usage error.\n' +
        'Config file: -c FILE, else $SECUREMFA_CONFIG, else the one provider file in this folder.',
    );
  const users = program.command('users').description('manage the OTP records of users');
  registerUsersList(users, io);
  registerUsersShow(users, io);
  registerUsersNew(users, io);
  registerUsersState(users, io);
  registerUsersReset(users, io);
  registerUsersDelete(users, io);
  registerUsersExport(users, io);
  registerUsersImport(users, io);
  const store = program.command('store').description('maintain the store: re-encrypt, check');
  registerStoreRekey(store, io);
  registerStoreCheck(store, io);
  registerAdSchema(program, io);
  return program;
}

/**
 * Run the CLI and return its exit code (never calls `process.exit`).
 *
 * @param argv - `process.argv` shape (node, script, …args)
 * @param io - CLI I/O (default: the real process)
 * @returns 0, 1 or 2
 * @example
 * ```ts
 * process.exitCode = await runSupportTools(process.argv);
 * ```
 */
export async function runSupportTools(
  argv: readonly string[],
  io: ToolsIo = processToolsIo(),
): Promise<number> {
  const program = createSupportToolsProgram(io);
  if (argv.length <= 2) {
    io.err(program.helpInformation());
    return 2;
  }
  return runProgram(program, argv, io);
}
