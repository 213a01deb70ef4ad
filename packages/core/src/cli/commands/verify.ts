/**
 * `verify [-c FILE]`: the manuals' "Verification" as one command — config, store (reachable,
 * logged in, database present), schema (SQL version / AD attributes), access (write rights),
 * stored secrets decryptable, farm registration and config fingerprint, delivery channel, host
 * key. Prints one line per check; exit code 1 when any fails.
 *
 * @module cli
 */
import type { Command } from 'commander';
import type { ProviderDefinition } from '../../adapter/provider-definition.js';
import type { ProviderConfig } from '../../config/types.js';
import { storeOptionsFromConfig } from '../../store/open-store.js';
import { createProviderRuntime } from '../../runtime/provider-runtime.js';
import {
  checkApiKey,
  checkChannel,
  checkRegistration,
  checkSecrets,
  checkStore,
  checkStoreSchemaAndAccess,
  storeFailedLine,
} from '../checks.js';
import type { CliIo } from '../io.js';
import { commandLogger, loadForCommand } from '../load-for-command.js';
import { printChecks, type CheckLine } from '../output.js';
import { ExitError } from '../run.js';
import { storeLabel } from '../../store/store-label.js';

/** Timeout of a single check when the config sets none (ms). */
export const CHECK_TIMEOUT_MS = 10_000;

/**
 * Add `verify`.
 *
 * @param program - the provider program
 * @param definition - the provider
 * @param io - CLI I/O
 */
export function addVerifyCommand(
  program: Command,
  definition: ProviderDefinition<ProviderConfig>,
  io: CliIo,
): void {
  program
    .command('verify')
    .description('check config, store, schema, encryption, farm registration, channel and host key')
    .option(
      '-c, --config <file>',
      `configuration file (default: ./${definition.configFileName} or $SECUREMFA_CONFIG)`,
    )
    .action(async (opts: { config?: string }) => {
      const loaded = await loadForCommand(definition as never, io, opts.config);
      const config = loaded.config as ProviderConfig;
      const lines: CheckLine[] = [
        { name: 'config', ok: true, detail: loaded.file ?? 'built-in defaults (no config file)' },
      ];
      const storeOptions = storeOptionsFromConfig(config, {
        cwd: loaded.configDir,
        migrate: false,
      });
      const logger = commandLogger(definition, config, false);
      try {
        const runtime = await createProviderRuntime({
          definition,
          config,
          configDir: loaded.configDir,
          logger,
          migrate: false,
        }).catch((err: unknown) => {
          lines.push(
            storeFailedLine('store', err, `run \`${definition.bin} install\` on the main node`),
          );
          return undefined;
        });
        if (runtime !== undefined) {
          try {
            lines.push(await checkStore(runtime.store, storeLabel(storeOptions), CHECK_TIMEOUT_MS));
            lines.push(
              ...(await checkStoreSchemaAndAccess(runtime.store, definition.bin, CHECK_TIMEOUT_MS)),
            );
            lines.push(await checkSecrets(runtime.store, runtime.cipher));
            lines.push(await checkRegistration(runtime.store, definition as never, config));
            lines.push(await checkChannel(runtime.channel, CHECK_TIMEOUT_MS));
          } finally {
            await runtime.close();
          }
        }
        lines.push(checkApiKey(config, definition.bin));
      } finally {
        await logger.close();
      }
      printChecks(io, lines);
      if (lines.some((l) => !l.ok && l.skipped !== true)) throw new ExitError(1);
    });
}
