/**
 * What every command shares: the injected dependencies, loading the config file (warnings
 * printed, exit 2 for every problem), reading a code or a secret from an option, a file or
 * standard input, and usage errors.
 *
 * @module cli
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, type Logger } from '@securemfa/core';
import { ExitError, warn, type CliIo } from '@securemfa/core/cli';
import { createAgentLogger } from '../agent-logger.js';
import { createWinAgent, type WinAgent } from '../agent.js';
import {
  readAgentConfigFile,
  resolveConfigFile,
  type LoadedAgentConfig,
} from '../config/config-file.js';

/** What tests (and embedders) may inject into the CLI. */
export interface WinOtpCliDeps {
  /** Clock of the agent (offline expiry, lockout, message timestamps). */
  clock?: (() => Date) | undefined;
  /** Platform (PAM only on linux); default `process.platform`. */
  platform?: NodeJS.Platform | undefined;
  /** The command pam_exec runs; default this Node and this package's bin. */
  agentCommand?: readonly string[] | undefined;
  /** Extra trusted CAs (PEM) for an https portal. */
  ca?: string | Buffer | undefined;
}

/** Options every command has. */
export interface CommonOptions {
  configFile?: string | undefined;
}

/**
 * Print an error and end with exit code 2 (usage).
 *
 * @param io - CLI I/O
 * @param message - what is wrong and what is expected
 * @param hint - how to fix it
 * @returns never
 */
export function usageError(io: CliIo, message: string, hint?: string): never {
  io.err(`error: ${message}\n`);
  if (hint !== undefined) io.err(`hint: ${hint}\n`);
  throw new ExitError(2);
}

/**
 * Load the config of a command, printing its warnings.
 *
 * @param options - `--config-file`
 * @param io - CLI I/O
 * @param requireAll - report missing required keys (default true)
 * @returns the loaded config
 * @throws {ConfigError} for any problem with the file (exit 2)
 */
export async function loadConfigForCommand(
  options: CommonOptions,
  io: CliIo,
  requireAll = true,
): Promise<LoadedAgentConfig> {
  const file = resolveConfigFile(options.configFile, io.env, io.cwd);
  const loaded = await readAgentConfigFile(file, { requireAll });
  for (const w of configWarnings(loaded)) warn(io, w);
  return loaded;
}

/** The warnings of a loaded config, the file mode included. */
function configWarnings(loaded: LoadedAgentConfig): string[] {
  const out = [...loaded.warnings];
  if (loaded.tooOpen)
    out.push(`${loaded.file} is readable by other users: chmod 600 ${loaded.file}`);
  return out;
}

/**
 * Run `fn` with an agent built from the command's config, closing the logger afterwards.
 *
 * @param options - `--config-file`
 * @param io - CLI I/O
 * @param deps - injected clock, CA
 * @param fn - the command's work; returns the exit code
 * @param warnings - print config warnings on stderr (default) or only log them
 * @returns the exit code
 */
export async function withAgent(
  options: CommonOptions,
  io: CliIo,
  deps: WinOtpCliDeps,
  fn: (agent: WinAgent, loaded: LoadedAgentConfig, logger: Logger) => Promise<number>,
  warnings: 'print' | 'log' = 'print',
): Promise<number> {
  const file = resolveConfigFile(options.configFile, io.env, io.cwd);
  const loaded = await readAgentConfigFile(file);
  const logger = createAgentLogger(loaded.config, loaded.file);
  // At a logon prompt (pam) operator warnings go to the log, not to the user.
  for (const w of configWarnings(loaded)) {
    if (warnings === 'print') warn(io, w);
    else logger.warn(w);
  }
  try {
    const agent = createWinAgent({
      config: loaded.config,
      configFile: loaded.file,
      logger,
      clock: deps.clock,
      ca: deps.ca,
    });
    return await fn(agent, loaded, logger);
  } finally {
    await logger.close();
  }
}

/** Only one value may come from standard input per run. */
export interface StdinBudget {
  used: string | undefined;
}

/**
 * Read a secret or a code from a file (`-` = standard input). Trailing line breaks and NUL
 * bytes are dropped; the value is the first line.
 *
 * @param io - CLI I/O
 * @param file - the path or `-`
 * @param what - the option, for messages
 * @param budget - which option already took standard input
 * @returns the value (may be empty)
 */
export async function readValueFrom(
  io: CliIo,
  file: string,
  what: string,
  budget: StdinBudget,
): Promise<string> {
  let text: string;
  if (file === '-') {
    if (budget.used !== undefined) {
      usageError(
        io,
        `${what} and ${budget.used} both read standard input`,
        'give one of them a file',
      );
    }
    budget.used = what;
    text = await io.readStdin();
  } else {
    const path = resolve(io.cwd, file);
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new ConfigError('ERR_CONFIG_NOT_FOUND', `${what}: cannot read "${path}"`, {
        file: path,
        cause: err,
        hint: `point ${what} at a readable file (or - for standard input)`,
      });
    }
  }
  return firstLine(text);
}

/**
 * The first line of a text without its line break and NUL bytes (pam_exec's authtok, `echo`).
 *
 * @param text - the text
 * @returns the line
 */
export function firstLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is what pam_exec may append
  return (text.replace(/\u0000/g, '').split(/\r?\n/)[0] ?? '').trim();
}

/**
 * The code of validate/sync: `--code`, else standard input.
 *
 * @param io - CLI I/O
 * @param option - `--code`
 * @returns the code
 */
export async function readCode(io: CliIo, option: string | undefined): Promise<string> {
  const code = option ?? firstLine(await io.readStdin());
  if (code === '') {
    usageError(io, 'no code given', 'pass --code CODE, or pipe the code on standard input');
  }
  return code;
}

/**
 * End a command with its exit code (runProgram maps the ExitError; 0 ends normally).
 *
 * @param code - 0, 1 or 2
 */
export function exitWith(code: number): void {
  if (code !== 0) throw new ExitError(code === 2 ? 2 : 1);
}
