import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { LEGACY_CIPHER_VECTORS } from '@securemfa/testkit';
import {
  deriveLegacyKeyIv,
  deriveMasterKey,
  deriveMasterKeyAsync,
  deriveValueKeys,
  kdfStats,
} from './kdf.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

describe('deriveLegacyKeyIv (PBKDF2-HMAC-SHA1 ×4, 48 bytes = key ‖ IV)', () => {
  it.each(LEGACY_CIPHER_VECTORS.map((v) => [v.name, v] as const))(
    'matches the key and IV openssl kdf derived: %s',
    (_name, v) => {
      const { key, iv } = deriveLegacyKeyIv(v.passphrase, Buffer.from(v.salt, 'utf8'));
      expect(hex(key)).toBe(v.keyHex);
      expect(hex(iv)).toBe(v.ivHex);
    },
  );
});

describe('deriveMasterKey (PBKDF2-HMAC-SHA256, cached per process)', () => {
  it('matches RFC 7914 §11 (PBKDF2-HMAC-SHA256 "passwd"/"salt", c = 1), first 32 bytes', () => {
    expect(hex(deriveMasterKey('passwd', Buffer.from('salt'), 1))).toBe(
      '55AC046E56E3089FEC1691C22544B605F94185216DDE0465E68B9D57C20DACBC',
    );
  });

  it('matches openssl kdf at 100,000 iterations', () => {
    // openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt 'pass:correct horse battery staple' \
    //   -kdfopt hexsalt:000102030405060708090a0b0c0d0e0f -kdfopt iter:100000 PBKDF2
    const salt = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    expect(hex(deriveMasterKey('correct horse battery staple', salt, 100_000))).toBe(
      '49D49C25F597846209F0D92E7770AB64E1C75E94B4CE6C509265EE67175D2A1E',
    );
  });

  it('derives once per (passphrase, salt, iterations) and serves repeats from the cache', () => {
    const salt = randomBytes(16);
    const before = kdfStats.pbkdf2;
    const a = deriveMasterKey('kdf-test cache', salt, 1000);
    const b = deriveMasterKey('kdf-test cache', Buffer.from(salt), 1000);
    expect(b).toBe(a);
    expect(kdfStats.pbkdf2 - before).toBe(1);
    deriveMasterKey('kdf-test cache', salt, 1001);
    deriveMasterKey('kdf-test cache ', salt, 1000);
    expect(kdfStats.pbkdf2 - before).toBe(3);
  });

  it('the async form shares the cache and concurrent calls share one derivation', async () => {
    const salt = randomBytes(16);
    const before = kdfStats.pbkdf2;
    const [a, b] = await Promise.all([
      deriveMasterKeyAsync('kdf-test async', salt, 2000),
      deriveMasterKeyAsync('kdf-test async', salt, 2000),
    ]);
    expect(b).toBe(a);
    expect(deriveMasterKey('kdf-test async', salt, 2000)).toBe(a);
    expect(kdfStats.pbkdf2 - before).toBe(1);
  });
});

describe('deriveValueKeys (HKDF-SHA256)', () => {
  it('matches openssl kdf HKDF and splits into encKey ‖ macKey', () => {
    // openssl kdf -keylen 64 -kdfopt digest:SHA256 -kdfopt hexkey:<master above> \
    //   -kdfopt hexsalt:101112131415161718191a1b1c1d1e1f \
    //   -kdfopt 'info:securemfa stored secret v2: aes-256-cbc key | hmac-sha256 key' HKDF
    const master = Buffer.from(
      '49D49C25F597846209F0D92E7770AB64E1C75E94B4CE6C509265EE67175D2A1E',
      'hex',
    );
    const { encKey, macKey } = deriveValueKeys(
      master,
      Buffer.from('101112131415161718191a1b1c1d1e1f', 'hex'),
    );
    expect(hex(encKey)).toBe('5466CD9FF9C279FA41C79657F90A84301115D85ADFF6A2CA63F878F02D41FFC0');
    expect(hex(macKey)).toBe('E6467C87BDCAE34086B76D105B2B7D7477778FE0309E5AD7D26E1AC97FC00ED7');
  });

  it('gives different keys for different value salts', () => {
    const master = randomBytes(32);
    const a = deriveValueKeys(master, Buffer.alloc(16, 1));
    const b = deriveValueKeys(master, Buffer.alloc(16, 2));
    expect(a.encKey.equals(b.encKey)).toBe(false);
    expect(a.macKey.equals(a.encKey)).toBe(false);
  });
});
