/**
 * The `securemfa-win-otp` program (commander, core's runProgram / exit codes / injected I/O):
 *
 * ```
 * securemfa-win-otp install   [--anchordnsname D] --api-endpoint URL [--api-timeout MS] [--sspr-url URL]
 *                             [--rdp-only [true|false]] [--totp-offline-secret-valid-days N]
 *                             [--totp-offline-ui-login-failures N] [--totp-offline-ui-lockout-minutes N]
 *                             (--data-encryption-passphrase P | --data-encryption-passphrase-file F|-)
 *                             (--api-headers-value V | --api-headers-value-file F|-)
 *                             [--api-proxy-enable [true|false]] [--api-proxy-server H] [--api-proxy-port N]
 *                             [--verboselog [true|false]] [--pam-service S] [--pam-install] [--pam-dir D] [--dry-run]
 * securemfa-win-otp validate  --user U [--code C] [--rhost H] [--json]
 * securemfa-win-otp sync      --user U [--code C] [--json]
 * securemfa-win-otp pam                               (pam_exec expose_authtok)
 * securemfa-win-otp status    [--json]
 * securemfa-win-otp uninstall
 * every command: -c, --config-file F
 * ```
 *
 * Exit codes: 0 accepted / done, 1 rejected or failed, 2 usage or configuration error.
 *
 * @module cli
 */
import { Command } from 'commander';
import { processIo, runProgram, type CliIo } from '@securemfa/core/cli';
import { CONFIG_FILE_ENV, defaultConfigFile } from '../config/config-file.js';
import { AGENT_VERSION } from '../version.js';
import type { WinOtpCliDeps } from './cli-context.js';
import { registerInstallCommand } from './commands/install.js';
import { registerPamCommand } from './commands/pam.js';
import { registerStatusCommand } from './commands/status.js';
import { registerUninstallCommand } from './commands/uninstall.js';
import { registerCodeCommands } from './commands/validate.js';

/**
 * Build the program.
 *
 * @param io - CLI I/O (tests pass core's `memoryIo()`)
 * @param deps - injected clock, platform, PAM command, CA
 * @returns the program
 */
export function createWinOtpProgram(io: CliIo, deps: WinOtpCliDeps = {}): Command {
  const program = new Command('securemfa-win-otp')
    .description(
      'SecureMFA workstation agent: validates codes against the portal (encrypted, replay-protected), offline cache, Linux PAM',
    )
    .version(AGENT_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `\nExit codes: 0 accepted or done, 1 rejected or failed, 2 usage or configuration error.\nConfig file: --config-file F, else $${CONFIG_FILE_ENV}, else ${defaultConfigFile(deps.platform ?? process.platform, io.env)}.`,
    );
  registerInstallCommand(program, io, deps);
  registerCodeCommands(program, io, deps);
  registerPamCommand(program, io, deps);
  registerStatusCommand(program, io, deps);
  registerUninstallCommand(program, io, deps);
  return program;
}

/**
 * Run the CLI and return its exit code (never calls `process.exit`).
 *
 * @param argv - `process.argv` shape (node, script, …args)
 * @param io - CLI I/O (default the real process)
 * @param deps - injected dependencies
 * @returns 0, 1 or 2
 * @example
 * ```ts
 * process.exitCode = await runWinOtpCli(process.argv);
 * ```
 */
export async function runWinOtpCli(
  argv: readonly string[],
  io: CliIo = processIo(),
  deps: WinOtpCliDeps = {},
): Promise<number> {
  const program = createWinOtpProgram(io, deps);
  if (argv.length <= 2) {
    io.err(program.helpInformation());
    return 2;
  }
  return runProgram(program, argv, io);
}
