/**
 * What a store command works with, built from the provider configuration: the open store, the
 * secret cipher, the lockout policy, an audit logger (the config's `log_file`, never the
 * console) and a secret-free name of the store for messages.
 *
 * @module tools-context
 */
import { resolve } from 'node:path';
import {
  createLogger,
  createSecretCipher,
  createSilentLogger,
  openStore,
  storeOptionsFromConfig,
  SECRET_KEYS,
  storeLabel,
  type LockoutPolicy,
  type Logger,
  type ProviderConfig,
  type SecretCipher,
  type StoreOptions,
  type UserStore,
} from '@securemfa/core';
import { loadToolsConfig, type ConfigOptions, type LoadedToolsConfig } from './tools-config.js';
import type { ToolsIo } from './tools-io.js';

/** Event source of the support tools' log records. */
export const LOG_SOURCE = 'SecureMFA Support Tools';

/** An open store and what goes with it. */
export interface ToolsContext extends LoadedToolsConfig {
  store: UserStore;
  storeOptions: StoreOptions;
  /** e.g. `sqlite /var/lib/securemfa/otp.db` (no secrets). */
  storeName: string;
  /** The cipher of the configuration (writes v2 when data_encryption, always in AD mode). */
  cipher: SecretCipher;
  /** ui_login_failures / ui_lockout_minutes. */
  policy: LockoutPolicy;
  /** Audit records to the config's log_file (nothing when it is empty). */
  logger: Logger;
  /** Close the store and the logger. */
  close(): Promise<void>;
}

/**
 * Where the audit log goes: `log_file`, relative to the configuration's folder (the providers run
 * with that folder as their working directory, so both write the same file).
 *
 * @param loaded - the configuration
 * @returns the absolute path, or undefined when log_file is empty
 */
export function logFilePath(loaded: LoadedToolsConfig): string | undefined {
  const f = loaded.config.log_file.trim();
  if (f === '') return undefined;
  return resolve(loaded.configDir, f);
}

/** The secret values of a config, for the logger to scrub. */
export function configSecrets(config: ProviderConfig): string[] {
  return Object.entries(config)
    .filter(([key, value]) => SECRET_KEYS.has(key) && typeof value === 'string' && value !== '')
    .map(([, value]) => value as string);
}

/**
 * The cipher a configuration implies. AD mode always encrypts (the manuals: "AD mode doesn't
 * support unencrypted secrets").
 *
 * @param config - the provider configuration
 * @param passphrase - another passphrase than the configured one (rekey)
 * @returns the cipher
 */
export function cipherFor(config: ProviderConfig, passphrase?: string): SecretCipher {
  const pass = passphrase ?? config.data_encryption_passphrase;
  return createSecretCipher({
    enabled: config.data_encryption || config.auth_mode === 'AD',
    passphrase: pass === '' ? undefined : pass,
    legacySalt:
      config.data_encryption_legacy_salt === '' ? undefined : config.data_encryption_legacy_salt,
  });
}

/**
 * Load the configuration and open its store. The store is opened without migrating it:
 * creating and upgrading the schema is the provider's `install` on the main node.
 *
 * @param options - `-c` and `--provider`
 * @param io - CLI I/O
 * @returns the context; call `close()` when done
 * @throws {ConfigError} for a missing or invalid configuration (exit code 2)
 * @throws {StoreError} when the store cannot be opened
 */
export async function openToolsContext(options: ConfigOptions, io: ToolsIo): Promise<ToolsContext> {
  const loaded = await loadToolsConfig(options, io);
  const { config } = loaded;
  const cipher = cipherFor(config);
  const storeOptions = storeOptionsFromConfig(config, { cwd: loaded.configDir, migrate: false });
  const store = await openStore(storeOptions);
  const logger =
    config.log_file === ''
      ? createSilentLogger()
      : createLogger({
          source: LOG_SOURCE,
          console: false,
          file: logFilePath(loaded),
          verbose: config.verboselog,
          secrets: configSecrets(config),
        });
  let closed = false;
  return {
    ...loaded,
    store,
    storeOptions,
    storeName: storeLabel(storeOptions),
    cipher,
    policy: { maxFailures: config.ui_login_failures, lockoutMinutes: config.ui_lockout_minutes },
    logger,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await store.close();
      } finally {
        await logger.close();
      }
    },
  };
}

/**
 * Run `work` with an open context and close it afterwards, whatever happens.
 *
 * @param options - `-c` and `--provider`
 * @param io - CLI I/O
 * @param work - the command
 * @returns what `work` returns
 */
export async function withContext<T>(
  options: ConfigOptions,
  io: ToolsIo,
  work: (ctx: ToolsContext) => Promise<T>,
): Promise<T> {
  const ctx = await openToolsContext(options, io);
  try {
    return await work(ctx);
  } finally {
    await ctx.close();
  }
}
