import { describe, expect, it } from '@jest/globals';
import { SignJWT, UnsecuredJWT } from 'jose';
import { constantTimeEqual } from './constant-time.js';
import { signPageJwt, verifyPageJwt } from './page-jwt.js';
import { openContext, sealContext } from './sealed-context.js';

const secret = 'farm-shared-secret-0123456789';
const t0 = new Date('2026-06-01T12:00:00Z');
const later = (s: number): Date => new Date(t0.getTime() + s * 1000);

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

describe('sealed context', () => {
  it('round-trips a payload and any node with the same secret can open it', async () => {
    const token = await sealContext({ upn: 'alice@adatum.labnet', lang: 'de' }, { secret, now: t0, ttlSeconds: 300 });
    expect(token.split('.')).toHaveLength(5);
    expect(token).not.toContain('alice');
    expect(await openContext(token, { secret, now: later(299) })).toMatchObject({ upn: 'alice@adatum.labnet', lang: 'de' });
  });

  it('expires', async () => {
    const token = await sealContext({ upn: 'a' }, { secret, now: t0, ttlSeconds: 60 });
    expect(await codeOf(openContext(token, { secret, now: later(61) }))).toBe('ERR_CONTEXT_EXPIRED');
  });

  it('rejects a tampered token, another secret and another audience', async () => {
    const token = await sealContext({ upn: 'a' }, { secret, now: t0, ttlSeconds: 60, audience: 'qr-otp' });
    const parts = token.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0]! ^= 1;
    parts[3] = ct.toString('base64url');
    expect(await codeOf(openContext(parts.join('.'), { secret, now: t0, audience: 'qr-otp' }))).toBe('ERR_CONTEXT_INVALID');
    expect(await codeOf(openContext(token, { secret: 'other-secret-xyz', now: t0, audience: 'qr-otp' }))).toBe('ERR_CONTEXT_INVALID');
    expect(await codeOf(openContext(token, { secret, now: t0, audience: 'email-otp' }))).toBe('ERR_CONTEXT_INVALID');
    expect(await codeOf(openContext('garbage', { secret, now: t0 }))).toBe('ERR_CONTEXT_INVALID');
    expect(await codeOf(openContext('x'.repeat(9000), { secret, now: t0 }))).toBe('ERR_CONTEXT_INVALID');
  });
});

describe('page JWTs', () => {
  const opts = { secret, now: t0, audience: 'https://mfa.example' };

  it('signs and verifies with HS256 and the audience', async () => {
    const token = await signPageJwt({ sub: 'alice', state: 's1' }, { ...opts, ttlSeconds: 120 });
    expect(await verifyPageJwt(token, opts)).toMatchObject({ sub: 'alice', state: 's1', aud: 'https://mfa.example' });
    expect(await codeOf(verifyPageJwt(token, { ...opts, now: later(200) }))).toBe('ERR_CONTEXT_EXPIRED');
    expect(await codeOf(verifyPageJwt(token, { ...opts, audience: 'https://other' }))).toBe('ERR_CONTEXT_INVALID');
  });

  it('refuses alg none and other algorithms', async () => {
    const none = new UnsecuredJWT({ sub: 'alice' }).setAudience(opts.audience).setExpirationTime('2h').encode();
    expect(await codeOf(verifyPageJwt(none, opts))).toBe('ERR_CONTEXT_INVALID');
    const hs512 = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS512' })
      .setAudience(opts.audience)
      .setExpirationTime(Math.floor(t0.getTime() / 1000) + 60)
      .sign(new TextEncoder().encode(secret));
    await expect(verifyPageJwt(hs512, opts)).rejects.toThrow(/algorithm not allowed/);
  });

  it('requires exp and sub', async () => {
    const noExp = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(opts.audience)
      .sign(new TextEncoder().encode(secret));
    await expect(verifyPageJwt(noExp, opts)).rejects.toThrow(/claim check failed \(exp\)/);
  });

  it('refuses keys shorter than 16 bytes', async () => {
    await expect(signPageJwt({ sub: 'a' }, { ...opts, secret: 'short', ttlSeconds: 60 })).rejects.toThrow(TypeError);
  });
});

describe('constantTimeEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
    ['', 'a', false],
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
    expect(constantTimeEqual(Buffer.from(a), Buffer.from(b))).toBe(expected);
  });
});
