// SMTP transport security and failure modes, end to end over the HTTP adapter API of e-mail OTP
// nodes (runtime host on 127.0.0.1) against real SMTP servers in-process: STARTTLS with a
// private CA made by openssl (SAN 127.0.0.1), implicit TLS on a 465 server, AUTH PLAIN and LOGIN;
// and every way a delivery fails — untrusted or mismatched certificate, no STARTTLS offered,
// wrong password, AUTH required, server down, a server that accepts TCP and never greets (must
// end within smtp_timeout_ms), recipient refused. Each failure: HTTP 200 `unavailable` with a
// clear message in the user's language, event 5553 with the reason, no stack trace, nothing
// counted against the user, and once the cause is gone the same node signs the user in.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { t } from '@securemfa/core';
import { closedPort, startSilentServer, type SilentServer } from '@securemfa/testkit';
import { expectNoInternals } from '../helpers/e2e-qr-host.js';
import { makeSmtpTestPki, type SmtpTestPki } from '../helpers/smtp-certs.js';
import {
  emailConfig,
  emailNodeJson,
  failureEvents,
  startEmailNode,
  type EmailNode,
} from '../helpers/smtp-email-node.js';
import {
  codeInMail,
  startSmtpFront,
  startSmtpServer,
  type SmtpFront,
  type TestSmtpServer,
} from '../helpers/smtp-server.js';

jest.setTimeout(30_000);

const USER = 'smtpuser';
const PASSWORD = 'Sm7p-Pa55-w0rd!';
const DELIVERY_FAILED = t('en', 'outcome.delivery_failed');

let dir: string;
let pki: SmtpTestPki;
let starttls: TestSmtpServer;
let plainOnly: TestSmtpServer;
let loginOnly: TestSmtpServer;
let implicit: TestSmtpServer;
let noTls: TestSmtpServer;
let anonymous: TestSmtpServer;
let silent: SilentServer;
let front: SmtpFront;
let downPort: number;
const servers: Array<{ close(): Promise<void> }> = [];
const nodes: EmailNode[] = [];

/** A node with SMTP at `port`; `tls` adds smtp_enablessl with the test CA and the credentials. */
async function start(
  port: number,
  extra: Record<string, string> = {},
  tls = true,
): Promise<EmailNode> {
  const keys: Record<string, string> = tls
    ? {
        smtp_enablessl: 'true',
        smtp_tls_ca_file: pki.caFile,
        smtp_username: USER,
        smtp_password: PASSWORD,
      }
    : {};
  const n = await startEmailNode(
    emailConfig(emailNodeJson(dir, port, { ...keys, ...extra, verboselog: 'true' })),
    { configDir: dir },
  );
  nodes.push(n);
  return n;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-email-smtp-'));
  pki = await makeSmtpTestPki(dir);
  const tls = { key: pki.keyPem, cert: pki.certPem };
  const auth = { user: USER, password: PASSWORD };
  [starttls, plainOnly, loginOnly, implicit, noTls, anonymous, silent] = await Promise.all([
    startSmtpServer({ tls, auth }),
    startSmtpServer({ tls, auth: { ...auth, methods: ['PLAIN'] } }),
    startSmtpServer({ tls, auth: { ...auth, methods: ['LOGIN'] } }),
    // Implicit TLS is what smtp_enablessl means on port 465 (as nodemailer and the RFC 8314
    // submissions port): this server must own 127.0.0.1:465; the suite fails if it cannot.
    startSmtpServer({ tls, auth, secure: true, port: 465 }),
    startSmtpServer({ auth }), // no TLS at all: STARTTLS is not offered
    startSmtpServer(),
    startSilentServer(),
  ]);
  servers.push(starttls, plainOnly, loginOnly, implicit, noTls, anonymous, silent);
  front = await startSmtpFront(anonymous.port, 'hang');
  servers.push(front);
  downPort = await closedPort();
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await Promise.all(servers.map((s) => s.close()));
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  for (const s of [starttls, plainOnly, loginOnly, implicit, noTls, anonymous]) s.reset();
});

/** Begin, take the code from the one mail `server` receives, end: the sign-in works. */
async function signsIn(n: EmailNode, server: TestSmtpServer, upn: string) {
  const b = await n.begin(upn);
  expect(b.json.status).toBe('code_sent');
  const [mail] = await server.waitForMails(1);
  const e = await n.end(b.json.context, codeInMail(mail!));
  expect(e.json.ok).toBe(true);
  return mail!;
}

/**
 * Begin fails to deliver: what the user and the log get. Returns the elapsed milliseconds.
 */
async function deliveryFails(
  n: EmailNode,
  upn: string,
  expected: { reason: string; error: RegExp; message?: string; lang?: string },
): Promise<number> {
  const t0 = Date.now();
  const b = await n.begin(upn, expected.lang === undefined ? {} : { lang: expected.lang });
  const ms = Date.now() - t0;
  expect(b.status).toBe(200);
  expect(b.json.status).toBe('unavailable');
  expect(typeof b.json.context).toBe('string');
  expect(b.json.presentation.message).toBe(expected.message ?? DELIVERY_FAILED);
  expect(expectNoInternals(b.text)).toEqual([]);
  const event = (await failureEvents(n.log)).find((r) => r.upn === upn);
  expect(event).toMatchObject({
    eventId: 5553,
    outcome: 'failure',
    reason: expected.reason,
    message: 'code delivery via smtp failed',
  });
  expect(String(event!.error)).toMatch(expected.error);
  // Nothing secret or internal in the log, even with verboselog.
  expect(n.log.text()).not.toContain(PASSWORD);
  expect(n.log.text()).not.toMatch(/\n\s+at |\.js:\d+/);
  // Not the user's fault: no failure counted, the login can be retried.
  expect((await n.runtime.store.get(upn))?.failedlogoncount ?? 0).toBe(0);
  return ms;
}

describe('TLS and authentication that work', () => {
  it('STARTTLS with the private CA (smtp_tls_ca_file), AUTH as smtp_username', async () => {
    const n = await start(starttls.port);
    const mail = await signsIn(n, starttls, 'tls.user@adatum.test');
    expect(mail.secure).toBe(true); // upgraded before MAIL FROM
    expect(mail.user).toBe(USER);
    expect(starttls.auths).toEqual([
      expect.objectContaining({ username: USER, ok: true, secure: true }),
    ]);
  });

  it('implicit TLS on port 465 (TLS from the first byte)', async () => {
    const n = await start(465);
    const mail = await signsIn(n, implicit, 'implicit.tls@adatum.test');
    expect(mail.secure).toBe(true);
    expect(mail.user).toBe(USER);
  });

  it.each([
    ['PLAIN', () => plainOnly],
    ['LOGIN', () => loginOnly],
  ] as const)('AUTH %s when that is what the server offers', async (method, server) => {
    const n = await start(server().port);
    await signsIn(n, server(), `auth.${method.toLowerCase()}@adatum.test`);
    expect(server().auths).toEqual([
      expect.objectContaining({ method, username: USER, ok: true, secure: true }),
    ]);
  });

  it('smtp_tls_servername: the certificate is checked against that name (localhost), not 127.0.0.1', async () => {
    const n = await start(starttls.port, { smtp_tls_servername: 'localhost' });
    await signsIn(n, starttls, 'sni.user@adatum.test');
  });

  it('the channel’s verify connects, upgrades and authenticates, and sends nothing', async () => {
    const n = await start(starttls.port);
    const channel = n.runtime.channel;
    if (channel.mode !== 'send') throw new Error('the e-mail channel must be a send channel');
    const proved = await channel.verify(AbortSignal.timeout(5000));
    expect(proved).toMatch(/STARTTLS, AUTH as .+: the server accepted the login$/);
    expect(proved).not.toContain(PASSWORD);
    expect(starttls.auths).toEqual([expect.objectContaining({ ok: true, secure: true })]);
    expect(starttls.envelopes).toBe(0);
    expect(starttls.mails).toHaveLength(0);
  });
});

describe('deliveries that fail: clear message, 5553 with the reason, no stack, retry possible', () => {
  it('a certificate from an unknown CA (Node’s public CAs only): TLS failed', async () => {
    const n = await start(starttls.port, { smtp_tls_ca_file: '' });
    await deliveryFails(n, 'no.ca@adatum.test', {
      reason: 'ERR_CHANNEL_UNREACHABLE',
      error: /TLS failed/,
    });
    expect(starttls.auths).toHaveLength(0); // the password never left
  });

  it('smtp_tls_ca_file names another CA: TLS failed, the password is not sent', async () => {
    const n = await start(starttls.port, { smtp_tls_ca_file: pki.otherCaFile });
    await deliveryFails(n, 'other.ca@adatum.test', {
      reason: 'ERR_CHANNEL_UNREACHABLE',
      error: /TLS failed/,
    });
    expect(starttls.auths).toHaveLength(0);
  });

  it('a certificate for another name (smtp_tls_servername wrong.example): TLS failed', async () => {
    const n = await start(starttls.port, { smtp_tls_servername: 'wrong.example' });
    await deliveryFails(n, 'wrong.name@adatum.test', {
      reason: 'ERR_CHANNEL_UNREACHABLE',
      error: /TLS failed/,
    });
  });

  it('smtp_enablessl but the server offers no STARTTLS: refused, never sent in clear', async () => {
    const n = await start(noTls.port);
    await deliveryFails(n, 'no.starttls@adatum.test', {
      reason: 'ERR_CHANNEL_UNREACHABLE',
      error: /STARTTLS|TLS/,
    });
    expect(noTls.auths).toHaveLength(0);
    expect(noTls.envelopes).toBe(0);
  });

  it('a wrong password: authentication failed; with the right one the same node signs in', async () => {
    const n = await start(starttls.port, { smtp_password: 'not-the-password' });
    await deliveryFails(n, 'wrong.pw@adatum.test', {
      reason: 'ERR_CHANNEL_AUTH',
      error: /authentication failed/,
      message: t('de', 'outcome.delivery_failed'),
      lang: 'de',
    });
    expect(starttls.auths).toEqual([expect.objectContaining({ ok: false })]);
    expect(n.log.text()).not.toContain('not-the-password');
    // The operator fixes the server side (here: the server now takes that password).
    starttls.password = 'not-the-password';
    try {
      await signsIn(n, starttls, 'wrong.pw@adatum.test');
    } finally {
      starttls.password = PASSWORD;
    }
  });

  it('AUTH required but no smtp_username: the server requires authentication', async () => {
    const n = await start(starttls.port, { smtp_username: '', smtp_password: '' });
    await deliveryFails(n, 'no.auth@adatum.test', {
      reason: 'ERR_CHANNEL_AUTH',
      error: /requires authentication/,
    });
  });

  it('the server is down: cannot connect (ECONNREFUSED), fast', async () => {
    const n = await start(downPort, {}, false);
    const ms = await deliveryFails(n, 'server.down@adatum.test', {
      reason: 'ERR_CHANNEL_UNREACHABLE',
      error: /cannot connect.*ECONNREFUSED/,
    });
    expect(ms).toBeLessThan(2000);
  });

  it('a server that accepts TCP and never greets: ends within smtp_timeout_ms (1500)', async () => {
    const n = await start(silent.port, { smtp_timeout_ms: '1500' }, false);
    const ms = await deliveryFails(n, 'never.greets@adatum.test', {
      reason: 'ERR_CHANNEL_TIMEOUT',
      error: /no answer within 1500 ms|timed out/,
    });
    expect(silent.accepted).toBeGreaterThanOrEqual(1);
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(2400); // the channel's deadline, not the adapter's (smtp + 1 s margin)
  });

  it('hang, then the server answers again: the retried sign-in of the same node works', async () => {
    const n = await start(front.port, { smtp_timeout_ms: '1500' }, false);
    front.mode = 'hang';
    await deliveryFails(n, 'flaky.net@adatum.test', {
      reason: 'ERR_CHANNEL_TIMEOUT',
      error: /no answer within 1500 ms|timed out/,
    });
    front.mode = 'forward';
    await signsIn(n, anonymous, 'flaky.net@adatum.test');
  });

  it('the recipient is refused (550): the user is told the address was not accepted', async () => {
    const upn = 'gone.user@adatum.test';
    const n = await start(starttls.port);
    starttls.rejectRecipients.add(upn);
    try {
      await deliveryFails(n, upn, {
        reason: 'ERR_CHANNEL_REJECTED',
        error: /recipient g\*\*\*@adatum\.test refused \(550 5\.1\.1 <g\*\*\*@adatum\.test>/,
        message: t('en', 'outcome.recipient_rejected'),
      });
      expect(starttls.mails).toHaveLength(0);
    } finally {
      starttls.rejectRecipients.delete(upn);
    }
    // The mailbox exists again: retried, the code arrives.
    await signsIn(n, starttls, upn);
  });
});
