/**
 * `@securemfa/core/cli` — the shared provider CLI (commander). A provider's bin is one line:
 * `process.exitCode = await runProviderCli(definition, process.argv)`.
 *
 * @module @securemfa/core/cli
 */
export { createProviderProgram, runProviderCli } from './program.js';
export { runProgram, reportError, ExitCode, ExitError } from './run.js';
export { processIo, memoryIo } from './io.js';
export type { CliIo } from './io.js';
export { printChecks, printJson, warn } from './output.js';
export type { CheckLine } from './output.js';
export { renderUnit, unitPath, writeUnit, removeUnit } from './systemd-unit.js';
export type { UnitOptions, UnitWrite } from './systemd-unit.js';
export { DEFAULT_SERVICE_DIR } from './commands/install.js';
export type { InstallEnvironment } from './commands/install.js';
export { CHECK_TIMEOUT_MS } from './commands/verify.js';
