/**
 * `runCli` — the one place that maps errors to exit codes (changesets' top-level handler):
 * 0 ok, 1 operational failure, 2 configuration or usage error. A SecureMfaError prints
 * `error: <message>` and a `hint:`; anything else is a bug: "internal error, please report" with
 * the stack.
 *
 * @module cli
 */
import { Command, CommanderError } from 'commander';
import { ConfigError, SecureMfaError } from '../errors.js';
import type { CliIo } from './io.js';

/** Exit codes of every SecureMFA CLI. */
export const ExitCode = { Ok: 0, Failure: 1, Usage: 2 } as const;

/** Thrown by a command to end with a given exit code after printing its own report. */
export class ExitError extends Error {
  constructor(readonly exitCode: 0 | 1 | 2) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

/**
 * Run a commander program with injected I/O and return the exit code (never calls process.exit).
 *
 * @param program - the program (its actions may throw)
 * @param argv - full argv (`process.argv` shape: node, script, …args)
 * @param io - the I/O
 * @returns the exit code
 */
export async function runProgram(
  program: Command,
  argv: readonly string[],
  io: CliIo,
): Promise<number> {
  const configure = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    for (const sub of cmd.commands) configure(sub);
  };
  configure(program);
  try {
    await program.parseAsync([...argv]);
    return ExitCode.Ok;
  } catch (err) {
    return reportError(err, io);
  }
}

/** Map an error to an exit code, printing it. */
export function reportError(err: unknown, io: CliIo): number {
  if (err instanceof ExitError) return err.exitCode;
  if (err instanceof CommanderError) {
    // --help and --version end with exitCode 0; usage errors were already printed by commander.
    return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  if (err instanceof ConfigError) {
    if (err.issues.length > 0) for (const issue of err.issues) io.err(`error: ${issue.message}\n`);
    else io.err(`error: ${err.message}\n`);
    if (err.hint !== undefined) io.err(`hint: ${err.hint}\n`);
    return ExitCode.Usage;
  }
  if (err instanceof SecureMfaError) {
    io.err(`error: ${err.message}\n`);
    if (err.hint !== undefined) io.err(`hint: ${err.hint}\n`);
    return err.exitCode;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  io.err(`internal error, please report it with the text below:\n${stack}\n`);
  return ExitCode.Failure;
}
