import { describe, expect, it } from '@jest/globals';
import {
  createCipheriv,
  createHash,
  createHmac,
  hkdfSync,
  pbkdf2Sync,
  randomBytes,
} from 'node:crypto';
import { kdfStats } from './kdf.js';
import { V2_MIN_ITERATIONS } from './v2-cipher.js';
import {
  createWinEnvelope,
  WIN_ENVELOPE_ITERATIONS,
  WIN_ENVELOPE_KDF_SALT,
  WIN_ENVELOPE_MAX_LENGTH,
  WIN_ENVELOPE_REJECTED,
} from './win-envelope.js';

const passphrase = 'win envelope test passphrase';
// The lowest accepted count keeps the suite fast; one test below uses the default.
const envelope = createWinEnvelope({ passphrase, iterations: V2_MIN_ITERATIONS });
const TAMPERED = { code: 'ERR_CRYPTO_TAMPERED', message: WIN_ENVELOPE_REJECTED };

/**
 * An envelope built from the format description with node:crypto alone (not through our
 * module): the interoperability contract another implementation (a Windows credential provider)
 * would follow.
 */
function buildIndependently(
  pass: string,
  purpose: string,
  plaintext: string,
  iterations = V2_MIN_ITERATIONS,
): string {
  const kdfSalt = createHash('sha256')
    .update('securemfa win-otp envelope v1')
    .digest()
    .subarray(0, 16);
  const master = pbkdf2Sync(pass, kdfSalt, iterations, 32, 'sha256');
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const okm = Buffer.from(
    hkdfSync('sha256', master, salt, `securemfa win envelope v1 ${purpose}`, 64),
  );
  const c = createCipheriv('aes-256-cbc', okm.subarray(0, 32), iv);
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  const tag = createHmac('sha256', okm.subarray(32))
    .update(`w1.${purpose}.`)
    .update(salt)
    .update(iv)
    .update(ct)
    .digest();
  return `w1.${Buffer.concat([salt, iv, ct, tag]).toString('base64url')}`;
}

describe('createWinEnvelope', () => {
  it('round-trips a JSON object, with fresh salt and IV every time', () => {
    const payload = { op: 'validate', upn: 'alice@adatum.labnet', code: '123456', n: 7 };
    const a = envelope.seal('request', payload);
    const b = envelope.seal('request', payload);
    expect(a).toMatch(/^w1\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(envelope.open('request', a)).toEqual(payload);
    expect(envelope.open('request', b)).toEqual(payload);
    expect(a).not.toContain('alice');
  });

  it('opens an envelope built independently from the format description (node:crypto only)', () => {
    const text = buildIndependently(passphrase, 'response', '{"ok":true,"state":"s"}');
    expect(envelope.open('response', text)).toEqual({ ok: true, state: 's' });
  });

  it('uses the documented fixed kdf salt', () => {
    expect(WIN_ENVELOPE_KDF_SALT.toString('hex')).toBe(
      createHash('sha256')
        .update('securemfa win-otp envelope v1')
        .digest()
        .subarray(0, 16)
        .toString('hex'),
    );
  });

  it('rejects every single flipped byte of the data with the same error', () => {
    const text = envelope.seal('request', { code: '123456' });
    const data = Buffer.from(text.slice(3), 'base64url');
    for (let i = 0; i < data.length; i += 1) {
      const flipped = Buffer.from(data);
      flipped[i] = flipped[i]! ^ 0x01;
      expect(() => envelope.open('request', `w1.${flipped.toString('base64url')}`)).toThrow(
        expect.objectContaining(TAMPERED),
      );
    }
  });

  it('binds the purpose: a request does not open as a response or as the offline cache', () => {
    const text = envelope.seal('request', { a: 1 });
    expect(() => envelope.open('response', text)).toThrow(expect.objectContaining(TAMPERED));
    expect(() => envelope.open('offline-cache', text)).toThrow(expect.objectContaining(TAMPERED));
  });

  it('rejects another passphrase, another version, truncation, padding characters, non-canonical text, oversize', () => {
    const text = envelope.seal('response', { ok: true });
    const other = createWinEnvelope({ passphrase: 'another one', iterations: V2_MIN_ITERATIONS });
    const bad = [
      [other, text],
      [envelope, `w2${text.slice(2)}`],
      [envelope, text.slice(0, -4)],
      [envelope, `${text}==`],
      [envelope, 'w1.'],
      [envelope, 'no-dot-here'],
      [envelope, `w1.${'A'.repeat(WIN_ENVELOPE_MAX_LENGTH)}`],
    ] as const;
    for (const [env, t] of bad) {
      expect(() => env.open('response', t)).toThrow(expect.objectContaining(TAMPERED));
    }
    // The last base64url character of 80 bytes carries 4 unused bits: a second spelling of the
    // same bytes must not open.
    const last = text.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
    const nonCanonical = text.slice(0, -1) + twin;
    expect(Buffer.from(nonCanonical.slice(3), 'base64url')).toEqual(
      Buffer.from(text.slice(3), 'base64url'),
    );
    expect(() => envelope.open('response', nonCanonical)).toThrow(
      expect.objectContaining(TAMPERED),
    );
  });

  it('rejects an authentic envelope whose plaintext is not a JSON object', () => {
    for (const plain of ['[1,2]', '"text"', '42', 'not json']) {
      const text = buildIndependently(passphrase, 'request', plain);
      expect(() => envelope.open('request', text)).toThrow(expect.objectContaining(TAMPERED));
    }
  });

  it('puts what failed in cause only, never a secret', () => {
    try {
      envelope.open('request', envelope.seal('response', { code: '654321' }));
      throw new Error('expected a rejection');
    } catch (err) {
      const e = err as Error & { cause?: Error };
      expect(e.message).toBe(WIN_ENVELOPE_REJECTED);
      expect(e.cause?.message).toMatch(/MAC mismatch/);
      expect(`${e.message} ${e.cause?.message}`).not.toContain(passphrase);
      expect(`${e.message} ${e.cause?.message}`).not.toContain('654321');
    }
  });

  it('derives the master key once per process, not per message (default iterations)', async () => {
    const env = createWinEnvelope({ passphrase: `${passphrase} default` });
    await env.warmUp();
    const before = kdfStats.pbkdf2;
    for (let i = 0; i < 20; i += 1) env.open('request', env.seal('request', { i }));
    const again = createWinEnvelope({ passphrase: `${passphrase} default` });
    again.open('request', env.seal('request', { i: 99 }));
    expect(kdfStats.pbkdf2 - before).toBe(0);
    expect(WIN_ENVELOPE_ITERATIONS).toBe(600_000);
  });

  it('refuses misuse with TypeError/RangeError naming the argument', () => {
    expect(() => createWinEnvelope({ passphrase: '' })).toThrow(/"passphrase"/);
    expect(() => createWinEnvelope({ passphrase: 'x', iterations: 10 })).toThrow(RangeError);
    // @ts-expect-error -- a purpose that does not exist
    expect(() => envelope.seal('other', {})).toThrow(/"purpose"/);
    // @ts-expect-error -- not an object
    expect(() => envelope.seal('request', [1])).toThrow(/"payload"/);
  });
});
