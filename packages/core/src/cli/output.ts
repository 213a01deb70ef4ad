/**
 * The only module that formats CLI output: check lines, errors with hints, JSON.
 *
 * @module cli
 */
import type { CliIo } from './io.js';

/** One line of a `verify`/`install` report. */
export interface CheckLine {
  /** What was checked: config, store, schema, registration, channel… */
  name: string;
  ok: boolean;
  /** What was found. */
  detail: string;
  /** How to fix it (failures only). */
  hint?: string | undefined;
  /** A skipped check is neither ok nor a failure (e.g. "not the main node"). */
  skipped?: boolean;
}

/** Print check lines as `ok    store  sqlite ./securemfa.db (schema 1)` / `FAIL  …` + hint. */
export function printChecks(io: CliIo, lines: readonly CheckLine[]): void {
  const width = Math.max(...lines.map((l) => l.name.length), 6);
  for (const l of lines) {
    const mark = l.skipped === true ? 'skip' : l.ok ? 'ok  ' : 'FAIL';
    io.out(`${mark}  ${l.name.padEnd(width)}  ${l.detail}\n`);
    if (!l.ok && l.skipped !== true && l.hint !== undefined)
      io.out(`      ${' '.repeat(width)}  hint: ${l.hint}\n`);
  }
}

/** Print a value as pretty JSON on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** Print a warning on stderr. */
export function warn(io: CliIo, message: string): void {
  io.err(`warning: ${message}\n`);
}
