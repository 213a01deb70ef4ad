/**
 * The agent's config file: where it is, reading it (exit 2 for every problem, with the line
 * and column of a JSON syntax error) and writing it readable by its owner only (mode 0600,
 * written to a temporary file and renamed, so a reader never sees half a file).
 *
 * Location: `--config-file F`, else `$SECUREMFA_WIN_OTP_CONFIG`, else
 * `/etc/securemfa/SecureMfaWinOtp.json` (Windows: `%ProgramData%\SecureMFA\SecureMfaWinOtp.json`).
 *
 * @module config
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, win32 } from 'node:path';
import { ConfigError } from '@securemfa/core';
import { AGENT_KEY_NAMES, type AgentConfig } from './agent-keys.js';
import { parseAgentConfig, type ParsedAgentConfig } from './parse-agent-config.js';

/** The config file's name. */
export const CONFIG_FILE_NAME = 'SecureMfaWinOtp.json';
/** Environment variable naming the config file. */
export const CONFIG_FILE_ENV = 'SECUREMFA_WIN_OTP_CONFIG';
/** Largest config file read. */
const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * The default config file of a platform.
 *
 * @param platform - `process.platform`
 * @param env - environment (ProgramData on Windows)
 * @returns the absolute path
 */
export function defaultConfigFile(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (platform === 'win32') {
    return win32.join(env.ProgramData ?? 'C:\\ProgramData', 'SecureMFA', CONFIG_FILE_NAME);
  }
  return join('/etc/securemfa', CONFIG_FILE_NAME);
}

/**
 * Which config file a command uses.
 *
 * @param option - `--config-file` (relative to `cwd`)
 * @param env - environment
 * @param cwd - working directory
 * @param platform - default `process.platform`
 * @returns the absolute path
 */
export function resolveConfigFile(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  platform: NodeJS.Platform = process.platform,
): string {
  const chosen = option ?? env[CONFIG_FILE_ENV];
  if (chosen !== undefined && chosen !== '') return resolve(cwd, chosen);
  return defaultConfigFile(platform, env);
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

/** Where JSON.parse stopped (its message's `at position N`), undefined when the text parses. */
function errorPosition(text: string): number | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    if (/Unexpected end of JSON input/.test(message)) return text.length;
    const m = /position (\d+)/.exec(message);
    return m === null ? -1 : Number(m[1]);
  }
}

/**
 * The offset of the first JSON syntax error. Node's messages do not always carry a position,
 * so: the longest prefix that is still the start of a valid document (its only fault, if any,
 * is that it ends early) ends where the error is — a binary search of ~18 parses at most.
 */
function jsonErrorOffset(text: string): number {
  const viable = (p: number): boolean => {
    const at = errorPosition(text.slice(0, p));
    return at === undefined || at >= p;
  };
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (viable(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A loaded config. */
export interface LoadedAgentConfig extends ParsedAgentConfig {
  /** Absolute path of the file. */
  file: string;
  /** The file is readable or writable by group or others. */
  tooOpen: boolean;
}

/**
 * Read and check a config file.
 *
 * @param file - absolute path
 * @param options - `requireAll` (default true)
 * @returns config, warnings, whether the file mode is too open
 * @throws {ConfigError} ERR_CONFIG_NOT_FOUND / ERR_CONFIG_SYNTAX / ERR_CONFIG_INVALID (exit 2)
 */
export async function readAgentConfigFile(
  file: string,
  options: { requireAll?: boolean } = {},
): Promise<LoadedAgentConfig> {
  let text: string;
  let mode = 0;
  try {
    const info = await stat(file);
    if (info.size > MAX_CONFIG_BYTES) {
      throw new ConfigError(
        'ERR_CONFIG_INVALID',
        `${file}: larger than ${MAX_CONFIG_BYTES} bytes`,
        {
          file,
        },
      );
    }
    mode = info.mode;
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      'ERR_CONFIG_NOT_FOUND',
      code === 'ENOENT'
        ? `${file}: no such config file`
        : `${file}: cannot be read (${code ?? 'error'})`,
      {
        file,
        cause: err,
        hint: 'run securemfa-win-otp install (as root for the default location), or pass --config-file',
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const { line, column } = lineColumn(text, jsonErrorOffset(text.replace(/^\uFEFF/, '')));
    const where = ` at line ${line}, column ${column}`;
    throw new ConfigError('ERR_CONFIG_SYNTAX', `${file}: not valid JSON${where}`, {
      file,
      cause: err,
      hint: 'fix the JSON, or run install again to rewrite the file',
    });
  }
  const parsed = parseAgentConfig(json, { file, requireAll: options.requireAll ?? true });
  return { ...parsed, file, tooOpen: process.platform !== 'win32' && (mode & 0o077) !== 0 };
}

/**
 * Write a config file readable and writable by its owner only (0600); its folder is created
 * (0700) when missing. Atomic: a temporary file in the same folder, then a rename.
 *
 * @param file - absolute path
 * @param config - the config to write (every key, seed spelling)
 */
export async function writeAgentConfigFile(file: string, config: AgentConfig): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const ordered: Record<string, unknown> = {};
  for (const name of AGENT_KEY_NAMES) ordered[name] = config[name];
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(ordered, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
