/**
 * `@securemfa/support-tools` — the `securemfa-tools` CLI (the originals' "Support Tools"): user
 * management and store maintenance through core's public API, reading the providers'
 * configuration files. The program factory and the command functions are exported so that other
 * tools (and tests) can run them with injected I/O.
 *
 * @module @securemfa/support-tools
 */
export { createSupportToolsProgram, runSupportTools, BIN } from './program.js';
export { processToolsIo, memoryToolsIo } from './tools-io.js';
export type { ToolsIo, MemoryToolsIoOptions } from './tools-io.js';
export { rekeyStore } from './rekey.js';
export type { RekeyOptions, RekeyResult, RekeyOutcome, RekeyFailure } from './rekey.js';
export { parseRecordLine, recordLine, RECORD_FIELDS } from './record-line.js';
export type { ImportRecord, ParsedRecordLine } from './record-line.js';
export { enrolmentUri, terminalQr } from './enrolment.js';
export { HALT_AFTER_ENV } from './commands/store-rekey.js';
export { UsageError } from './tool-errors.js';
