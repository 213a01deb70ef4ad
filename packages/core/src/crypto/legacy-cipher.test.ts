import { describe, expect, it } from '@jest/globals';
import { LEGACY_CIPHER_VECTORS } from '@securemfa/testkit';
import { createLegacyCipher, DEFAULT_LEGACY_SALT, legacySaltBytes } from './legacy-cipher.js';

const secrets = LEGACY_CIPHER_VECTORS.filter((v) => v.isSecret);
const notSecrets = LEGACY_CIPHER_VECTORS.filter((v) => !v.isSecret);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).name;
  }
}

describe('legacy format: AES-256-CBC, PBKDF2-SHA1 ×4, 16-byte salt, zero padding (seeds "Encryption")', () => {
  it('has vectors for one block, several blocks, zero padding, = padding and a UTF-8 passphrase', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(7);
    expect(secrets.some((v) => v.padBytes === 0)).toBe(true);
    expect(secrets.some((v) => v.padBytes > 0)).toBe(true);
    expect(secrets.some((v) => v.plain.endsWith('='))).toBe(true);
    expect(secrets.some((v) => Buffer.byteLength(v.passphrase) !== v.passphrase.length)).toBe(true);
  });

  it.each(secrets.map((v) => [v.name, v] as const))(
    'decrypts the openssl-made vector: %s',
    (_name, v) => {
      const legacy = createLegacyCipher({ passphrase: v.passphrase, salt: v.salt });
      expect(legacy.decrypt(v.stored)).toBe(v.plain);
    },
  );

  it.each(secrets.map((v) => [v.name, v] as const))(
    'encrypts to exactly the openssl bytes (fixed IV, zero padding): %s',
    (_name, v) => {
      const legacy = createLegacyCipher({ passphrase: v.passphrase, salt: v.salt });
      expect(legacy.encrypt(v.plain)).toBe(v.stored);
    },
  );

  it.each(notSecrets.map((v) => [v.name, v] as const))(
    'reports a right-key result that is not upper-case base32 as ERR_CRYPTO_TAMPERED: %s',
    (_name, v) => {
      const legacy = createLegacyCipher({ passphrase: v.passphrase, salt: v.salt });
      expect(codeOf(() => legacy.decrypt(v.stored))).toBe('ERR_CRYPTO_TAMPERED');
    },
  );

  it('reports a wrong passphrase or a wrong salt as ERR_CRYPTO_TAMPERED for every vector', () => {
    for (const v of secrets) {
      const wrongPass = createLegacyCipher({ passphrase: `${v.passphrase}x`, salt: v.salt });
      const wrongSalt = createLegacyCipher({ passphrase: v.passphrase, salt: 'ABCDEFGHIJKLMNOP' });
      expect(codeOf(() => wrongPass.decrypt(v.stored))).toBe('ERR_CRYPTO_TAMPERED');
      expect(codeOf(() => wrongSalt.decrypt(v.stored))).toBe('ERR_CRYPTO_TAMPERED');
    }
  });

  it('reports every flipped ciphertext bit of every vector as ERR_CRYPTO_TAMPERED', () => {
    let flips = 0;
    for (const v of secrets) {
      const legacy = createLegacyCipher({ passphrase: v.passphrase, salt: v.salt });
      const ct = Buffer.from(v.stored, 'base64');
      for (let i = 0; i < ct.length; i += 1) {
        for (let bit = 0; bit < 8; bit += 1) {
          const copy = Buffer.from(ct);
          copy[i] = copy[i]! ^ (1 << bit);
          expect(codeOf(() => legacy.decrypt(copy.toString('base64')))).toBe('ERR_CRYPTO_TAMPERED');
          flips += 1;
        }
      }
    }
    expect(flips).toBeGreaterThan(2000);
  });

  it('cannot detect a ciphertext cut at a block boundary (no MAC: the reason v2 exists)', () => {
    const v = secrets.find((x) => x.plain === 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')!;
    const legacy = createLegacyCipher({ passphrase: v.passphrase, salt: v.salt });
    const firstBlock = Buffer.from(v.stored, 'base64').subarray(0, 16).toString('base64');
    expect(legacy.decrypt(firstBlock)).toBe('GEZDGNBVGY3TQOJQ');
  });

  it.each([
    ['empty', ''],
    ['not base64', 'not base64 at all!'],
    ['a partial block', Buffer.alloc(15, 1).toString('base64')],
    ['too long', Buffer.alloc(16 * 65, 1).toString('base64')],
  ])(
    'reports a value that is not base64 of whole blocks (%s) as ERR_CRYPTO_TAMPERED',
    (_why, stored) => {
      const legacy = createLegacyCipher({ passphrase: 'p', salt: DEFAULT_LEGACY_SALT });
      expect(codeOf(() => legacy.decrypt(stored))).toBe('ERR_CRYPTO_TAMPERED');
    },
  );

  it('round-trips a base32 secret under the default salt', () => {
    const legacy = createLegacyCipher({ passphrase: 'round trip' });
    expect(legacy.decrypt(legacy.encrypt('MFRGGZDFMZTWQ2LKNNWG23TPOA'))).toBe(
      'MFRGGZDFMZTWQ2LKNNWG23TPOA',
    );
  });

  it('refuses to encrypt something that is not a base32 secret, without echoing it', () => {
    const legacy = createLegacyCipher({ passphrase: 'p' });
    expect(() => legacy.encrypt('my-private-text!')).toThrow(TypeError);
    expect(() => legacy.encrypt('my-private-text!')).not.toThrow(/my-private-text/);
  });
});

describe('legacy salt and passphrase options', () => {
  it('takes 16 ASCII characters or 16 bytes', () => {
    expect(legacySaltBytes('0123456789abcdef')).toEqual(Buffer.from('0123456789abcdef'));
    const bytes = Buffer.from('0123456789abcdef');
    const v = secrets.find((x) => x.salt === '0123456789abcdef')!;
    expect(
      createLegacyCipher({ passphrase: v.passphrase, salt: new Uint8Array(bytes) }).decrypt(
        v.stored,
      ),
    ).toBe(v.plain);
  });

  it.each([
    ['15 characters', 'short-salt-1234'],
    ['17 characters', '0123456789abcdefg'],
    ['16 characters but 32 UTF-8 bytes', 'ä'.repeat(16)],
    ['8 bytes', new Uint8Array(8)],
  ])('rejects a salt of %s with a TypeError naming data_encryption_legacy_salt', (_why, salt) => {
    expect(() => createLegacyCipher({ passphrase: 'p', salt })).toThrow(
      /data_encryption_legacy_salt.*16 bytes/,
    );
  });

  it('rejects an empty passphrase with a TypeError', () => {
    expect(() => createLegacyCipher({ passphrase: '' })).toThrow(TypeError);
  });
});
