// Property tests of the code field (issue 9, "bad input"): whatever a user or a client types as
// the code — any Unicode, whitespace, digits of any length, full-width or Arabic-Indic digits,
// control characters, 10 KB of text — `adapter.end` never throws and never crashes; it returns
// an expected outcome: exactly one failure is counted per wrong input, what is stored as
// `failedcode` is the sanitised form (a wrong 6-digit code as typed, anything else a marker —
// never non-digit input, never digits of another length), anything that is not 6 digits is
// flagged malformed, and the right code with surrounding or inner spaces still signs in.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createSecretCipher } from '../crypto/secret-cipher.js';
import { createSilentLogger } from '../log/logger.js';
import { MemoryStore } from '../store/memory.js';
import { sanitiseFailedCode } from '../store/user-store.js';
import { generateTotp } from '../totp/totp.js';
import { createAdapter, OTP_AUTH_METHOD } from './adapter.js';
import type { AppChannel } from './delivery-channel.js';
import { createContextSealer, createTotpEngine } from './engines.js';
import { createPresenter } from './i18n-presenter.js';

const RUNS = 300;
const T0 = new Date('2026-03-14T13:07:10Z');
const EPOCH = Math.floor(T0.getTime() / 1000);

const channel: AppChannel = {
  mode: 'app',
  name: 'authenticator',
  enrolment: async () => ({ title: 'Set up', message: 'scan' }),
};

async function setup() {
  const store = new MemoryStore();
  const codec = createSecretCipher({
    enabled: true,
    passphrase: 'p'.repeat(20),
    iterations: 100_000,
  });
  const adapter = createAdapter({
    store,
    channel,
    totp: createTotpEngine({ step: 30, digits: 6 }),
    codec,
    sealer: createContextSealer({ secret: 's'.repeat(32), audience: 'prop', ttlSeconds: 300 }),
    presenter: createPresenter({ timeZone: 'UTC' }),
    metadata: {
      authenticationMethods: [OTP_AUTH_METHOD],
      identityClaims: [],
      friendlyNames: {},
      descriptions: {},
    },
    // Lockout off: every wrong input must be counted, however many there are.
    lockout: { maxFailures: 0, lockoutMinutes: 5 },
    allowReuse: false,
    logger: createSilentLogger(),
    clock: () => T0,
  });
  const { context } = await adapter.begin('alice@adatum.test');
  const secret = codec.decrypt((await store.get('alice@adatum.test'))!.secret);
  const window = new Set([-30, 0, 30].map((d) => generateTotp({ secret, epoch: EPOCH + d })));
  return { adapter, store, context, secret, window };
}

const inputArb = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.stringMatching(/^[0-9]{0,12}$/),
  fc.stringMatching(/^[ \t]{0,3}[0-9 ]{5,8}[ \t\n]{0,3}$/),
  fc.constantFrom(
    '',
    ' ',
    '１２３４５６', // full-width digits
    '١٢٣٤٥٦', // Arabic-Indic digits
    '12345\u0000',
    '123456\u200b',
    '-12345',
    '+123456',
    '1e5',
    '0x1F4',
    '123\n456',
    'NaN',
    '\ud800\udc00'.repeat(3),
    "' OR 1=1 --",
    '*)(objectClass=*',
    '9'.repeat(64),
    '9'.repeat(65),
    'x'.repeat(10_000),
  ),
);

describe('adapter.end: any code input', () => {
  it('never throws; a wrong input is one counted failure stored sanitised; a non-6-digit input is malformed', async () => {
    const { adapter, store, context, window } = await setup();
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(inputArb, async (input) => {
        fc.pre(!window.has(input.replace(/\s+/g, '')));
        const result = await adapter.end(context, input, { ip: '127.0.0.1' });
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.reason).toBe('invalid_code');
        expect(typeof result.presentation.message).toBe('string');
        const compact = input.trim().replace(/\s+/g, '');
        const wellFormed = /^[0-9]{6}$/.test(compact) && input.length <= 64;
        expect(result.malformed === true).toBe(!wellFormed);
        failures += 1;
        const record = (await store.get('alice@adatum.test'))!;
        expect(record.failedlogoncount).toBe(failures);
        expect(record.logoncount).toBe(0);
        // Stored sanitised: exactly 6 digits (the configured length) or a marker — never other
        // raw input.
        expect(record.failedcode).toMatch(/^([0-9]{6}|<empty>|<wrong-length>|<non-numeric>)$/);
        const looked = input.length > 64 ? input.slice(0, 65) : input.trim();
        expect(record.failedcode).toBe(sanitiseFailedCode(looked, 6));
        if (/^[0-9]+$/.test(looked)) {
          expect(record.failedcode).toBe(looked.length === 6 ? looked : '<wrong-length>');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the right code signs in whatever whitespace surrounds or splits it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[ \t]{0,3}$/),
        fc.stringMatching(/^[ \t\n]{0,3}$/),
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom('', ' '),
        async (before, after, splitAt, gap) => {
          const { adapter, secret } = await setup();
          const code = generateTotp({ secret, epoch: EPOCH });
          const typed = `${before}${code.slice(0, splitAt)}${gap}${code.slice(splitAt)}${after}`;
          const result = await adapter.end(
            (await adapter.begin('alice@adatum.test')).context,
            typed,
          );
          expect(result).toMatchObject({ ok: true, upn: 'alice@adatum.test' });
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a code field that is not a string is a TypeError naming "code" (the host answers 400)', async () => {
    const { adapter, context } = await setup();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer(),
          fc.constant(null),
          fc.constant(undefined),
          fc.array(fc.nat(9)),
          fc.object(),
        ),
        async (code) => {
          await expect(adapter.end(context, code as never)).rejects.toThrow(
            /"code" must be a string/,
          );
        },
      ),
      { numRuns: 50 },
    );
  });
});
