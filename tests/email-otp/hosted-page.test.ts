// The hosted MFA page (`/mfa`) of an e-mail OTP node, driven by plain form posts (the page needs
// no JavaScript), with a real SMTP server in-process: the page says where the code was sent
// (masked) and until when; "send a new code" is held back during the cooldown (no second mail)
// and works after it (the page's clock is injected, so no test waits 30 s); the code from the
// mail ends on a 303 to return_to with a response JWT that verifies; a delivery failure is a
// clear page without internals, and opening the page again once SMTP answers sends the code.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  createProviderRuntime,
  formatTime,
  t,
  type EmailOtpConfig,
  type ProviderRuntime,
} from '@securemfa/core';
import { createProviderHost, hostedPage, verifyPageResponse } from '@securemfa/core/http';
import { emailOtpProvider } from '@securemfa/email-otp';
import type { FastifyInstance } from 'fastify';
import {
  expectNoInternals,
  http,
  type HttpResult,
  openHostedPage,
} from '../helpers/e2e-qr-host.js';
import { captureEmailLog, emailConfig, emailNodeJson } from '../helpers/smtp-email-node.js';
import {
  codeInMail,
  startSmtpFront,
  startSmtpServer,
  type SmtpFront,
  type TestSmtpServer,
} from '../helpers/smtp-server.js';

jest.setTimeout(30_000);

const RETURN_TO = 'https://app.adatum.test/cb';
const COOLDOWN_SECONDS = 30;

/** A page host whose page clock runs `offsetMs` ahead of real time. */
interface PageNode {
  runtime: ProviderRuntime<EmailOtpConfig>;
  app: FastifyInstance;
  base: string;
  key: string;
  offsetMs: number;
  close(): Promise<void>;
}

let dir: string;
let smtp: TestSmtpServer;
let front: SmtpFront;
let node: PageNode;
let flaky: PageNode;

async function startPageNode(smtpPort: number, extra: Record<string, string>): Promise<PageNode> {
  const config = emailConfig(emailNodeJson(dir, smtpPort, extra));
  const log = captureEmailLog({ secrets: [config.adapter_api_key] });
  const runtime = await createProviderRuntime({
    definition: emailOtpProvider,
    config,
    configDir: dir,
    logger: log.logger,
  });
  const state = { offsetMs: 0 };
  const app = await createProviderHost({
    adapter: runtime.adapter,
    store: runtime.store,
    logger: log.logger,
    apiKey: config.adapter_api_key,
    limits: { perIpPerMinute: 100_000, perUserPerMinute: 100_000 },
    processMetrics: false,
    extensions: [
      hostedPage({
        secret: config.adapter_api_key,
        audience: 'email-otp',
        company: config.company,
        resendCooldownSeconds: COOLDOWN_SECONDS,
        clock: () => new Date(Date.now() + state.offsetMs),
      }),
    ],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    runtime,
    app,
    base: `http://127.0.0.1:${port}`,
    key: config.adapter_api_key,
    get offsetMs() {
      return state.offsetMs;
    },
    set offsetMs(v: number) {
      state.offsetMs = v;
    },
    async close() {
      await app.close();
      await runtime.close();
      await log.logger.close();
    },
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-email-page-'));
  smtp = await startSmtpServer();
  front = await startSmtpFront(smtp.port, 'hang');
  [node, flaky] = await Promise.all([
    startPageNode(smtp.port, {}),
    startPageNode(front.port, { smtp_timeout_ms: '1000' }),
  ]);
});

afterAll(async () => {
  await node?.close();
  await flaky?.close();
  await front?.close();
  await smtp?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  smtp.reset();
  node.offsetMs = 0;
});

async function openPage(n: PageNode, upn: string, lang?: string) {
  const state = `st-${randomBytes(8).toString('hex')}`;
  const page = await openHostedPage(n.base, {
    secret: n.key,
    audience: 'email-otp',
    upn,
    returnTo: RETURN_TO,
    state,
    ...(lang === undefined ? {} : { lang }),
  });
  return { page, state };
}

/** The hidden fields of the form whose `action` is `action`. */
function formOf(html: string, action: 'verify' | 'resend'): URLSearchParams {
  const forms = html.split('<form').slice(1);
  const form = forms.find((f) => f.includes(`name="action" value="${action}"`));
  if (form === undefined) throw new Error(`no ${action} form in the page`);
  const fields = new URLSearchParams();
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(m[1]!, m[2]!.replace(/&amp;/g, '&'));
  }
  return fields;
}

/** The ISO time in the mail's `<time datetime>` (the end of the code's validity). */
function validUntilIn(html: string): string {
  const m = /<time datetime="([^"]+)">/.exec(html);
  if (m === null) throw new Error('no <time datetime> in the mail');
  return m[1]!;
}

function post(n: PageNode, form: URLSearchParams): Promise<HttpResult> {
  return http(`${n.base}/mfa`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
}

describe('the code-sent page', () => {
  it('says where the code went (masked) and until when; the mailed code signs in (303 + response JWT)', async () => {
    const upn = 'page.user@adatum.test';
    const { page, state } = await openPage(node, upn);
    expect(page.status).toBe(200);
    const [mail] = await smtp.waitForMails(1);
    expect(mail!.to).toEqual([upn]);
    const until = validUntilIn(String(mail!.parsed.html));
    expect(page.text).toContain('<bdi>p***@adatum.test</bdi>');
    expect(page.text).toContain(`<bdi>${formatTime(new Date(until), 'en')}</bdi>`);
    expect(page.text).toContain(`value="${t('en', 'page.resend_code')}"`);
    expect(page.text).not.toMatch(/<script/i);

    // A wrong code first: the form again with the reason, no redirect.
    const code = codeInMail(mail!);
    const wrong = formOf(page.text, 'verify');
    wrong.set('code', code === '000000' ? '111111' : '000000');
    const again = await post(node, wrong);
    expect(again.status).toBe(200);
    expect(again.text).toContain(t('en', 'outcome.invalid_code'));

    const form = formOf(page.text, 'verify');
    form.set('code', code);
    const done = await post(node, form);
    expect(done.status).toBe(303);
    const location = new URL(done.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(RETURN_TO);
    const response = await verifyPageResponse(location.searchParams.get('response')!, {
      secret: node.key,
      now: new Date(),
      audience: 'https://app.adatum.test',
      issuer: 'email-otp',
      expectedState: state,
    });
    expect(response).toMatchObject({
      upn,
      state,
      amr: ['otp'],
      authenticationMethod: 'http://schemas.microsoft.com/ws/2012/12/authmethod/otp',
    });
  });

  it('Arabic: right-to-left, the masked address and the time in Arabic text', async () => {
    const { page } = await openPage(node, 'rtl.user@adatum.test', 'ar');
    const [mail] = await smtp.waitForMails(1);
    const until = validUntilIn(String(mail!.parsed.html));
    expect(page.text).toMatch(/<html lang="ar" dir="rtl">/);
    expect(mail!.parsed.subject).toBe(t('ar', 'email.subject'));
    expect(page.text).toContain(`<bdi>${formatTime(new Date(until), 'ar')}</bdi>`);
    expect(page.text).toContain('<bdi>r***@adatum.test</bdi>');
  });
});

describe('"send a new code" with a cooldown', () => {
  it('during the cooldown: no second mail, the page says how long to wait; after it: a new mail whose code works', async () => {
    const upn = 'resend.user@adatum.test';
    const { page } = await openPage(node, upn);
    await smtp.waitForMails(1);

    node.offsetMs = 10_000; // 10 s later
    const held = await post(node, formOf(page.text, 'resend'));
    expect(held.status).toBe(200);
    expect(held.text).toContain(t('en', 'page.cooldown', { seconds: COOLDOWN_SECONDS - 10 }));
    await new Promise((r) => setTimeout(r, 150));
    expect(smtp.mails).toHaveLength(1);

    node.offsetMs = (COOLDOWN_SECONDS + 1) * 1000; // the cooldown is over
    const resent = await post(node, formOf(held.text, 'resend'));
    expect(resent.status).toBe(200);
    const mails = await smtp.waitForMails(2);
    expect(resent.text).toContain('<bdi>r***@adatum.test</bdi>');
    // The new page's form carries a new context; the code of the second mail ends the sign-in.
    const form = formOf(resent.text, 'verify');
    expect(form.get('context')).not.toBe(formOf(page.text, 'verify').get('context'));
    form.set('code', codeInMail(mails[1]!));
    expect((await post(node, form)).status).toBe(303);
  });
});

describe('a delivery failure on the page', () => {
  it('a clear page without internals; opened again once SMTP answers, the code is sent', async () => {
    front.mode = 'hang';
    const upn = 'page.retry@adatum.test';
    const { page } = await openPage(flaky, upn);
    expect(page.status).toBe(200);
    expect(page.text).toContain(t('en', 'outcome.delivery_failed'));
    expect(expectNoInternals(page.text)).toEqual([]);
    expect(page.text).not.toMatch(/ERR_CHANNEL|smtp 127\.0\.0\.1|Greeting/);

    front.mode = 'forward';
    const retry = await openPage(flaky, upn);
    const [mail] = await smtp.waitForMails(1);
    expect(retry.page.text).toContain('<bdi>p***@adatum.test</bdi>');
    const form = formOf(retry.page.text, 'verify');
    form.set('code', codeInMail(mail!));
    expect((await post(flaky, form)).status).toBe(303);
  });
});
