/**
 * Which provider configuration the support tools read: the same files the providers read
 * (`-c FILE`, else `SECUREMFA_CONFIG`, else the one provider file in the working directory).
 *
 * The file's provider (which schema validates it) is `--provider`, else told by the file's
 * name (`SecureMfaOtpProvider.json` → qr-otp, …), else by its keys: the provider whose schema
 * knows every key (fewest unknown-key warnings) wins. The store, encryption and lockout keys are
 * common to all three, so any provider's file of a farm works.
 *
 * @module tools-config
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import {
  checkConfigFile,
  ConfigError,
  CONFIG_FILE_NAMES,
  PROVIDER_IDS,
  type CheckConfigFileResult,
  type ProviderConfig,
  type ProviderId,
} from '@securemfa/core';
import { warn } from '@securemfa/core/cli';
import type { ToolsIo } from './tools-io.js';
import { UsageError } from './tool-errors.js';

/** The options every store command takes. */
export interface ConfigOptions {
  /** `-c, --config FILE`. */
  config?: string | undefined;
  /** `--provider qr-otp|email-otp|api-otp`. */
  provider?: string | undefined;
}

/** A loaded provider configuration. */
export interface LoadedToolsConfig {
  provider: ProviderId;
  config: ProviderConfig;
  /** Absolute path of the file read. */
  file: string;
  /** Folder relative paths in it resolve against. */
  configDir: string;
}

function pickFile(options: ConfigOptions, io: ToolsIo): string {
  const asked =
    options.config !== undefined && options.config !== ''
      ? options.config
      : io.env.SECUREMFA_CONFIG;
  if (asked !== undefined && asked !== '') return resolve(io.cwd, asked);
  const present = PROVIDER_IDS.map((p) => CONFIG_FILE_NAMES[p]).filter((name) =>
    existsSync(resolve(io.cwd, name)),
  );
  if (present.length === 1) return resolve(io.cwd, present[0]!);
  const message =
    present.length === 0
      ? `no configuration file: none of ${PROVIDER_IDS.map((p) => CONFIG_FILE_NAMES[p]).join(', ')} is in ${io.cwd}`
      : `several provider configuration files are in ${io.cwd} (${present.join(', ')}): say which one`;
  throw new ConfigError('ERR_CONFIG_NOT_FOUND', message, {
    file: '',
    hint: 'pass -c FILE (the provider configuration whose store you want to work on) or set SECUREMFA_CONFIG',
  });
}

function providerFromName(file: string): ProviderId | undefined {
  const name = basename(file).toLowerCase();
  return PROVIDER_IDS.find((p) => CONFIG_FILE_NAMES[p].toLowerCase() === name);
}

function checkProvider(value: string): ProviderId {
  const found = PROVIDER_IDS.find((p) => p === value);
  if (found === undefined) {
    throw new UsageError(
      `--provider: got ${JSON.stringify(value)}, expected one of ${PROVIDER_IDS.join(', ')}`,
    );
  }
  return found;
}

/**
 * Find, read and validate the configuration a command works with.
 *
 * @param options - `-c` and `--provider`
 * @param io - environment, working directory, stderr for warnings
 * @returns the configuration, its provider and file
 * @throws {ConfigError} when no file is found, or the file is invalid (exit code 2)
 * @throws {UsageError} for an unknown `--provider`
 */
export async function loadToolsConfig(
  options: ConfigOptions,
  io: ToolsIo,
): Promise<LoadedToolsConfig> {
  const file = pickFile(options, io);
  const fixed =
    options.provider !== undefined ? checkProvider(options.provider) : providerFromName(file);
  const candidates = fixed === undefined ? PROVIDER_IDS : [fixed];
  let best: { provider: ProviderId; result: CheckConfigFileResult } | undefined;
  const score = (r: CheckConfigFileResult): number =>
    r.error === undefined ? r.warnings.length : 1_000_000 + r.errors.length;
  for (const provider of candidates) {
    // The file is asked for explicitly here, so a missing file is an error, never the defaults.
    const result = await checkConfigFile(provider, { file, env: io.env, cwd: io.cwd });
    if (best === undefined || score(result) < score(best.result)) best = { provider, result };
    if (result.error === undefined && result.warnings.length === 0) break;
  }
  const { provider, result } = best!;
  for (const w of result.warnings) warn(io, w.message);
  if (result.error !== undefined) throw result.error;
  return { provider, config: result.config as ProviderConfig, file, configDir: dirname(file) };
}
