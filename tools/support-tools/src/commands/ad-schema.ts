/**
 * `ad-schema status` and `ad-schema extend`: the AD schema extension of AD mode (the
 * `sMFA-OTP-*` attributes, the auxiliary class `sMFA-OTP-User` attached to `user`, and the data
 * container `CN=SecureMFA,CN=Program Data,…`) — the definitions of
 * `ad-schema/securemfa-otp-schema.ldif`, applied over LDAP by core's `applyAdSchema` (a core test
 * keeps the LDIF and those definitions equal).
 *
 * - `status` only reads and reports every item as `exists` or `missing` (exit code 1 when
 *   something is missing or differs);
 * - `extend` adds what is missing and leaves what exists (idempotent: a second run reports every
 *   item `exists`). Schema additions are permanent, so it asks first unless `--yes`. It needs a
 *   member of Schema Admins: `--bind-dn` and `--bind-password-file` override the configuration's
 *   service account for this run.
 *
 * The connection is the configuration's `ldap_url`, `ldap_base_dn`, `ldap_tls_ca_file`,
 * `ldap_tls_servername` and `ldap_timeout_ms` (at least 30 s: schema reloads are slow).
 *
 * @module commands/ad-schema
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  applyAdSchema,
  EventId,
  createLogger,
  readAdSchemaStatus,
  type AdSchemaOptions,
  type AdSchemaReport,
} from '@securemfa/core';
import { ExitError, printJson } from '@securemfa/core/cli';
import { withConfig, withJson, withYes, type CommonOptions } from '../command-options.js';
import { confirm } from '../confirm.js';
import { readPassphraseFile } from '../passphrase-file.js';
import { renderTable } from '../table.js';
import { UsageError } from '../tool-errors.js';
import { configSecrets, LOG_SOURCE, logFilePath } from '../tools-context.js';
import { loadToolsConfig, type LoadedToolsConfig } from '../tools-config.js';
import type { ToolsIo } from '../tools-io.js';

/** Options of the ad-schema commands. */
export interface AdSchemaCommandOptions extends CommonOptions {
  bindDn?: string;
  bindPasswordFile?: string;
  dataDn?: string;
}

/** Shortest timeout for schema work (ms). */
const MIN_SCHEMA_TIMEOUT_MS = 30_000;

async function connection(
  loaded: LoadedToolsConfig,
  options: AdSchemaCommandOptions,
  io: ToolsIo,
): Promise<AdSchemaOptions> {
  const c = loaded.config;
  for (const [key, value] of [
    ['ldap_url', c.ldap_url],
    ['ldap_base_dn', c.ldap_base_dn],
  ] as const) {
    if (value.trim() === '') {
      throw new UsageError(
        `${loaded.file}: ${key} is empty; the AD schema commands connect with the ldap_* settings`,
        {
          hint: `set ${key} (e.g. ldaps://dc1.contoso.com and DC=contoso,DC=com)`,
        },
      );
    }
  }
  const bindPassword =
    options.bindPasswordFile === undefined
      ? c.ldap_bind_password
      : await readPassphraseFile('--bind-password-file', options.bindPasswordFile, io, 0);
  const bindDn = options.bindDn ?? c.ldap_bind_dn;
  if (bindDn === '' || bindPassword === '') {
    throw new UsageError('no LDAP credentials: ldap_bind_dn / ldap_bind_password are empty', {
      hint: 'pass --bind-dn and --bind-password-file of a Schema Admin',
    });
  }
  const ca = c.ldap_tls_ca_file.trim();
  return {
    url: c.ldap_url,
    baseDn: c.ldap_base_dn,
    bindDn,
    bindPassword,
    timeoutMs: Math.max(c.ldap_timeout_ms, MIN_SCHEMA_TIMEOUT_MS),
    ...(ca === '' ? {} : { tlsCaFile: resolve(loaded.configDir, ca) }),
    ...(c.ldap_tls_servername.trim() === '' ? {} : { tlsServername: c.ldap_tls_servername }),
    ...(options.dataDn === undefined ? {} : { dataDn: options.dataDn }),
  };
}

function printReport(io: ToolsIo, report: AdSchemaReport, json: boolean | undefined): void {
  if (json === true) {
    printJson(io, report);
    return;
  }
  io.out(`schema: ${report.schemaNamingContext}\n`);
  io.out(
    renderTable(
      ['KIND', 'NAME', 'STATUS', 'PROBLEM'],
      report.items.map((i) => [i.kind, i.name, i.status, i.problem ?? '']),
    ),
  );
}

/**
 * Report which parts of the extension exist.
 *
 * @param options - config, credentials, data DN, json
 * @param io - CLI I/O
 * @returns the report
 * @throws {ExitError} 1 when the extension is incomplete
 */
export async function adSchemaStatus(
  options: AdSchemaCommandOptions,
  io: ToolsIo,
): Promise<AdSchemaReport> {
  const loaded = await loadToolsConfig(options, io);
  const report = await readAdSchemaStatus(await connection(loaded, options, io));
  printReport(io, report, options.json);
  if (!report.complete) {
    if (options.json !== true) {
      io.err(
        'the SecureMFA schema extension is incomplete\nhint: run `securemfa-tools ad-schema extend` as a Schema Admin\n',
      );
    }
    throw new ExitError(1);
  }
  if (options.json !== true) io.out('the SecureMFA schema extension is complete\n');
  return report;
}

/**
 * Apply the extension (idempotent).
 *
 * @param options - config, credentials, data DN, yes, json
 * @param io - CLI I/O
 * @returns the report of the apply (or of the status, when nothing was missing)
 * @throws {StoreError} ERR_STORE_SCHEMA when the server refuses (not a Schema Admin…)
 */
export async function adSchemaExtend(
  options: AdSchemaCommandOptions,
  io: ToolsIo,
): Promise<AdSchemaReport> {
  const loaded = await loadToolsConfig(options, io);
  const conn = await connection(loaded, options, io);
  const before = await readAdSchemaStatus(conn);
  const missing = before.items.filter((i) => i.status === 'missing');
  let report = before;
  if (missing.length > 0) {
    await confirm(
      io,
      `add ${missing.length} missing item${missing.length === 1 ? '' : 's'} (${missing.map((i) => i.name).join(', ')}) to ${before.schemaNamingContext} — schema additions are permanent`,
      options.yes,
    );
    report = await applyAdSchema(conn);
    const logFile = logFilePath(loaded);
    if (logFile !== undefined) {
      const logger = createLogger({
        source: LOG_SOURCE,
        console: false,
        file: logFile,
        secrets: [...configSecrets(loaded.config), conn.bindPassword],
      });
      logger.event(EventId.ProviderSuccess, 'support tools: AD schema extended', {
        action: 'ad-schema extend',
        added: report.items
          .filter((i) => i.status === 'added' || i.status === 'updated')
          .map((i) => i.name),
      });
      await logger.close();
    }
  }
  printReport(io, report, options.json);
  const problems = report.items.filter((i) => i.problem !== undefined);
  if (options.json !== true) {
    io.out(
      missing.length === 0
        ? 'nothing to add: every item exists\n'
        : `added ${report.items.filter((i) => i.status === 'added' || i.status === 'updated').length} item(s)\n`,
    );
  }
  if (problems.length > 0 || !report.complete) {
    io.err(
      'error: some existing schema items differ from the SecureMFA definitions (see PROBLEM)\n',
    );
    throw new ExitError(1);
  }
  return report;
}

/**
 * Register `ad-schema status` and `ad-schema extend`.
 *
 * @param program - the program
 * @param io - CLI I/O
 */
export function registerAdSchema(program: Command, io: ToolsIo): void {
  const ad = program
    .command('ad-schema')
    .description('the AD schema extension of AD mode (ad-schema/securemfa-otp-schema.ldif)');
  const common = (cmd: Command): Command =>
    withJson(
      withConfig(cmd)
        .option(
          '--bind-dn <dn>',
          'bind as this account instead of ldap_bind_dn (a Schema Admin for extend)',
        )
        .option('--bind-password-file <file>', 'file holding that account’s password')
        .option(
          '--data-dn <dn>',
          'the data container (default CN=SecureMFA,CN=Program Data,<domain>)',
        ),
    );
  common(
    ad.command('status').description('report which parts of the extension exist (read only)'),
  ).action(async (opts: AdSchemaCommandOptions) => {
    await adSchemaStatus(opts, io);
  });
  withYes(
    common(
      ad
        .command('extend')
        .description('add what is missing of the extension (idempotent; needs a Schema Admin)'),
    ),
  ).action(async (opts: AdSchemaCommandOptions) => {
    await adSchemaExtend(opts, io);
  });
}
