// A real qr-otp host with the win-otp portal on (win_portal_enable), users enrolled through its
// adapter REST API the way a user's first logon does it (QR scanned → the secret, first code from
// oathtool), and win-otp agent config files pointing at it. Plus the in-process agent CLI runner
// (core's memoryIo: exit code and output, an injected clock).
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import type { QrOtpConfig } from '@securemfa/core';
import { memoryIo } from '@securemfa/core/cli';
import {
  defaultAgentConfig,
  runWinOtpCli,
  writeAgentConfigFile,
  type AgentConfig,
  type WinOtpCliDeps,
} from '@securemfa/win-otp';
import { oathtoolTotp, safeStepNow } from './e2e-otp-tools.js';
import { postJson, qrConfig, startQrNode, type QrNode } from './e2e-qr-host.js';

/** The secrets a portal and its agents share. */
export interface PortalSecrets {
  /** win_portal_passphrase = the agents' data_encryption_passphrase. */
  passphrase: string;
  /** api_headers_value on both sides. */
  apiHeadersValue: string;
  /** The host's adapter_api_key (enrolment through the adapter API). */
  adapterApiKey: string;
}

/** A running portal. */
export interface WinPortal {
  node: QrNode;
  config: QrOtpConfig;
  secrets: PortalSecrets;
  dir: string;
  dbPath: string;
  logFile: string;
  close(): Promise<void>;
}

/** Fresh random secrets. */
export function portalSecrets(): PortalSecrets {
  return {
    passphrase: randomBytes(18).toString('base64url'),
    apiHeadersValue: randomBytes(30).toString('base64url'),
    adapterApiKey: randomBytes(32).toString('base64url'),
  };
}

/**
 * The portal's config (SQLite file in `dir`, encrypted secrets, lockout 3 failures / 5 min).
 *
 * @param dir - the suite's folder
 * @param secrets - shared secrets
 * @param extra - more keys
 * @returns the config
 */
export function portalConfig(
  dir: string,
  secrets: PortalSecrets,
  extra: Record<string, unknown> = {},
): QrOtpConfig {
  return qrConfig({
    company: 'E2E Adatum',
    auth_mode: 'SQLITE',
    sqlite_path: join(dir, 'otp.db'),
    data_encryption: 'true',
    data_encryption_passphrase: randomBytes(18).toString('base64url'),
    adapter_api_key: secrets.adapterApiKey,
    ui_login_failures: '3',
    ui_lockout_minutes: '5',
    rate_limit_per_ip_per_minute: '100000',
    rate_limit_per_user_per_minute: '100000',
    win_portal_enable: 'true',
    win_portal_passphrase: secrets.passphrase,
    api_headers_value: secrets.apiHeadersValue,
    ...extra,
  });
}

/**
 * Start a portal node.
 *
 * @param options - folder (default a new temp folder), secrets, config (default {@link portalConfig})
 * @returns the portal; close it in afterAll
 */
export async function startWinPortal(
  options: { dir?: string; secrets?: PortalSecrets; config?: QrOtpConfig; logName?: string } = {},
): Promise<WinPortal> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'e2e-win-')));
  const secrets = options.secrets ?? portalSecrets();
  const config = options.config ?? portalConfig(dir, secrets);
  const logFile = join(dir, options.logName ?? 'portal.log');
  const node = await startQrNode(config, { configDir: dir, logFile });
  return {
    node,
    config,
    secrets,
    dir,
    dbPath: config.sqlite_path,
    logFile,
    close: () => node.close(),
  };
}

/**
 * Enrol a user through the adapter API: begin (QR → the secret), end with the code of the
 * previous step, so the current and the next step remain for the test.
 *
 * @param portal - the portal
 * @param upn - the user
 * @returns the user's base32 secret
 */
export async function enrolUser(portal: WinPortal, upn: string): Promise<string> {
  const key = portal.secrets.adapterApiKey;
  const begun = await postJson(portal.node.base, '/adapter/begin', { upn }, key);
  expect([begun.status, begun.json?.status]).toEqual([200, 'enroll']);
  const secret = begun.json.presentation.enrollment.secret as string;
  const epoch = await safeStepNow(30, 5);
  const code = await oathtoolTotp(secret, epoch - 30);
  const ended = await postJson(
    portal.node.base,
    '/adapter/end',
    { context: begun.json.context, code },
    key,
  );
  expect([ended.status, ended.json?.ok]).toEqual([200, true]);
  return secret;
}

/**
 * Write an agent config file (0600) for a portal URL.
 *
 * @param file - where
 * @param endpoint - api_endpoint
 * @param secrets - shared secrets
 * @param extra - more keys (seed spelling)
 * @returns the config written
 */
export async function writeAgentConfig(
  file: string,
  endpoint: string,
  secrets: PortalSecrets,
  extra: Partial<AgentConfig> = {},
): Promise<AgentConfig> {
  const config: AgentConfig = {
    ...defaultAgentConfig(),
    anchordnsname: 'adatum.test',
    api_endpoint: endpoint,
    api_timeout: 3000,
    data_encryption_passphrase: secrets.passphrase,
    api_headers_value: secrets.apiHeadersValue,
    totp_offline_secret_valid_days: 7,
    totp_offline_ui_login_failures: 3,
    totp_offline_ui_lockout_minutes: 10,
    log_file: 'agent.log',
    ...extra,
  };
  await writeAgentConfigFile(file, config);
  return config;
}

/** How an in-process CLI run ended. */
export interface AgentRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run `securemfa-win-otp <args>` in-process (the same program the bin runs).
 *
 * @param args - arguments after the program name
 * @param options - stdin, env, cwd, injected dependencies (clock)
 * @returns exit code and output
 */
export async function runAgent(
  args: readonly string[],
  options: {
    stdin?: string;
    env?: Record<string, string | undefined>;
    cwd?: string;
    deps?: WinOtpCliDeps;
  } = {},
): Promise<AgentRun> {
  const io = memoryIo({
    stdin: options.stdin ?? '',
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  });
  const code = await runWinOtpCli(['node', 'securemfa-win-otp', ...args], io, options.deps ?? {});
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/**
 * The JSON records of a log file with a given event ID.
 *
 * @param text - the log file's content
 * @param eventId - 5550–5557
 * @returns the records
 */
export function eventsIn(text: string, eventId: number): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.eventId === eventId);
}
