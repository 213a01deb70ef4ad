/**
 * `install` and `uninstall`. Install is idempotent and re-run after every config change (as the
 * manuals say):
 *
 * - main node: create or upgrade the store schema (SQL) / check the AD schema and write access,
 *   register the provider in the store (name, version, config fingerprint), write a systemd
 *   unit;
 * - `--not-main-node`: change nothing shared — check that the main node did the above and that
 *   this node's config (fingerprint) and passphrase match, then write the unit;
 * - `--dry-run`: report what would change, change nothing.
 *
 * `uninstall` removes the unit and the registration; user data stays in the store.
 *
 * @module cli
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ProviderDefinition } from '../../adapter/provider-definition.js';
import { configFingerprint } from '../../config/fingerprint.js';
import type { ProviderConfig } from '../../config/types.js';
import { createProviderRuntime, type ProviderRuntime } from '../../runtime/provider-runtime.js';
import { openStore, storeOptionsFromConfig } from '../../store/open-store.js';
import { schemaVersionsOf } from '../../store/sql/migrations.js';
import { storeProblemOf } from '../../store/store-problem.js';
import {
  checkApiKey,
  checkChannel,
  checkRegistration,
  checkSecrets,
  checkStore,
  checkStoreSchemaAndAccess,
  failedLine,
  storeFailedLine,
} from '../checks.js';
import type { CliIo } from '../io.js';
import { commandLogger, loadForCommand } from '../load-for-command.js';
import { printChecks, type CheckLine } from '../output.js';
import { ExitError } from '../run.js';
import { removeUnit, renderUnit, unitPath, writeUnit } from '../systemd-unit.js';
import { storeLabel } from '../../store/store-label.js';
import { CHECK_TIMEOUT_MS } from './verify.js';

/** Where units go unless `--service-dir` says otherwise. */
export const DEFAULT_SERVICE_DIR = '/etc/systemd/system';

/** Facts about the running CLI that the unit needs. */
export interface InstallEnvironment {
  /** Absolute path of the provider's CLI script (default: realpath of process.argv[1]). */
  binPath?: string | undefined;
  /** Node binary (default process.execPath). */
  nodePath?: string | undefined;
}

interface InstallOptions {
  config?: string;
  notMainNode?: boolean;
  serviceDir?: string;
  dryRun?: boolean;
}

function defaultBinPath(): string {
  const script = process.argv[1] ?? '';
  try {
    return realpathSync(script);
  } catch {
    return resolve(script);
  }
}

async function unitLine(
  definition: ProviderDefinition<ProviderConfig>,
  io: CliIo,
  env: InstallEnvironment,
  opts: InstallOptions,
  configFile: string | undefined,
): Promise<CheckLine> {
  const dir = opts.serviceDir ?? DEFAULT_SERVICE_DIR;
  const serviceDir = resolve(io.cwd, dir);
  const path = unitPath(serviceDir, definition.bin);
  if (configFile === undefined) {
    return {
      name: 'service',
      ok: false,
      detail: 'no config file: the service needs one',
      hint: `write one with \`${definition.bin} config init --out ${definition.configFileName}\` and pass -c`,
    };
  }
  const text = renderUnit({
    bin: definition.bin,
    title: definition.title,
    nodePath: env.nodePath ?? process.execPath,
    binPath: env.binPath ?? defaultBinPath(),
    configPath: configFile,
    workingDirectory: resolve(configFile, '..'),
  });
  if (opts.dryRun === true) {
    return { name: 'service', ok: true, detail: `would write ${path}` };
  }
  try {
    const what = await writeUnit(path, text);
    const next =
      what === 'unchanged'
        ? ''
        : `; then: systemctl daemon-reload && systemctl enable --now ${definition.bin}`;
    return { name: 'service', ok: true, detail: `${what} ${path}${next}` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      name: 'service',
      ok: false,
      detail: `cannot write ${path} (${code ?? String(err)})`,
      hint:
        code === 'EACCES' || code === 'EPERM'
          ? 'run install as root, or pass --service-dir to write the unit elsewhere'
          : 'check --service-dir',
    };
  }
}

async function mainNode(
  runtime: ProviderRuntime,
  definition: ProviderDefinition<ProviderConfig>,
  config: ProviderConfig,
  dryRun: boolean,
): Promise<CheckLine> {
  const name = 'registration';
  const fingerprint = configFingerprint(config);
  try {
    const before = await runtime.store.getRegistration(definition.id);
    const same =
      before !== undefined &&
      before.fingerprint === fingerprint &&
      before.version === definition.version;
    if (same)
      return {
        name,
        ok: true,
        detail: `${definition.id} ${definition.version} already registered; config unchanged`,
      };
    const verb = before === undefined ? 'register' : 're-register';
    if (dryRun)
      return {
        name,
        ok: true,
        detail: `would ${verb} ${definition.id} ${definition.version} (config ${fingerprint.slice(0, 12)}…)`,
      };
    await runtime.store.register({
      provider: definition.id,
      version: definition.version,
      fingerprint,
      updated: new Date(),
    });
    return {
      name,
      ok: true,
      detail: `${verb}ed ${definition.id} ${definition.version} (config ${fingerprint.slice(0, 12)}…)`,
    };
  } catch (err) {
    return failedLine(name, err);
  }
}

/**
 * Add `install` and `uninstall`.
 *
 * @param program - the provider program
 * @param definition - the provider
 * @param io - CLI I/O
 * @param env - CLI script and Node paths for the unit
 */
export function addInstallCommands(
  program: Command,
  definition: ProviderDefinition<ProviderConfig>,
  io: CliIo,
  env: InstallEnvironment = {},
): void {
  const configOption = [
    '-c, --config <file>',
    `configuration file (default: ./${definition.configFileName} or $SECUREMFA_CONFIG)`,
  ] as const;

  program
    .command('install')
    .description(
      'create/upgrade the store schema, register this provider, write the systemd unit (idempotent)',
    )
    .option(...configOption)
    .option(
      '--not-main-node',
      'an additional farm node: check the main node set up the store; change nothing shared',
    )
    .option(
      '--service-dir <dir>',
      `where to write the systemd unit (default ${DEFAULT_SERVICE_DIR})`,
    )
    .option('--dry-run', 'report what would change; change nothing')
    .action(async (opts: InstallOptions) => {
      const loaded = await loadForCommand(definition as never, io, opts.config);
      const config = loaded.config as ProviderConfig;
      const dryRun = opts.dryRun === true;
      const main = opts.notMainNode !== true;
      const lines: CheckLine[] = [
        { name: 'config', ok: true, detail: loaded.file ?? 'built-in defaults (no config file)' },
      ];
      const storeOptions = storeOptionsFromConfig(config, {
        cwd: loaded.configDir,
        migrate: main && !dryRun,
      });
      const logger = commandLogger(definition, config, false);
      try {
        if (main && dryRun) {
          // Opening without migrating tells whether the schema is current; nothing is created.
          try {
            const store = await openStore({ ...storeOptions, migrate: false } as never);
            lines.push({
              name: 'schema',
              ok: true,
              detail: `${storeLabel(storeOptions)}: schema up to date`,
            });
            await store.close();
          } catch (err) {
            lines.push({
              name: 'schema',
              ok: true,
              detail: `${storeLabel(storeOptions)}: would create or upgrade the schema (${err instanceof Error ? err.message : String(err)})`,
            });
          }
        }
        // Main node: the schema version before install migrates, to report what it applied.
        let appliedFrom: number | undefined;
        if (main && !dryRun && storeOptions.kind !== 'memory' && storeOptions.kind !== 'ad') {
          try {
            await (await openStore({ ...storeOptions, migrate: false } as never)).close();
          } catch (err) {
            appliedFrom =
              schemaVersionsOf(err)?.current ??
              (storeOptions.kind === 'sqlite' && storeProblemOf(err) === 'database_missing'
                ? 0
                : undefined);
          }
        }
        const runtime = await createProviderRuntime({
          definition,
          config,
          configDir: loaded.configDir,
          logger,
          migrate: main && !dryRun,
        }).catch((err: unknown) => {
          if (!(main && dryRun)) {
            lines.push(
              storeFailedLine(
                'store',
                err,
                main
                  ? 'check the store settings'
                  : `run \`${definition.bin} install\` on the main node first`,
              ),
            );
          }
          return undefined;
        });
        if (runtime !== undefined) {
          try {
            lines.push(await checkStore(runtime.store, storeLabel(storeOptions), CHECK_TIMEOUT_MS));
            const details = await checkStoreSchemaAndAccess(
              runtime.store,
              definition.bin,
              CHECK_TIMEOUT_MS,
              appliedFrom,
            );
            // A main-node dry run reported the schema above already.
            lines.push(...details.filter((l) => !(main && dryRun && l.name === 'schema')));
            lines.push(await checkSecrets(runtime.store, runtime.cipher));
            lines.push(
              main
                ? await mainNode(runtime, definition, config, dryRun)
                : await checkRegistration(runtime.store, definition as never, config),
            );
            lines.push(await checkChannel(runtime.channel, CHECK_TIMEOUT_MS));
          } finally {
            await runtime.close();
          }
        }
        lines.push(checkApiKey(config, definition.bin));
        if (lines.every((l) => l.ok || l.skipped === true)) {
          lines.push(await unitLine(definition, io, env, opts, loaded.file));
        } else {
          lines.push({
            name: 'service',
            ok: true,
            skipped: true,
            detail: 'not written: fix the failures above first',
          });
        }
      } finally {
        await logger.close();
      }
      printChecks(io, lines);
      if (lines.some((l) => !l.ok && l.skipped !== true)) throw new ExitError(1);
      if (dryRun) io.err('dry run: nothing was changed\n');
    });

  program
    .command('uninstall')
    .description("remove the systemd unit and this provider's registration; user data is kept")
    .option(...configOption)
    .option('--service-dir <dir>', `where the systemd unit is (default ${DEFAULT_SERVICE_DIR})`)
    .option('--keep-registration', 'leave the farm registration (other nodes still run)')
    .action(async (opts: { config?: string; serviceDir?: string; keepRegistration?: boolean }) => {
      const loaded = await loadForCommand(definition as never, io, opts.config);
      const config = loaded.config as ProviderConfig;
      const lines: CheckLine[] = [];
      const dir = opts.serviceDir ?? DEFAULT_SERVICE_DIR;
      const path = unitPath(resolve(io.cwd, dir), definition.bin);
      try {
        const removed = await removeUnit(path);
        lines.push({
          name: 'service',
          ok: true,
          detail: removed ? `removed ${path} (run: systemctl daemon-reload)` : `no unit at ${path}`,
        });
      } catch (err) {
        lines.push(failedLine('service', err, 'run uninstall as root, or pass --service-dir'));
      }
      if (opts.keepRegistration !== true) {
        const storeOptions = storeOptionsFromConfig(config, {
          cwd: loaded.configDir,
          migrate: false,
        });
        try {
          const store = await openStore(storeOptions);
          try {
            const gone = await store.unregister(definition.id);
            lines.push({
              name: 'registration',
              ok: true,
              detail: gone
                ? `unregistered ${definition.id}; user data kept in ${storeLabel(storeOptions)}`
                : `${definition.id} was not registered`,
            });
          } finally {
            await store.close();
          }
        } catch (err) {
          lines.push(failedLine('registration', err));
        }
      }
      printChecks(io, lines);
      if (lines.some((l) => !l.ok)) throw new ExitError(1);
    });
}
