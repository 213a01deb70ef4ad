// The e-mail OTP provider end to end over its HTTP adapter API (POST /adapter/begin and /end of
// the runtime host on 127.0.0.1, a real SQLite file), with a real SMTP server in-process
// (smtp-server; every accepted mail parsed by mailparser): begin → a mail arrives → the code
// from the mail → end succeeds; reuse refused unless totp_allow_reuse; lockout; disabled user;
// the recipient (store e-mail, else the UPN); the message in the user's language with the code
// and "valid until", nothing external in it, smtp_remove_user_prefix; the validity step
// (totp_validity_seconds 3600); ui_allowed_domains_for_otpcode matching whole labels.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { formatTime, generateSecret, t } from '@securemfa/core';
import { expectNoInternals } from '../helpers/e2e-qr-host.js';
import {
  emailConfig,
  emailNodeJson,
  failureEvents,
  startEmailNode,
  type EmailNode,
} from '../helpers/smtp-email-node.js';
import { codeInMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

jest.setTimeout(30_000);

const AUTH_METHOD_CLAIM =
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod';
const OTP_METHOD = 'http://schemas.microsoft.com/ws/2012/12/authmethod/otp';

let dir: string;
let smtp: TestSmtpServer;
let node: EmailNode;
let reuseNode: EmailNode;
let lockNode: EmailNode;
let prefixNode: EmailNode;
let hourNode: EmailNode;
let domainNode: EmailNode;
const nodes: EmailNode[] = [];

async function start(extra: Record<string, string> = {}): Promise<EmailNode> {
  const n = await startEmailNode(emailConfig(emailNodeJson(dir, smtp.port, extra)), {
    configDir: dir,
  });
  nodes.push(n);
  return n;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-email-api-'));
  smtp = await startSmtpServer();
  [node, reuseNode, lockNode, prefixNode, hourNode, domainNode] = await Promise.all([
    start(),
    start({ totp_allow_reuse: 'true' }),
    start({ ui_login_failures: '2', ui_lockout_minutes: '5' }),
    start({ smtp_remove_user_prefix: 'true' }),
    start({ totp_customization: 'true', totp_validity_seconds: '3600' }),
    start({ ui_customization: 'true', ui_allowed_domains_for_otpcode: '.com;.net;mydomain.org' }),
  ]);
});

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await smtp?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => smtp.reset());

/** Begin, wait for the one mail, return both. */
async function beginAndReceive(n: EmailNode, upn: string, extra: Record<string, unknown> = {}) {
  const b = await n.begin(upn, extra);
  expect(b.status).toBe(200);
  expect(b.json.status).toBe('code_sent');
  const [mail] = await smtp.waitForMails(1);
  return { b, mail: mail!, code: codeInMail(mail!) };
}

describe('begin → a mail arrives → the code from the mail → end', () => {
  it('signs in with the code from the e-mail; the same code again is refused as reused', async () => {
    const upn = 'alice.smith@adatum.test';
    const { b, mail, code } = await beginAndReceive(node, upn);
    // The API says where the code went, masked, and until when it is valid.
    expect(b.json.presentation.destination).toBe('a***@adatum.test');
    expect(b.json.presentation.message).toBe(
      t('en', 'login.code_sent_email', {
        destination: 'a***@adatum.test',
        time: formatTime(new Date(b.json.presentation.validUntil), 'en'),
      }),
    );
    // The envelope and headers as configured.
    expect(mail.to).toEqual([upn]);
    expect(mail.from).toBe('mfa.no.reply@adatum.test');
    expect(mail.parsed.from?.value[0]).toEqual({
      name: 'sMFA Email Time Based OTP Provider',
      address: 'mfa.no.reply@adatum.test',
    });
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.secure).toBe(false);

    const e = await node.end(b.json.context, code);
    expect(e.status).toBe(200);
    expect(e.json).toEqual({ ok: true, claims: [{ type: AUTH_METHOD_CLAIM, value: OTP_METHOD }] });
    const again = await node.end(b.json.context, code);
    expect(again.json).toMatchObject({ ok: false, reason: 'reused_code' });
    expect(again.json.presentation.message).toBe(t('en', 'outcome.reused_code'));

    await node.log.flush();
    expect(node.log.records).toContainEqual(
      expect.objectContaining({
        eventId: 5552,
        upn,
        destination: 'a***@adatum.test',
        message: 'code delivered via smtp',
      }),
    );
    expect(node.log.records).toContainEqual(expect.objectContaining({ eventId: 5556, upn }));
    expect(node.log.text()).not.toContain(code);
  });

  it('totp_allow_reuse: the same code signs in twice; without it the second is reused_code', async () => {
    const { b, code } = await beginAndReceive(reuseNode, 'reuse.me@adatum.test');
    expect((await reuseNode.end(b.json.context, code)).json.ok).toBe(true);
    expect((await reuseNode.end(b.json.context, code)).json.ok).toBe(true);
  });

  it('a wrong code is invalid_code; the right one still works afterwards', async () => {
    const { b, code } = await beginAndReceive(node, 'typo.user@adatum.test');
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await node.end(b.json.context, wrong)).json).toMatchObject({
      ok: false,
      reason: 'invalid_code',
    });
    expect((await node.end(b.json.context, code)).json.ok).toBe(true);
  });
});

describe('the recipient: the store’s e-mail, else the UPN', () => {
  it('sends to the e-mail the store keeps for the user, and shows that address masked', async () => {
    const upn = 'carol@adatum.test';
    await node.runtime.store.enrol(upn, node.runtime.cipher.encrypt(generateSecret()), new Date(), {
      email: 'carol.private@mail.example',
    });
    const { b, mail, code } = await beginAndReceive(node, upn);
    expect(mail.to).toEqual(['carol.private@mail.example']);
    expect(b.json.presentation.destination).toBe('c***@mail.example');
    expect((await node.end(b.json.context, code)).json.ok).toBe(true);
  });

  it('no address at all (a down-level name, no store e-mail): unavailable, 5553 no_recipient, no mail', async () => {
    const b = await node.begin('ADATUM\\dave');
    expect(b.status).toBe(200);
    expect(b.json.status).toBe('unavailable');
    expect(b.json.presentation.message).toBe(t('en', 'outcome.unavailable'));
    const events = await failureEvents(node.log);
    expect(events).toContainEqual(
      expect.objectContaining({ upn: 'ADATUM\\dave', reason: 'no_recipient' }),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.mails).toHaveLength(0);
  });
});

describe('lockout and disabled users', () => {
  it('after ui_login_failures wrong codes the user is locked: no mail, told until when', async () => {
    const upn = 'locky@adatum.test';
    const { b, code } = await beginAndReceive(lockNode, upn);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await lockNode.end(b.json.context, wrong)).json.reason).toBe('invalid_code');
    const second = await lockNode.end(b.json.context, wrong);
    expect(second.json.reason).toBe('locked');
    expect(second.json.presentation.lockedUntil).toEqual(expect.any(String));
    // Even the right code is refused now.
    expect((await lockNode.end(b.json.context, code)).json.reason).toBe('locked');

    smtp.reset();
    const again = await lockNode.begin(upn);
    expect(again.json.status).toBe('locked');
    expect(again.json.presentation.message).toBe(
      t('en', 'outcome.locked', {
        time: formatTime(new Date(again.json.presentation.lockedUntil), 'en'),
      }),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.mails).toHaveLength(0);
  });

  it('a disabled user gets no mail and is told so; a context from before is refused too', async () => {
    const upn = 'disabled.dan@adatum.test';
    const { b, code } = await beginAndReceive(node, upn);
    expect(await node.runtime.store.setEnabled(upn, false)).toBe(true);
    const end = await node.end(b.json.context, code);
    expect(end.json).toMatchObject({ ok: false, reason: 'disabled' });

    smtp.reset();
    const again = await node.begin(upn);
    expect(again.json.status).toBe('disabled');
    expect(again.json.presentation.message).toBe(t('en', 'outcome.disabled'));
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.mails).toHaveLength(0);
  });
});

describe('the message: the user’s language, code, "valid until", nothing external', () => {
  it.each(['en', 'de', 'ar'] as const)('%s: subject, text and HTML', async (lang) => {
    const upn = `lang.${lang}@adatum.test`;
    const { b, mail, code } = await beginAndReceive(node, upn, { lang });
    const time = formatTime(new Date(b.json.presentation.validUntil), lang);
    const p = mail.parsed;
    expect(p.subject).toBe(t(lang, 'email.subject'));
    expect(p.subject).not.toContain(code);
    expect(p.headers.get('content-language')).toBe(lang);
    expect(p.text).toContain(t(lang, 'email.greeting', { account: upn }));
    expect(p.text).toContain(t(lang, 'email.code_line', { code }));
    expect(p.text).toContain(t(lang, 'email.valid_until', { time }));
    expect(p.text).toContain('Adatum E2E');
    const html = String(p.html);
    expect(html).toContain(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`);
    expect(html).toContain(`>${code}</strong>`);
    expect(html).toContain(`>${time}</time>`);
    // No tracking, no remote content: no URL, image, script, style sheet or attachment.
    expect(html).not.toMatch(/https?:|\/\/|<img|<script|<link|<iframe|url\(|\bsrc=|\bhref=/i);
    expect(p.text).not.toMatch(/https?:/);
    expect(p.attachments).toHaveLength(0);
    // The page text is in the same language.
    expect(b.json.presentation.message).toContain(time);
    expect(b.json.presentation.message).toBe(
      t(lang, 'login.code_sent_email', { destination: 'l***@adatum.test', time }),
    );
    expect((await node.end(b.json.context, code)).json.ok).toBe(true);
  });

  it('smtp_remove_user_prefix: the account name appears nowhere in the message', async () => {
    const upn = 'jdoe.secret@adatum.test';
    const { mail, code } = await beginAndReceive(prefixNode, upn);
    const p = mail.parsed;
    expect(p.text).toContain(t('en', 'email.greeting_plain'));
    for (const part of [p.subject ?? '', p.text ?? '', String(p.html)]) {
      expect(part).not.toContain('jdoe');
    }
    expect(p.text).toContain(code);
    // Control: without the setting the greeting names the account.
    smtp.reset();
    const plain = await beginAndReceive(node, upn);
    expect(plain.mail.parsed.text).toContain('jdoe.secret@adatum.test');
  });

  it('totp_validity_seconds 3600: valid until the end of the hour-long step, and the code works', async () => {
    const before = Date.now();
    const { b, mail, code } = await beginAndReceive(hourNode, 'hourly@adatum.test');
    const until = new Date(b.json.presentation.validUntil).getTime();
    expect(until % 3_600_000).toBe(0);
    expect(until).toBeGreaterThan(before);
    expect(until).toBeLessThanOrEqual(before + 3_600_000);
    expect(mail.parsed.text).toContain(formatTime(new Date(until), 'en'));
    expect((await hourNode.end(b.json.context, code)).json.ok).toBe(true);
  });
});

describe('ui_allowed_domains_for_otpcode ".com;.net;mydomain.org": whole domain labels', () => {
  it.each(['ann@mydomain.org', 'ben@eu.mydomain.org', 'cid@example.com', 'dee@mail.example.net'])(
    '%s gets a code',
    async (upn) => {
      const { mail } = await beginAndReceive(domainNode, upn);
      expect(mail.to).toEqual([upn]);
    },
  );

  it.each(['eve@evil-mydomain.org', 'fay@mydomain.org.evil.io', 'gus@example.org', 'hal@comx'])(
    '%s gets none: a clear message, event 5553 with the reason, no stack trace',
    async (upn) => {
      const b = await domainNode.begin(upn);
      expect(b.status).toBe(200);
      expect(b.json.status).toBe('unavailable');
      expect(typeof b.json.context).toBe('string');
      expect(b.json.presentation.message).toBe(t('en', 'outcome.domain_not_allowed'));
      expect(expectNoInternals(b.text)).toEqual([]);
      const events = await failureEvents(domainNode.log);
      expect(events).toContainEqual(
        expect.objectContaining({
          upn,
          reason: 'ERR_CHANNEL_REJECTED',
          error: expect.stringContaining('not in ui_allowed_domains_for_otpcode'),
        }),
      );
      // Nothing counted against the user: the sign-in can be tried again (and is refused again).
      const record = await domainNode.runtime.store.get(upn);
      expect(record?.failedlogoncount).toBe(0);
      expect((await domainNode.begin(upn)).json.status).toBe('unavailable');
      await new Promise((r) => setTimeout(r, 50));
      expect(smtp.mails).toHaveLength(0);
    },
  );
});
