// A real e-mail OTP provider node for end-to-end tests, in-process: config from a plain object
// (checkConfig, the validation a file gets), the composition root `createProviderRuntime` with
// the e-mail provider definition, the host `createRuntimeHost` on 127.0.0.1 (ephemeral port),
// and a real SecureMFA logger whose JSON records the test reads back (what a log file holds).
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  createProviderRuntime,
  type Directory,
  type EmailOtpConfig,
  type ProviderRuntime,
} from '@securemfa/core';
import { createRuntimeHost, type RuntimeHost } from '@securemfa/core/http';
import { emailOtpProvider } from '@securemfa/email-otp';
import { captureProviderLog, type CapturedLog } from './captured-log.js';
import { postJson, type HttpResult } from './e2e-qr-host.js';
import { validConfig } from './valid-config.js';

export type { CapturedLog };

/**
 * A normalised EmailOtpConfig from a plain object, failing loudly on any config error.
 *
 * @param json - the file's keys (string values, as the manuals write them, are fine)
 * @returns the config
 */
export function emailConfig(json: Record<string, unknown>): EmailOtpConfig {
  return validConfig('email-otp', json);
}

/**
 * The keys of a test node's config file, in the manuals' style (string values): SQLite in
 * `dir`, encrypted secrets, a random adapter key, SMTP at 127.0.0.1:`smtpPort` (anonymous,
 * plain), a short smtp_timeout_ms, rate limits out of the way. `extra` replaces any of them.
 *
 * @param dir - the test's temp folder
 * @param smtpPort - the SMTP server's port
 * @param extra - more keys
 * @returns the keys
 */
export function emailNodeJson(
  dir: string,
  smtpPort: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    company: 'Adatum E2E',
    auth_mode: 'SQLITE',
    sqlite_path: join(dir, `${randomBytes(6).toString('hex')}.db`),
    data_encryption: 'true',
    data_encryption_passphrase: randomBytes(18).toString('base64url'),
    adapter_api_key: randomBytes(32).toString('base64url'),
    smtp_server: '127.0.0.1',
    smtp_port: String(smtpPort),
    smtp_mailfrom: 'mfa.no.reply@adatum.test',
    smtp_mailfrom_title: 'sMFA Email Time Based OTP Provider',
    smtp_timeout_ms: '3000',
    rate_limit_per_ip_per_minute: '100000',
    rate_limit_per_user_per_minute: '100000',
    ...extra,
  };
}

/**
 * A real logger (winston + redaction, source "Secure MFA OTP") writing to memory.
 *
 * @param options - verboselog, secrets to scrub
 * @returns the logger and its records
 */
export function captureEmailLog(
  options: { verbose?: boolean; secrets?: string[] } = {},
): CapturedLog {
  return captureProviderLog('Secure MFA OTP', options);
}

/** A running node. */
export interface EmailNode {
  runtime: ProviderRuntime<EmailOtpConfig>;
  host: RuntimeHost;
  log: CapturedLog;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** POST /adapter/begin with the node's key. */
  begin(upn: string, extra?: Record<string, unknown>): Promise<HttpResult>;
  /** POST /adapter/end with the node's key. */
  end(context: string, code: string, extra?: Record<string, unknown>): Promise<HttpResult>;
  close(): Promise<void>;
}

/**
 * Start a node.
 *
 * @param config - normalised config (adapter_api_key set)
 * @param options - config folder; an injected clock or directory
 * @returns the node (close it in afterAll)
 */
export async function startEmailNode(
  config: EmailOtpConfig,
  options: { configDir: string; clock?: () => Date; directory?: Directory; verbose?: boolean },
): Promise<EmailNode> {
  const log = captureEmailLog({
    verbose: options.verbose ?? config.verboselog,
    secrets: [config.adapter_api_key, config.data_encryption_passphrase, config.smtp_password],
  });
  const runtime = await createProviderRuntime({
    definition: emailOtpProvider,
    config,
    configDir: options.configDir,
    logger: log.logger,
    clock: options.clock,
    directory: options.directory,
  });
  let host: RuntimeHost;
  try {
    host = await createRuntimeHost(runtime, {
      configDir: options.configDir,
      processMetrics: false,
    });
    await host.app.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await runtime.close();
    await log.logger.close();
    throw err;
  }
  const { port } = host.app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const post = (path: string, body: unknown) => postJson(base, path, body, config.adapter_api_key);
  let closed: Promise<void> | undefined;
  return {
    runtime,
    host,
    log,
    base,
    begin: (upn, extra = {}) =>
      post('/adapter/begin', { upn, ip: '203.0.113.9', userAgent: 'e2e-mail/1.0', ...extra }),
    end: (context, code, extra = {}) =>
      post('/adapter/end', {
        context,
        code,
        ip: '203.0.113.9',
        userAgent: 'e2e-mail/1.0',
        ...extra,
      }),
    close() {
      closed ??= (async () => {
        await host.app.close();
        await runtime.close();
        await log.logger.close();
      })();
      return closed;
    },
  };
}

/**
 * The provider-failure events (5553) logged so far.
 *
 * @param log - the node's log
 * @returns the records
 */
export async function failureEvents(log: CapturedLog): Promise<Record<string, unknown>[]> {
  await log.flush();
  return log.records.filter((r) => r.eventId === 5553);
}
