/**
 * Load a provider's configuration file: find it (`-c FILE`, else `SECUREMFA_CONFIG`, else the
 * manual's file name in the working directory), read it (UTF-8 or UTF-16 with BOM), validate it.
 *
 * When no file was asked for and the default file does not exist, the built-in defaults are
 * used (auth_mode SQLITE, `./securemfa.db`) with a warning saying so: `serve --demo` and a
 * first try need no file. A file that was asked for and is missing is an error.
 *
 * @see DESIGN.md "Provider CLI" (default config file)
 * @module config
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { decodeConfigBytes } from './json-text.js';
import { checkConfig, checkConfigText, type CheckConfigResult } from './parse-config.js';
import { assertProviderId, CONFIG_FILE_NAMES } from './schema/config-schemas.js';
import type { ConfigById, ProviderId } from './types.js';

/** Largest configuration file read (a config is a few KiB; this stops reading a wrong file). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Options of {@link loadConfig} and {@link checkConfigFile}. */
export interface LoadConfigOptions {
  /** The file asked for (`-c FILE`); relative to `cwd`. */
  file?: string | undefined;
  /** Environment (default `process.env`); `SECUREMFA_CONFIG` names the file when `file` is not given. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Working directory (default `process.cwd()`). */
  cwd?: string;
  /** Reads a file (default `fs.promises.readFile`); injected by tests. */
  readFile?: (path: string) => Promise<Uint8Array>;
}

/** Where the config comes from. */
export interface ResolvedConfigFile {
  /** Absolute path. */
  path: string;
  /** The name used in messages: as given, or the manual's file name. */
  display: string;
  /** Asked for explicitly (`file` or `SECUREMFA_CONFIG`): a missing file is then an error. */
  explicit: boolean;
}

/**
 * Which file a provider reads.
 *
 * @param provider - provider id
 * @param options - file, env, cwd
 * @returns the absolute path, the name for messages, and whether it was asked for
 * @throws {TypeError} for an unknown provider id
 * @example
 * ```ts
 * resolveConfigFile('qr-otp', { cwd: '/etc/securemfa', env: {} }).path; // '/etc/securemfa/SecureMfaOtpProvider.json'
 * ```
 */
export function resolveConfigFile(
  provider: ProviderId,
  options: LoadConfigOptions = {},
): ResolvedConfigFile {
  assertProviderId(provider);
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const asked =
    options.file !== undefined && options.file !== '' ? options.file : env.SECUREMFA_CONFIG;
  if (asked !== undefined && asked !== '') {
    return {
      path: resolve(cwd, asked),
      display: asked,
      explicit: true,
    };
  }
  const name = CONFIG_FILE_NAMES[provider];
  return { path: resolve(cwd, name), display: name, explicit: false };
}

/** Result of {@link checkConfigFile}: {@link CheckConfigResult} plus where it came from. */
export type CheckConfigFileResult<P extends ProviderId = ProviderId> = CheckConfigResult<P> & {
  /** The file read; `undefined` when the built-in defaults were used. */
  file: string | undefined;
};

function notFound(where: ResolvedConfigFile, provider: ProviderId, cause?: unknown): ConfigError {
  const message = `${where.display}: configuration file not found (${where.path})`;
  return new ConfigError('ERR_CONFIG_NOT_FOUND', message, {
    file: where.path,
    issues: [{ file: where.display, key: '', message }],
    hint: `create one with \`securemfa-${provider} config init --out ${where.display}\``,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Find, read and validate a provider's configuration, returning every problem as data (the
 * CLI's `config check` prints them all and exits with `error.exitCode`).
 *
 * @param provider - 'email-otp' | 'api-otp' | 'qr-otp'
 * @param options - file, env, cwd, readFile
 * @returns the config and warnings, or the errors and the `ConfigError` (`ERR_CONFIG_NOT_FOUND`,
 *   `ERR_CONFIG_SYNTAX` or `ERR_CONFIG_INVALID`)
 * @throws {TypeError} for an unknown provider id
 * @example
 * ```ts
 * const r = await checkConfigFile('email-otp', { file: argv.config });
 * for (const w of r.warnings) io.warn(w.message);
 * if (r.error) { for (const e of r.errors) io.fail(e.message); return r.error.exitCode; }
 * ```
 */
export async function checkConfigFile<P extends ProviderId>(
  provider: P,
  options: LoadConfigOptions = {},
): Promise<CheckConfigFileResult<P>> {
  const where = resolveConfigFile(provider, options);
  const read = options.readFile ?? readFile;
  let bytes: Uint8Array;
  try {
    bytes = await read(where.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !where.explicit) {
      const result = checkConfig(provider, {}, { file: where.display, path: where.path });
      const note: ConfigIssue = {
        file: where.display,
        key: '',
        message: `${where.display}: no such file in ${options.cwd ?? process.cwd()}; using the built-in defaults (auth_mode SQLITE) — create one with \`securemfa-${provider} config init\``,
      };
      return { ...result, warnings: [note, ...result.warnings], file: undefined };
    }
    const error =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? notFound(where, provider, err)
        : new ConfigError(
            'ERR_CONFIG_NOT_FOUND',
            `${where.display}: cannot read the file (${code ?? 'error'})`,
            {
              file: where.path,
              issues: [
                {
                  file: where.display,
                  key: '',
                  message: `${where.display}: cannot read the file (${code ?? 'error'})`,
                },
              ],
              hint: 'check the path and that this user may read it',
              cause: err,
            },
          );
    return { config: undefined, warnings: [], errors: [...error.issues], error, file: where.path };
  }
  if (bytes.byteLength > MAX_CONFIG_BYTES) {
    const message = `${where.display}: is ${bytes.byteLength} bytes, larger than a configuration file can be (${MAX_CONFIG_BYTES})`;
    const error = new ConfigError('ERR_CONFIG_INVALID', message, {
      file: where.path,
      issues: [{ file: where.display, key: '', message }],
    });
    return { config: undefined, warnings: [], errors: [...error.issues], error, file: where.path };
  }
  const result = checkConfigText(provider, decodeConfigBytes(bytes), {
    file: where.display,
    path: where.path,
  });
  return { ...result, file: where.path };
}

/**
 * Load a provider's configuration.
 *
 * @param provider - 'email-otp' | 'api-otp' | 'qr-otp'
 * @param options - file (`-c`), env (`SECUREMFA_CONFIG`), cwd, readFile
 * @returns the normalised config, its warnings, and the file read (`undefined`: built-in defaults)
 * @throws {ConfigError} `ERR_CONFIG_NOT_FOUND` (file asked for but missing),
 *   `ERR_CONFIG_SYNTAX` (invalid JSON: line and column), `ERR_CONFIG_INVALID` (one issue per
 *   problem); all have `exitCode` 2
 * @throws {TypeError} for an unknown provider id
 * @example
 * ```ts
 * const { config, warnings } = await loadConfig('email-otp', { file: 'SecureMfaEmailOtpProvider.json' });
 * config.smtp_port; // 25 (a number, although the file says "25")
 * ```
 */
export async function loadConfig<P extends ProviderId>(
  provider: P,
  options: LoadConfigOptions = {},
): Promise<{ config: ConfigById[P]; warnings: ConfigIssue[]; file: string | undefined }> {
  const result = await checkConfigFile(provider, options);
  if (result.error !== undefined) throw result.error;
  return { config: result.config, warnings: result.warnings, file: result.file };
}
