// Property tests of the win-otp envelope and messages (issue 9, "bad input"): seal ∘ open is
// the identity for any JSON object and purpose; any string, any changed bit, any truncation or
// extension, another purpose or another passphrase → the one uninformative ERR_CRYPTO_TAMPERED
// (never another error); an authentic envelope around any plaintext that is not a JSON object →
// the same. Opened requests and responses of any shape are either lawful or that same refusal,
// and the seen-state store is only asked about authentic, fresh, well-formed requests.
import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CryptoError } from '../errors.js';
import { deriveMasterKey } from './kdf.js';
import { V2_MIN_ITERATIONS } from './v2-cipher.js';
import {
  createWinEnvelope,
  WIN_ENVELOPE_KDF_SALT,
  WIN_ENVELOPE_REJECTED,
  type WinEnvelopePurpose,
} from './win-envelope.js';
import { openWinRequest, openWinResponse, sealWinRequest } from './win-message.js';

const RUNS = 200;
const PASSPHRASE = 'win envelope property passphrase';
// The lowest accepted iteration count keeps the suite fast (the format is the same).
const envelope = createWinEnvelope({ passphrase: PASSPHRASE, iterations: V2_MIN_ITERATIONS });
const other = createWinEnvelope({ passphrase: `${PASSPHRASE}!`, iterations: V2_MIN_ITERATIONS });
const purposeArb = fc.constantFrom<WinEnvelopePurpose>('request', 'response', 'offline-cache');
const objectArb = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 6,
});
const NOW = new Date(1_700_000_000_000);

function expectTampered(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(CryptoError);
  expect(caught).toMatchObject({ code: 'ERR_CRYPTO_TAMPERED', message: WIN_ENVELOPE_REJECTED });
}

async function expectTamperedAsync(promise: Promise<unknown>): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(CryptoError);
  expect(caught).toMatchObject({ code: 'ERR_CRYPTO_TAMPERED', message: WIN_ENVELOPE_REJECTED });
}

/** An envelope with a valid MAC around any plaintext bytes (as the portal's key holder could). */
function authenticAround(purpose: string, plaintext: Buffer): string {
  const master = deriveMasterKey(PASSPHRASE, WIN_ENVELOPE_KDF_SALT, V2_MIN_ITERATIONS);
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const okm = Buffer.from(
    hkdfSync('sha256', master, salt, Buffer.from(`securemfa win envelope v1 ${purpose}`), 64),
  );
  const cipher = createCipheriv('aes-256-cbc', okm.subarray(0, 32), iv);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const mac = createHmac('sha256', okm.subarray(32))
    .update(`w1.${purpose}.`)
    .update(salt)
    .update(iv)
    .update(ct)
    .digest();
  return `w1.${Buffer.concat([salt, iv, ct, mac]).toString('base64url')}`;
}

describe('win envelope', () => {
  it('open ∘ seal is the identity for any JSON object and purpose', () => {
    fc.assert(
      fc.property(purposeArb, objectArb, (purpose, payload) => {
        const text = envelope.seal(purpose, payload);
        expect(text).toMatch(/^w1\.[A-Za-z0-9_-]+$/);
        expect(envelope.open(purpose, text)).toEqual(JSON.parse(JSON.stringify(payload)));
      }),
      { numRuns: RUNS },
    );
  });

  it('any flipped bit of the data is ERR_CRYPTO_TAMPERED with the one message', () => {
    fc.assert(
      fc.property(
        purposeArb,
        objectArb,
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (p, o, at, bit) => {
          const text = envelope.seal(p, o);
          const data = Buffer.from(text.slice(3), 'base64url');
          data[at % data.length]! ^= 1 << bit;
          expectTampered(() => envelope.open(p, `w1.${data.toString('base64url')}`));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('truncated, extended, another purpose or another passphrase: ERR_CRYPTO_TAMPERED', () => {
    fc.assert(
      fc.property(
        purposeArb,
        purposeArb,
        objectArb,
        fc.integer({ min: 1, max: 80 }),
        fc.string({ minLength: 1, maxLength: 8 }),
        (p, q, o, cut, extra) => {
          const text = envelope.seal(p, o);
          expectTampered(() => envelope.open(p, text.slice(0, Math.max(0, text.length - cut))));
          expectTampered(() => envelope.open(p, `${text}${extra}`));
          expectTampered(() => other.open(p, text));
          if (q !== p) expectTampered(() => envelope.open(q, text));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('any string at all is ERR_CRYPTO_TAMPERED (never another error)', () => {
    fc.assert(
      fc.property(
        purposeArb,
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.base64String({ maxLength: 200 }).map((b) => `w1.${b}`),
          fc
            .uint8Array({ minLength: 64, maxLength: 200 })
            .map((b) => `w1.${Buffer.from(b).toString('base64url')}`),
          fc.constantFrom('w1.', 'w1..', 'w2.AAAA', 'w1.====', `w1.${'A'.repeat(300_000)}`),
        ),
        (purpose, text) => {
          expectTampered(() => envelope.open(purpose, text));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('an authentic envelope around a plaintext that is not a JSON object is ERR_CRYPTO_TAMPERED', () => {
    fc.assert(
      fc.property(
        purposeArb,
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
          fc
            .jsonValue({ maxDepth: 1 })
            .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
            .map((v) => Buffer.from(JSON.stringify(v))),
          fc.constantFrom(Buffer.from('{"a":'), Buffer.from('\ufeff{}'), Buffer.from('')),
        ),
        (purpose, plain) => {
          expectTampered(() => envelope.open(purpose, authenticAround(purpose, plain)));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('win request and response messages', () => {
  const anyField = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
    fc.constant(undefined),
    fc.constant('x'.repeat(300)),
  );

  it('an authentic request of any shape is lawful or ERR_CRYPTO_TAMPERED; only lawful, fresh ones reach the seen-state store', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            v: fc.oneof(fc.constant(1), anyField),
            op: fc.oneof(fc.constantFrom('validate', 'sync'), anyField),
            upn: fc.oneof(fc.constant('alice@adatum.test'), anyField),
            code: fc.oneof(fc.constant('123456'), anyField),
            state: fc.oneof(fc.constant(randomBytes(32).toString('base64url')), anyField),
            ts: fc.oneof(
              fc.integer({ min: NOW.getTime() - 200_000, max: NOW.getTime() + 200_000 }),
              anyField,
            ),
            agent: anyField,
            client_ip: anyField,
          },
          { requiredKeys: [] },
        ),
        async (payload) => {
          const text = envelope.seal('request', JSON.parse(JSON.stringify(payload)));
          const asked: string[] = [];
          const options = {
            now: NOW,
            rememberState: async (key: string) => {
              asked.push(key);
              return true;
            },
          };
          let opened: Awaited<ReturnType<typeof openWinRequest>> | undefined;
          try {
            opened = await openWinRequest(envelope, text, options);
          } catch {
            await expectTamperedAsync(
              openWinRequest(envelope, text, { ...options, rememberState: async () => true }),
            );
            // The store says "first time" to everything here, so a refusal can only come from
            // the shape or the time — and must come before the store is asked.
            expect(asked).toEqual([]);
            return;
          }
          expect(asked).toEqual([`win-state:${opened.state}`]);
          expect(['validate', 'sync']).toContain(opened.op);
          expect(opened.upn.length).toBeGreaterThan(0);
          expect(Math.abs(opened.ts - NOW.getTime())).toBeLessThanOrEqual(120_000);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a replayed request (state seen before) is refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('validate', 'sync') as fc.Arbitrary<'validate' | 'sync'>,
        async (op) => {
          const seen = new Set<string>();
          const rememberState = async (key: string) => !seen.has(key) && (seen.add(key), true);
          const sealed = sealWinRequest(
            envelope,
            { op, upn: 'bob@adatum.test', code: '000000' },
            { now: NOW },
          );
          await openWinRequest(envelope, sealed.envelope, { now: NOW, rememberState });
          await expectTamperedAsync(
            openWinRequest(envelope, sealed.envelope, { now: NOW, rememberState }),
          );
        },
      ),
      { numRuns: 20 },
    );
  });

  it('an authentic response of any shape is lawful for our state or ERR_CRYPTO_TAMPERED', () => {
    const state = randomBytes(32).toString('base64url');
    fc.assert(
      fc.property(
        fc.record(
          {
            v: fc.oneof(fc.constant(1), anyField),
            state: fc.oneof(fc.constant(state), anyField),
            ts: fc.oneof(fc.constant(NOW.getTime()), anyField),
            ok: fc.oneof(fc.boolean(), anyField),
            reason: fc.oneof(fc.constantFrom('invalid_code', 'locked'), anyField),
            laststep: fc.oneof(fc.integer(), anyField, fc.double()),
            offline: fc.oneof(
              fc.record({
                secret: fc.oneof(fc.constant('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'), anyField),
                step: fc.oneof(fc.constant(30), anyField),
                digits: fc.oneof(fc.constantFrom(6, 8), anyField),
                algorithm: fc.oneof(fc.constant('SHA1'), anyField),
              }),
              anyField,
            ),
          },
          { requiredKeys: [] },
        ),
        (payload) => {
          const text = envelope.seal('response', JSON.parse(JSON.stringify(payload)));
          let res: ReturnType<typeof openWinResponse>;
          try {
            res = openWinResponse(envelope, text, { state, now: NOW });
          } catch {
            expectTampered(() => openWinResponse(envelope, text, { state, now: NOW }));
            return;
          }
          expect(res.state).toBe(state);
          expect(typeof res.ok).toBe('boolean');
          if (res.offline !== undefined) expect(res.offline.secret).toMatch(/^[A-Z2-7]+=*$/);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
