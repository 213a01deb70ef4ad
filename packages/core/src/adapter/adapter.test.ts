import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import winston from 'winston';
import { createSecretCipher } from '../crypto/secret-cipher.js';
import { ChannelError, ContextError } from '../errors.js';
import { createLogger } from '../log/logger.js';
import { MemoryStore } from '../store/memory.js';
import { generateTotp } from '../totp/totp.js';
import {
  AUTH_METHOD_CLAIM,
  OTP_AUTH_METHOD,
  createAdapter,
  type Adapter,
  type AdapterOptions,
} from './adapter.js';
import type { AppChannel, OtpMessage, SendChannel } from './delivery-channel.js';
import { createContextSealer, createTotpEngine } from './engines.js';
import { createPresenter } from './i18n-presenter.js';

const UPN = 'alice@adatum.labnet';
const T0 = new Date('2026-03-14T13:07:10Z'); // inside step 59301243 (30 s)
const PASSPHRASE = 'correct horse battery staple';

class Clock {
  constructor(public now: Date) {}
  advance(seconds: number): void {
    this.now = new Date(this.now.getTime() + seconds * 1000);
  }
  readonly fn = (): Date => this.now;
}

function captureLogger() {
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) =>
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
  );
  const logger = createLogger({
    source: 'test',
    console: false,
    verbose: true,
    secrets: [PASSPHRASE],
    transports: [new winston.transports.Stream({ stream })],
  });
  return {
    logger,
    lines,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

function appChannel(): AppChannel & { shown: string[] } {
  const shown: string[] = [];
  return {
    mode: 'app',
    name: 'authenticator',
    shown,
    enrolment: async (_user, secret) => {
      shown.push(secret);
      return {
        title: 'Set up',
        message: 'scan',
        enrollment: {
          otpauthUri: `otpauth://totp/x?secret=${secret}`,
          qrImage: '',
          secret,
          width: 1,
          height: 1,
        },
      };
    },
  };
}

function sendChannel(
  behaviour: { fail?: Error; noRecipient?: boolean } = {},
): SendChannel & { sent: OtpMessage[] } {
  const sent: OtpMessage[] = [];
  return {
    mode: 'send',
    name: 'smtp',
    sent,
    recipient: (upn) => (behaviour.noRecipient === true ? undefined : upn),
    deliver: async (msg) => {
      if (behaviour.fail !== undefined) throw behaviour.fail;
      sent.push(msg);
      return { destination: 'a***@adatum.labnet' };
    },
    verify: async () => 'test channel: nothing to reach',
    close: async () => {},
  };
}

function setup(overrides: Partial<AdapterOptions> = {}, clock = new Clock(T0)) {
  const store = new MemoryStore();
  const log = captureLogger();
  const codec = createSecretCipher({ enabled: true, passphrase: PASSPHRASE, iterations: 100_000 });
  const adapter = createAdapter({
    store,
    channel: appChannel(),
    totp: createTotpEngine({ step: 30, digits: 6 }),
    codec,
    sealer: createContextSealer({
      secret: 'a-farm-secret-of-32-characters!!',
      audience: 'test',
      ttlSeconds: 300,
    }),
    presenter: createPresenter({ timeZone: 'UTC' }),
    metadata: {
      authenticationMethods: [OTP_AUTH_METHOD],
      identityClaims: [],
      friendlyNames: {},
      descriptions: {},
    },
    lockout: { maxFailures: 3, lockoutMinutes: 5 },
    allowReuse: false,
    logger: log.logger,
    clock: clock.fn,
    ...overrides,
  });
  const secretOf = async (upn = UPN): Promise<string> =>
    codec.decrypt((await store.get(upn))!.secret);
  const codeAt = async (at: Date, upn = UPN): Promise<string> =>
    generateTotp({ secret: await secretOf(upn), epoch: Math.floor(at.getTime() / 1000) });
  return { adapter, store, log, clock, secretOf, codeAt };
}

async function beginThenEnd(adapter: Adapter, code: string | ((ctx: string) => Promise<string>)) {
  const { context } = await adapter.begin(UPN, { ip: '127.0.0.1' });
  return adapter.end(context, typeof code === 'string' ? code : await code(context), {
    ip: '127.0.0.1',
  });
}

describe('adapter: what a failure stores as failedcode', () => {
  it('a wrong code of the configured length as typed; digits of another length as <wrong-length>', async () => {
    const { adapter, store, clock, codeAt } = setup({
      lockout: { maxFailures: 0, lockoutMinutes: 5 },
    });
    const { context } = await adapter.begin(UPN);
    const wrong = String((Number(await codeAt(clock.now)) + 1) % 1_000_000).padStart(6, '0');
    const cases: Array<[string, string, boolean]> = [
      [wrong, wrong, false],
      ['12345', '<wrong-length>', true],
      ['123456789', '<wrong-length>', true],
      ['12345678901', '<wrong-length>', true],
      ['12ab', '<non-numeric>', true],
      ['   ', '<empty>', true],
      [` ${wrong}\t`, wrong, false],
    ];
    let count = 0;
    for (const [input, failedcode, malformed] of cases) {
      const r = await adapter.end(context, input);
      expect([input, r]).toEqual([
        input,
        expect.objectContaining({ ok: false, reason: 'invalid_code' }),
      ]);
      expect([input, r.ok === false && r.malformed === true]).toEqual([input, malformed]);
      count += 1;
      const rec = (await store.get(UPN))!;
      expect([input, rec.failedcode, rec.failedlogoncount]).toEqual([input, failedcode, count]);
    }
  });

  it('follows the configured length: with 8-digit codes a 6-digit input is <wrong-length>', async () => {
    const { adapter, store, secretOf, clock } = setup({
      totp: createTotpEngine({ step: 30, digits: 8 }),
      lockout: { maxFailures: 0, lockoutMinutes: 5 },
    });
    const { context } = await adapter.begin(UPN);
    const right = generateTotp({
      secret: await secretOf(),
      epoch: Math.floor(clock.now.getTime() / 1000),
      digits: 8,
    });
    const wrong = String((Number(right) + 1) % 100_000_000).padStart(8, '0');
    await adapter.end(context, '123456');
    expect((await store.get(UPN))!.failedcode).toBe('<wrong-length>');
    await adapter.end(context, wrong);
    expect((await store.get(UPN))!).toMatchObject({ failedcode: wrong, failedlogoncount: 2 });
    expect(await adapter.end(context, right)).toMatchObject({ ok: true });
  });
});

describe('adapter with an app channel (QR enrolment)', () => {
  it('enrols an unknown user on begin, stores the secret encrypted, and shows it once per begin', async () => {
    const channel = appChannel();
    const { adapter, store, secretOf } = setup({ channel });
    const r = await adapter.begin(UPN, { ip: '127.0.0.1' });
    expect(r.status).toBe('enroll');
    const stored = (await store.get(UPN))!;
    expect(stored.logon).toBe(0);
    expect(stored.secret.startsWith('v2$')).toBe(true);
    expect(channel.shown).toEqual([await secretOf()]);
    expect((await secretOf()).length).toBe(32); // 20 random bytes in base32
  });

  it('accepts the current code, issues the OTP claim, and then asks for a code instead of enrolling', async () => {
    const { adapter, store, clock, codeAt } = setup();
    const { context } = await adapter.begin(UPN);
    const result = await adapter.end(context, await codeAt(clock.now), {
      ip: '10.0.0.9',
      userAgent: 'UA/1',
    });
    expect(result).toEqual({
      ok: true,
      upn: UPN,
      claims: [{ type: AUTH_METHOD_CLAIM, value: OTP_AUTH_METHOD }],
    });
    const rec = (await store.get(UPN))!;
    expect(rec.logon).toBe(1);
    expect(rec.logoncount).toBe(1);
    expect(rec.logonip).toBe('10.0.0.9');
    expect((await adapter.begin(UPN)).status).toBe('enter_code');
  });

  it('accepts the previous and next step (±1 window) but not two steps away', async () => {
    const { adapter, clock, codeAt } = setup();
    await adapter.begin(UPN);
    for (const [offset, ok] of [
      [-60, false],
      [-30, true],
      [30, true],
      [90, false],
    ] as const) {
      const { context } = await adapter.begin(UPN);
      const r = await adapter.end(
        context,
        await codeAt(new Date(clock.now.getTime() + offset * 1000)),
      );
      expect([offset, r.ok]).toEqual([offset, ok]);
      clock.advance(120); // a new step each round, past the lockout counter window
      await adapter.begin(UPN);
    }
  });

  it('refuses a code used once already (reuse guard) and an older step after a newer one', async () => {
    const { adapter, clock, codeAt } = setup();
    const { context } = await adapter.begin(UPN);
    const code = await codeAt(clock.now);
    expect((await adapter.end(context, code)).ok).toBe(true);
    const again = await adapter.end(context, code);
    expect(again).toMatchObject({ ok: false, reason: 'reused_code' });
    const previous = await codeAt(new Date(clock.now.getTime() - 30_000));
    expect(await adapter.end(context, previous)).toMatchObject({
      ok: false,
      reason: 'reused_code',
    });
  });

  it('accepts the same code again when totp_allow_reuse is on', async () => {
    const { adapter, clock, codeAt } = setup({ allowReuse: true });
    const { context } = await adapter.begin(UPN);
    const code = await codeAt(clock.now);
    expect((await adapter.end(context, code)).ok).toBe(true);
    expect((await adapter.end(context, code)).ok).toBe(true);
  });

  it('counts wrong and malformed codes, stores the failure sanitised, and locks after ui_login_failures', async () => {
    const { adapter, store, clock, codeAt, log } = setup();
    const { context } = await adapter.begin(UPN);
    const wrong = String((Number(await codeAt(clock.now)) + 1) % 1_000_000).padStart(6, '0');
    expect(await adapter.end(context, wrong)).toMatchObject({ ok: false, reason: 'invalid_code' });
    const malformed = await adapter.end(context, "1' OR 1=1 --");
    expect(malformed).toMatchObject({ ok: false, reason: 'invalid_code', malformed: true });
    expect(malformed.ok === false && malformed.presentation.message).toBe(
      'Enter the 6-digit code.',
    );
    const rec = (await store.get(UPN))!;
    expect(rec.failedlogoncount).toBe(2);
    expect(rec.failedcode).toBe('<non-numeric>');
    const third = await adapter.end(context, wrong);
    expect(third).toMatchObject({ ok: false, reason: 'locked' });
    expect(third.ok === false && third.presentation.lockedUntil).toBe(
      new Date(T0.getTime() + 5 * 60_000).toISOString(),
    );
    // Locked: even the right code is refused, and begin says so.
    expect(await adapter.end(context, await codeAt(clock.now))).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    expect((await adapter.begin(UPN)).status).toBe('locked');
    // After lockout_minutes the right code works again.
    clock.advance(5 * 60 + 1);
    const fresh = await adapter.begin(UPN);
    expect((await adapter.end(fresh.context, await codeAt(clock.now))).ok).toBe(true);
    // No code the user typed and no passphrase reaches the log.
    const text = log.lines.join('\n');
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(PASSPHRASE);
  });

  it('never locks when ui_login_failures is 0', async () => {
    const { adapter } = setup({ lockout: { maxFailures: 0, lockoutMinutes: 5 } });
    const { context } = await adapter.begin(UPN);
    for (let i = 0; i < 20; i++) {
      expect(await adapter.end(context, '000000x')).toMatchObject({ reason: 'invalid_code' });
    }
  });

  it('refuses a disabled user on begin and end', async () => {
    const { adapter, store, clock, codeAt } = setup();
    const { context } = await adapter.begin(UPN);
    await store.setEnabled(UPN, false);
    expect((await adapter.begin(UPN)).status).toBe('disabled');
    expect(await adapter.end(context, await codeAt(clock.now))).toMatchObject({
      ok: false,
      reason: 'disabled',
    });
  });

  it('answers expired for a context past its lifetime and throws ERR_CONTEXT_INVALID for a forged one', async () => {
    const { adapter, clock, codeAt } = setup();
    const { context } = await adapter.begin(UPN);
    clock.advance(301);
    expect(await adapter.end(context, await codeAt(clock.now))).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    const forged = context.slice(0, -4) + (context.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expect(adapter.end(forged, '123456')).rejects.toBeInstanceOf(ContextError);
    await expect(adapter.end(forged, '123456')).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
    });
  });

  it('rejects a bad UPN with a TypeError naming it', async () => {
    const { adapter } = setup();
    await expect(adapter.begin('')).rejects.toThrow('"upn"');
    await expect(adapter.begin('a\nb@x')).rejects.toThrow('"upn"');
    await expect(adapter.begin('x'.repeat(300))).rejects.toThrow('"upn"');
  });

  it('speaks the user\u2019s language', async () => {
    const { adapter, store } = setup();
    await adapter.begin(UPN);
    await store.setEnabled(UPN, false);
    const r = await adapter.begin(UPN, { lang: 'de' });
    expect(r.presentation.message).not.toBe(
      (await adapter.begin(UPN, { lang: 'en' })).presentation.message,
    );
    expect(r.presentation.message.length).toBeGreaterThan(10);
  });

  it('runs the per-user hook before any verification and lets it refuse', async () => {
    const { adapter, store } = setup();
    const { context } = await adapter.begin(UPN);
    await expect(
      adapter.end(context, '123456', {
        beforeVerify: (upn) => {
          throw new Error(`limited ${upn}`);
        },
      }),
    ).rejects.toThrow(`limited ${UPN}`);
    expect((await store.get(UPN))!.failedlogoncount).toBe(0);
  });

  it('logs the seed event ids for success (5556) and failure (5557)', async () => {
    const { adapter, log, clock, codeAt } = setup();
    await beginThenEnd(adapter, '000000');
    await beginThenEnd(adapter, async () => codeAt(clock.now));
    const ids = log.records().map((r) => r.eventId);
    expect(ids).toContain(5557);
    expect(ids).toContain(5556);
  });
});

describe('adapter with a send channel (e-mail / API)', () => {
  it('sends the current step\u2019s code with its validity and accepts it', async () => {
    const channel = sendChannel();
    const { adapter, clock } = setup({ channel });
    const r = await adapter.begin(UPN, { lang: 'en' });
    expect(r.status).toBe('code_sent');
    expect(channel.sent).toHaveLength(1);
    const msg = channel.sent[0]!;
    expect(msg.code).toMatch(/^\d{6}$/);
    expect(msg.validUntil.toISOString()).toBe('2026-03-14T13:07:30.000Z');
    expect(r.presentation).toMatchObject({
      destination: 'a***@adatum.labnet',
      validUntil: '2026-03-14T13:07:30.000Z',
    });
    expect(r.presentation.message).toContain('a***@adatum.labnet');
    clock.advance(25);
    expect((await adapter.end(r.context, msg.code)).ok).toBe(true);
  });

  it('is unavailable when the user has no address, and says why in the log', async () => {
    const { adapter, log } = setup({ channel: sendChannel({ noRecipient: true }) });
    expect(await adapter.isAvailableForUser(UPN)).toBe(false);
    expect((await adapter.begin(UPN)).status).toBe('unavailable');
    expect(log.records().some((r) => r.reason === 'no_recipient')).toBe(true);
  });

  it('turns a channel failure into "unavailable" with the channel\u2019s user message, never a throw', async () => {
    const fail = new ChannelError('ERR_CHANNEL_REJECTED', 'gateway said 500', {
      userMessage: 'SMS gateway busy',
    });
    const { adapter } = setup({ channel: sendChannel({ fail }) });
    const r = await adapter.begin(UPN);
    expect(r.status).toBe('unavailable');
    expect(r.presentation.message).toBe('SMS gateway busy');
  });

  it('ends a delivery at channelTimeoutMs (the runtime sets it from deliveryTimeoutMs)', async () => {
    let aborted: string | undefined;
    const channel: SendChannel = {
      ...sendChannel(),
      deliver: (_msg, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = (signal.reason as Error).name;
            reject(new ChannelError('ERR_CHANNEL_TIMEOUT', 'no answer within 50 ms'));
          });
        }),
    };
    const { adapter, log } = setup({ channel, channelTimeoutMs: 50 });
    const t0 = Date.now();
    const r = await adapter.begin(UPN);
    expect(Date.now() - t0).toBeLessThan(5_000); // the adapter's default would be 10 s
    expect(aborted).toBe('TimeoutError');
    expect(r.status).toBe('unavailable');
    expect(
      log.records().some((x) => x.eventId === 5553 && x.reason === 'ERR_CHANNEL_TIMEOUT'),
    ).toBe(true);
  });
});
