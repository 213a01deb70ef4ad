import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { base32 } from '@otplib/plugin-base32-scure';
import { createLegacyCipher } from './legacy-cipher.js';
import { createSecretCipher } from './secret-cipher.js';
import { createV2Cipher, V2_MIN_ITERATIONS } from './v2-cipher.js';

const passphrase = 'property passphrase';
const v2 = createV2Cipher({ passphrase, iterations: V2_MIN_ITERATIONS });
const cipher = createSecretCipher({ enabled: true, passphrase, iterations: V2_MIN_ITERATIONS });

/** Base32 secrets of 10–64 random bytes, unpadded, as generateSecret and the originals write. */
const secretArb = fc
  .uint8Array({ minLength: 10, maxLength: 64 })
  .map((bytes) => base32.encode(bytes, { padding: false }));

function flipBit(text: string, index: number, bit: number): string {
  return (
    text.slice(0, index) +
    String.fromCharCode(text.charCodeAt(index) ^ (1 << bit)) +
    text.slice(index + 1)
  );
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

describe('v2: tampering is always detected', () => {
  it('reports every single-bit flip of every character of a value as ERR_CRYPTO_TAMPERED (exhaustive)', () => {
    const stored = v2.encrypt('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    const seen = new Set<string>();
    for (let i = 0; i < stored.length; i += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const flipped = flipBit(stored, i, bit);
        seen.add(flipped);
        expect(codeOf(() => cipher.decrypt(flipped))).toBe('ERR_CRYPTO_TAMPERED');
      }
    }
    expect(seen.size).toBe(stored.length * 8);
  });

  it('reports any flipped bit of the decoded bytes as ERR_CRYPTO_TAMPERED, for any secret', () => {
    fc.assert(
      fc.property(secretArb, fc.nat(), fc.integer({ min: 0, max: 7 }), (secret, at, bit) => {
        const stored = v2.encrypt(secret);
        const cut = stored.lastIndexOf('$') + 1;
        const data = Buffer.from(stored.slice(cut), 'base64url');
        const i = at % data.length;
        data[i] = data[i]! ^ (1 << bit);
        expect(
          codeOf(() => cipher.decrypt(stored.slice(0, cut) + data.toString('base64url'))),
        ).toBe('ERR_CRYPTO_TAMPERED');
      }),
      { numRuns: 300 },
    );
  });

  it('reports any flipped bit of the text as ERR_CRYPTO_TAMPERED, for any secret', () => {
    fc.assert(
      fc.property(secretArb, fc.nat(), fc.integer({ min: 0, max: 7 }), (secret, at, bit) => {
        const stored = cipher.encrypt(secret);
        expect(codeOf(() => cipher.decrypt(flipBit(stored, at % stored.length, bit)))).toBe(
          'ERR_CRYPTO_TAMPERED',
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('encrypt ∘ decrypt = id', () => {
  it('v2, for any base32 secret', () => {
    fc.assert(
      fc.property(secretArb, (secret) => cipher.decrypt(cipher.encrypt(secret)) === secret),
      { numRuns: 200 },
    );
  });

  it('legacy, for any base32 secret, passphrase and 16-character salt', () => {
    fc.assert(
      fc.property(
        secretArb,
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ unit: 'binary-ascii', minLength: 16, maxLength: 16 }),
        (secret, pass, salt) => {
          const legacy = createLegacyCipher({ passphrase: pass, salt });
          return legacy.decrypt(legacy.encrypt(secret)) === secret;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('plain, when encryption is off', () => {
    const off = createSecretCipher({ enabled: false });
    fc.assert(
      fc.property(
        secretArb,
        (secret) => off.encrypt(secret) === secret && off.decrypt(secret) === secret,
      ),
      { numRuns: 100 },
    );
  });
});
