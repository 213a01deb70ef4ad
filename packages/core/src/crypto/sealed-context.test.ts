import { describe, expect, it } from '@jest/globals';
import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, EncryptJWT, jwtDecrypt, SignJWT } from 'jose';
import { ContextError } from '../errors.js';
import { MAX_CONTEXT_LENGTH, openContext, sealContext } from './sealed-context.js';

const secret = 'farm-shared-secret-0123456789abcdef';
const t0 = new Date('2026-06-01T12:00:00Z');
const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);
const iat = Math.floor(t0.getTime() / 1000);

async function errorOf(p: Promise<unknown>): Promise<ContextError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ContextError);
    return err as ContextError;
  }
  throw new Error('expected a ContextError');
}

/** The documented key derivation, rebuilt here to forge tokens under the right key. */
const documentedKey = (s: string): Uint8Array =>
  new Uint8Array(
    hkdfSync(
      'sha256',
      Buffer.from(s),
      Buffer.from('securemfa'),
      Buffer.from('securemfa sealed context v1: dir A256GCM'),
      32,
    ),
  );

describe('sealContext / openContext', () => {
  it('round-trips the payload, and any node with the same secret opens it', async () => {
    const token = await sealContext(
      { upn: 'alice@adatum.labnet', lang: 'de' },
      { secret, now: t0, ttlSeconds: 300 },
    );
    expect(token.split('.')).toHaveLength(5);
    expect(await openContext(token, { secret: `${secret}`, now: at(299) })).toEqual({
      upn: 'alice@adatum.labnet',
      lang: 'de',
      iat,
      exp: iat + 300,
    });
  });

  it('keeps the payload confidential (no part of the token decodes to it)', async () => {
    const token = await sealContext(
      { upn: 'alice@adatum.labnet' },
      { secret, now: t0, ttlSeconds: 60 },
    );
    expect(token).not.toContain('alice');
    for (const part of token.split('.'))
      expect(Buffer.from(part, 'base64url').toString('latin1')).not.toContain('alice');
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(header).toEqual({ alg: 'dir', enc: 'A256GCM' });
  });

  it('expires at exp: open one second before, ERR_CONTEXT_EXPIRED at and after', async () => {
    const token = await sealContext({ upn: 'a' }, { secret, now: t0, ttlSeconds: 60 });
    await expect(openContext(token, { secret, now: at(59) })).resolves.toMatchObject({ upn: 'a' });
    expect((await errorOf(openContext(token, { secret, now: at(60) }))).code).toBe(
      'ERR_CONTEXT_EXPIRED',
    );
    expect((await errorOf(openContext(token, { secret, now: at(3600) }))).code).toBe(
      'ERR_CONTEXT_EXPIRED',
    );
  });

  it('reports a change in any part of the token as ERR_CONTEXT_INVALID', async () => {
    const token = await sealContext({ upn: 'a' }, { secret, now: t0, ttlSeconds: 60 });
    const parts = token.split('.');
    for (const index of [0, 2, 3, 4]) {
      const copy = [...parts];
      const bytes = Buffer.from(copy[index]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      copy[index] = bytes.toString('base64url');
      const err = await errorOf(openContext(copy.join('.'), { secret, now: t0 }));
      expect(err.code).toBe('ERR_CONTEXT_INVALID');
    }
  });

  it('reports another secret as ERR_CONTEXT_INVALID', async () => {
    const token = await sealContext({ upn: 'a' }, { secret, now: t0, ttlSeconds: 60 });
    expect(
      (await errorOf(openContext(token, { secret: 'another-secret-0123456789', now: t0 }))).code,
    ).toBe('ERR_CONTEXT_INVALID');
  });

  it('binds the audience both ways', async () => {
    const bound = await sealContext(
      { upn: 'a' },
      { secret, now: t0, ttlSeconds: 60, audience: 'qr-otp' },
    );
    const unbound = await sealContext({ upn: 'a' }, { secret, now: t0, ttlSeconds: 60 });
    await expect(
      openContext(bound, { secret, now: t0, audience: 'qr-otp' }),
    ).resolves.toMatchObject({ aud: 'qr-otp' });
    expect(
      (await errorOf(openContext(bound, { secret, now: t0, audience: 'email-otp' }))).code,
    ).toBe('ERR_CONTEXT_INVALID');
    expect((await errorOf(openContext(bound, { secret, now: t0 }))).code).toBe(
      'ERR_CONTEXT_INVALID',
    );
    expect(
      (await errorOf(openContext(unbound, { secret, now: t0, audience: 'qr-otp' }))).code,
    ).toBe('ERR_CONTEXT_INVALID');
  });

  it('pins dir + A256GCM: a token under the same key with another content algorithm is refused', async () => {
    const key = documentedKey(secret);
    const exp = iat + 60;
    const good = await new EncryptJWT({ upn: 'a' })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .encrypt(key);
    await expect(openContext(good, { secret, now: t0 })).resolves.toMatchObject({ upn: 'a' }); // the key is right
    const cbc = await new EncryptJWT({ upn: 'a' })
      .setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256' })
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .encrypt(key);
    const err = await errorOf(openContext(cbc, { secret, now: t0 }));
    expect(err.code).toBe('ERR_CONTEXT_INVALID');
    expect((err.cause as Error).message).toMatch(/header/);
  });

  it('interoperates with jose both ways (the independent JWE implementation as oracle)', async () => {
    const key = documentedKey(secret);
    // Sealed here → opened by jose, with jose's own pinned algorithms and claim checks.
    const ours = await sealContext(
      { upn: 'alice@adatum.labnet', lang: 'ar' },
      { secret, now: t0, ttlSeconds: 120, audience: 'qr-otp' },
    );
    const { payload, protectedHeader } = await jwtDecrypt(ours, key, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      currentDate: t0,
      audience: 'qr-otp',
    });
    expect(protectedHeader).toEqual({ alg: 'dir', enc: 'A256GCM' });
    expect(payload).toEqual({
      upn: 'alice@adatum.labnet',
      lang: 'ar',
      iat,
      exp: iat + 120,
      aud: 'qr-otp',
    });
    // Sealed by jose (header members in another order, audience as an array) → opened here.
    const theirs = await new EncryptJWT({ upn: 'bob@adatum.labnet' })
      .setProtectedHeader({ enc: 'A256GCM', alg: 'dir' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .setAudience(['email-otp', 'qr-otp'])
      .encrypt(key);
    await expect(openContext(theirs, { secret, now: at(59), audience: 'qr-otp' })).resolves.toEqual(
      { upn: 'bob@adatum.labnet', iat, exp: iat + 60, aud: ['email-otp', 'qr-otp'] },
    );
    expect(
      (await errorOf(openContext(theirs, { secret, now: at(60), audience: 'qr-otp' }))).code,
    ).toBe('ERR_CONTEXT_EXPIRED');
  });

  it('refuses header members that change processing, an encrypted key, odd IV or tag sizes', async () => {
    const key = documentedKey(secret);
    const claims = { upn: 'a', iat, exp: iat + 60 };
    const seal = (header: Record<string, unknown>) =>
      new CompactEncrypt(Buffer.from(JSON.stringify(claims)))
        .setProtectedHeader(header as { alg: string; enc: string })
        .encrypt(key);
    const control = await seal({ alg: 'dir', enc: 'A256GCM', kid: 'k1' });
    await expect(openContext(control, { secret, now: t0 })).resolves.toMatchObject({ upn: 'a' });
    const withCrit = await seal({ alg: 'dir', enc: 'A256GCM', crit: ['exp'], exp: 1 }).catch(
      () => undefined,
    );
    // jose itself refuses to write an unknown crit; build the token by hand from the control.
    const parts = control.split('.');
    const forgedHeader = (h: Record<string, unknown>) =>
      [Buffer.from(JSON.stringify(h)).toString('base64url'), ...parts.slice(1)].join('.');
    for (const token of [
      forgedHeader({ alg: 'dir', enc: 'A256GCM', zip: 'DEF' }),
      forgedHeader({ alg: 'dir', enc: 'A256GCM', crit: ['x'], x: 1 }),
      [parts[0], 'AAAA', ...parts.slice(2)].join('.'),
      [parts[0], parts[1], Buffer.alloc(16).toString('base64url'), ...parts.slice(3)].join('.'),
      [...parts.slice(0, 4), Buffer.alloc(12).toString('base64url')].join('.'),
      ...(withCrit === undefined ? [] : [withCrit]),
    ]) {
      expect((await errorOf(openContext(token, { secret, now: t0 }))).code).toBe(
        'ERR_CONTEXT_INVALID',
      );
    }
  });

  it('requires iat and exp, and a JSON claims set', async () => {
    const key = documentedKey(secret);
    const noExp = await new EncryptJWT({ upn: 'a' })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt(iat)
      .encrypt(key);
    expect((await errorOf(openContext(noExp, { secret, now: t0 }))).code).toBe(
      'ERR_CONTEXT_INVALID',
    );
    const notJson = await new CompactEncrypt(Buffer.from('not json'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(key);
    expect((await errorOf(openContext(notJson, { secret, now: t0 }))).code).toBe(
      'ERR_CONTEXT_INVALID',
    );
  });

  it.each([
    ['garbage', 'garbage'],
    ['empty', ''],
    ['too long', 'x'.repeat(MAX_CONTEXT_LENGTH + 1)],
    ['five empty parts', '....'],
  ])('reports %s as ERR_CONTEXT_INVALID', async (_why, token) => {
    expect((await errorOf(openContext(token, { secret, now: t0 }))).code).toBe(
      'ERR_CONTEXT_INVALID',
    );
  });

  it('reports a signed (not encrypted) JWT as ERR_CONTEXT_INVALID', async () => {
    const jws = await new SignJWT({ upn: 'a' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(iat + 60)
      .sign(Buffer.from(secret));
    expect((await errorOf(openContext(jws, { secret, now: t0 }))).code).toBe('ERR_CONTEXT_INVALID');
  });

  it('rejects misuse at the entry point', async () => {
    await expect(
      sealContext({ upn: 'a' }, { secret: '', now: t0, ttlSeconds: 60 }),
    ).rejects.toThrow(TypeError);
    await expect(sealContext({ exp: 1 }, { secret, now: t0, ttlSeconds: 60 })).rejects.toThrow(
      /"exp"/,
    );
    await expect(sealContext({ upn: 'a' }, { secret, now: t0, ttlSeconds: 0 })).rejects.toThrow(
      RangeError,
    );
    await expect(
      sealContext({ upn: 'a' }, { secret, now: t0, ttlSeconds: 86_401 }),
    ).rejects.toThrow(RangeError);
    await expect(
      sealContext({ upn: 'a' }, { secret, now: new Date(Number.NaN), ttlSeconds: 60 }),
    ).rejects.toThrow(TypeError);
    await expect(sealContext([] as never, { secret, now: t0, ttlSeconds: 60 })).rejects.toThrow(
      TypeError,
    );
  });

  it('never puts the secret or the payload into an error', async () => {
    const token = await sealContext(
      { upn: 'alice@adatum.labnet' },
      { secret, now: t0, ttlSeconds: 60 },
    );
    for (const err of [
      await errorOf(openContext(token, { secret: 'wrong-secret-0123456789', now: t0 })),
      await errorOf(openContext(token, { secret, now: at(61) })),
    ]) {
      const text = `${err.message} ${String((err.cause as Error).message)} ${err.stack ?? ''}`;
      expect(text).not.toContain(secret);
      expect(text).not.toContain('alice');
    }
  });
});
