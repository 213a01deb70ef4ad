/**
 * How every command gets its config: `-c FILE`, else `SECUREMFA_CONFIG`, else the manual's file
 * name in the working directory (built-in defaults when that is absent). Warnings go to stderr;
 * problems throw `ConfigError` (exit code 2, printed by `runProgram`).
 *
 * @module cli
 */
import { dirname } from 'node:path';
import type { ProviderDefinition } from '../adapter/provider-definition.js';
import { checkConfigFile } from '../config/load-config.js';
import type { ConfigById, ProviderId } from '../config/types.js';
import { createLogger, type Logger } from '../log/logger.js';
import { SECRET_KEYS } from '../config/schema/config-schemas.js';
import type { CliIo } from './io.js';
import { warn } from './output.js';

/** A loaded config and where it came from. */
export interface LoadedConfig<P extends ProviderId> {
  config: ConfigById[P];
  /** Absolute path read; undefined = built-in defaults. */
  file: string | undefined;
  /** Folder relative paths resolve against. */
  configDir: string;
}

/**
 * Load and validate the config of a command.
 *
 * @param definition - the provider
 * @param io - CLI I/O (env, cwd, stderr)
 * @param file - `-c FILE`
 * @returns the config
 * @throws {ConfigError} with every problem (exit code 2)
 */
export async function loadForCommand<P extends ProviderId>(
  definition: ProviderDefinition<ConfigById[P]> & { id: P },
  io: CliIo,
  file: string | undefined,
): Promise<LoadedConfig<P>> {
  const result = await checkConfigFile(definition.id, { file, env: io.env, cwd: io.cwd });
  for (const w of result.warnings) warn(io, w.message);
  if (result.error !== undefined) throw result.error;
  return {
    config: result.config as ConfigById[P],
    file: result.file,
    configDir: result.file === undefined ? io.cwd : dirname(result.file),
  };
}

/** Every secret value of a config, for the logger to scrub. */
export function secretValues(config: object): string[] {
  return Object.entries(config)
    .filter(([key, value]) => SECRET_KEYS.has(key) && typeof value === 'string' && value !== '')
    .map(([, value]) => value as string);
}

/**
 * The logger of a command: `serve` logs to stderr and log_file; the one-shot commands log only
 * to log_file (their report is the output), so a terminal shows clean check lines.
 *
 * @param definition - the provider (event source)
 * @param config - the config (verboselog, log_file, secrets)
 * @param consoleOn - write JSON records to stderr
 * @returns the logger
 */
export function commandLogger(
  definition: { eventSource: string },
  config: ConfigById[ProviderId],
  consoleOn: boolean,
): Logger {
  return createLogger({
    source: definition.eventSource,
    verbose: config.verboselog,
    console: consoleOn,
    file: config.log_file === '' ? undefined : config.log_file,
    secrets: secretValues(config),
  });
}
