/**
 * The provider CLI every provider package mounts (DESIGN "Provider CLI"):
 *
 * ```
 * securemfa-<p> config init   [--out FILE]
 * securemfa-<p> config check  [-c FILE]
 * securemfa-<p> install       [-c FILE] [--not-main-node] [--service-dir DIR] [--dry-run]
 * securemfa-<p> verify        [-c FILE]
 * securemfa-<p> serve         [-c FILE] [--demo] [--port N]
 * securemfa-<p> uninstall     [-c FILE]
 * ```
 *
 * Exit codes: 0 ok, 1 operational failure, 2 configuration or usage error.
 *
 * @module cli
 */
import { Command } from 'commander';
import type { ProviderDefinition } from '../adapter/provider-definition.js';
import type { ProviderConfig } from '../config/types.js';
import { addConfigCommands } from './commands/config.js';
import { addInstallCommands, type InstallEnvironment } from './commands/install.js';
import { addServeCommand } from './commands/serve.js';
import { addVerifyCommand } from './commands/verify.js';
import { processIo, type CliIo } from './io.js';
import { runProgram } from './run.js';

/**
 * Build the commander program of a provider.
 *
 * @param definition - the provider package's definition
 * @param io - CLI I/O (tests pass `memoryIo()`)
 * @param env - paths the systemd unit needs (default: this process's)
 * @returns the program
 */
export function createProviderProgram(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a definition of any provider config
  definition: ProviderDefinition<any>,
  io: CliIo,
  env: InstallEnvironment = {},
): Command {
  const def = definition as ProviderDefinition<ProviderConfig>;
  const program = new Command(def.bin)
    .description(`${def.title}: configuration, installation and the provider host`)
    .version(def.version)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `\nExit codes: 0 ok, 1 failure, 2 configuration or usage error.\nConfig file: -c FILE, else $SECUREMFA_CONFIG, else ./${def.configFileName}.`,
    );
  addConfigCommands(program, def, io);
  addInstallCommands(program, def, io, env);
  addVerifyCommand(program, def, io);
  addServeCommand(program, def, io);
  return program;
}

/**
 * Run a provider CLI and return its exit code (never calls `process.exit`).
 *
 * @param definition - the provider
 * @param argv - `process.argv` shape (node, script, …args)
 * @param io - CLI I/O (default: the real process)
 * @param env - paths for the systemd unit
 * @returns 0, 1 or 2
 * @example
 * ```ts
 * // bin.ts of a provider package
 * process.exitCode = await runProviderCli(qrOtpProvider, process.argv);
 * ```
 */
export async function runProviderCli(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a definition of any provider config
  definition: ProviderDefinition<any>,
  argv: readonly string[],
  io: CliIo = processIo(),
  env: InstallEnvironment = {},
): Promise<number> {
  const program = createProviderProgram(definition, io, env);
  if (argv.length <= 2) {
    io.err(program.helpInformation());
    return 2;
  }
  return runProgram(program, argv, io);
}
