// The SMTP channel on its own (deliver / verify / close) against a real smtp-server on
// 127.0.0.1: the pool reuses a few connections for many messages; close ends it and later calls
// fail cleanly; a missing smtp_server or an unusable smtp_tls_ca_file does not stop the provider
// but makes verify and deliver fail with a hint; an aborted signal ends a delivery; the SMTP
// password is registered with the logger's redactor.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  createRedactor,
  parseConfig,
  type EmailOtpConfig,
  type Logger,
  type OtpMessage,
} from '@securemfa/core';
import { SMTPServer } from 'smtp-server';
import { createSmtpChannel } from '../src/smtp-channel.js';

/** A Logger that keeps its records (the channel only logs at start-up). */
function recordingLogger(): Logger & { lines: Array<{ level: string; message: string }> } {
  const lines: Array<{ level: string; message: string }> = [];
  const redactor = createRedactor();
  const at =
    (level: string) =>
    (message: string): void => {
      lines.push({ level, message: redactor.redactString(message) });
    };
  const logger = {
    lines,
    redactor,
    event: (_id: number, message: string) => at('event')(message),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: () => logger,
    close: async () => {},
  };
  return logger as unknown as Logger & { lines: typeof lines };
}

let dir: string;
let server: SMTPServer;
let port: number;
let received = 0;
let connections = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'email-otp-channel-'));
  server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onConnect(_s, cb) {
      connections += 1;
      cb();
    },
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received += 1;
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  received = 0;
  connections = 0;
});

function config(json: Record<string, unknown> = {}): EmailOtpConfig {
  return parseConfig('email-otp', {
    smtp_server: '127.0.0.1',
    smtp_port: port,
    smtp_mailfrom: 'mfa.no.reply@adatum.test',
    smtp_timeout_ms: 3000,
    ...json,
  }).config;
}

const message = (n: number): OtpMessage => ({
  upn: `user${n}@adatum.test`,
  to: `user${n}@adatum.test`,
  code: '123456',
  validUntil: new Date(Date.now() + 60_000),
  lang: 'en',
  attributes: {},
});

describe('deliver over the pool', () => {
  it('30 messages at once over at most smtp_pool_size (2) connections', async () => {
    const channel = await createSmtpChannel({
      config: config({ smtp_pool_size: 2 }),
      logger: recordingLogger(),
    });
    try {
      const receipts = await Promise.all(
        Array.from({ length: 30 }, (_, n) =>
          channel.deliver(message(n), AbortSignal.timeout(10_000)),
        ),
      );
      expect(receipts[7]).toEqual({ destination: 'u***@adatum.test' });
      expect(received).toBe(30);
      expect(connections).toBeGreaterThanOrEqual(1);
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      await channel.close();
    }
  });

  it('an already aborted signal: ERR_CHANNEL_TIMEOUT, nothing sent', async () => {
    const channel = await createSmtpChannel({ config: config(), logger: recordingLogger() });
    try {
      const signal = AbortSignal.timeout(0);
      await new Promise((r) => setTimeout(r, 5));
      await expect(channel.deliver(message(1), signal)).rejects.toMatchObject({
        code: 'ERR_CHANNEL_TIMEOUT',
      });
      expect(received).toBe(0);
    } finally {
      await channel.close();
    }
  });
});

describe('close', () => {
  it('is idempotent; deliver and verify afterwards fail with ERR_CHANNEL_UNREACHABLE', async () => {
    const channel = await createSmtpChannel({ config: config(), logger: recordingLogger() });
    // this server takes mail without AUTH: verify says so instead of claiming a login
    expect(await channel.verify(AbortSignal.timeout(5000))).toMatch(
      /no TLS, anonymous: the server greeted and accepts mail without a login$/,
    );
    await channel.close();
    await channel.close();
    await expect(channel.deliver(message(1), AbortSignal.timeout(1000))).rejects.toMatchObject({
      code: 'ERR_CHANNEL_UNREACHABLE',
      message: 'the SMTP channel is closed',
    });
    await expect(channel.verify(AbortSignal.timeout(1000))).rejects.toMatchObject({
      code: 'ERR_CHANNEL_UNREACHABLE',
    });
  });
});

describe('configuration problems found when the channel is built', () => {
  it('no smtp_server: logged once at start-up; verify and deliver fail with the hint', async () => {
    const logger = recordingLogger();
    const channel = await createSmtpChannel({ config: config({ smtp_server: '' }), logger });
    expect(logger.lines).toEqual([
      { level: 'error', message: 'e-mail channel: smtp_server is not set' },
    ]);
    for (const call of [
      () => channel.verify(AbortSignal.timeout(1000)),
      () => channel.deliver(message(1), AbortSignal.timeout(1000)),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: 'ERR_CHANNEL_UNREACHABLE',
        message: 'smtp_server is not set',
        hint: expect.stringContaining('set smtp_server'),
      });
    }
    await channel.close();
  });

  it('an unreadable or empty smtp_tls_ca_file names the file; a relative one resolves against cwd', async () => {
    await writeFile(join(dir, 'not-a-cert.pem'), 'hello\n');
    const missing = await createSmtpChannel({
      config: config({ smtp_enablessl: true, smtp_tls_ca_file: 'missing.pem' }),
      logger: recordingLogger(),
      cwd: dir,
    });
    await expect(missing.verify(AbortSignal.timeout(1000))).rejects.toMatchObject({
      code: 'ERR_CHANNEL_UNREACHABLE',
      message: `cannot read smtp_tls_ca_file ${join(dir, 'missing.pem')} (ENOENT)`,
      hint: expect.stringContaining('readable PEM file'),
    });
    const empty = await createSmtpChannel({
      config: config({ smtp_enablessl: true, smtp_tls_ca_file: 'not-a-cert.pem' }),
      logger: recordingLogger(),
      cwd: dir,
    });
    await expect(empty.verify(AbortSignal.timeout(1000))).rejects.toMatchObject({
      message: `smtp_tls_ca_file ${join(dir, 'not-a-cert.pem')} holds no PEM certificate`,
    });
    await missing.close();
    await empty.close();
    expect(connections).toBe(0);
  });

  it('warns about settings that do not fit together, and registers the password as a secret', async () => {
    const logger = recordingLogger();
    const channel = await createSmtpChannel({
      config: config({
        smtp_port: 465,
        smtp_tls_ca_file: 'ca.pem',
        smtp_username: 'smtpuser',
        smtp_password: 'the-smtp-password',
      }),
      logger,
      cwd: dir,
    });
    expect(logger.lines.map((l) => l.message)).toEqual([
      expect.stringMatching(/^smtp_port is 465 \(implicit TLS\) but smtp_enablessl is false/),
      'smtp_tls_ca_file is set, but has no effect while smtp_enablessl is false',
    ]);
    expect(logger.redactor.redactString('pw=the-smtp-password')).not.toContain('the-smtp-password');
    expect(channel.description).toBe('127.0.0.1:465 no TLS, AUTH as smtpuser');
    await channel.close();
  });
});
