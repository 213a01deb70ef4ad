import { describe, expect, it } from '@jest/globals';
import { SignJWT, UnsecuredJWT } from 'jose';
import { ContextError } from '../errors.js';
import { signJwt, verifyJwt } from './page-jwt.js';

const secret = 'adapter-api-key-0123456789abcdef';
const t0 = new Date('2026-06-01T12:00:00Z');
const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);
const exp = Math.floor(t0.getTime() / 1000) + 300;
const page = 'https://mfa.adatum.labnet/mfa';
const opts = { secret, now: t0, audience: page };
const AUTH_METHOD_CLAIM =
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod';
const OTP = 'http://schemas.microsoft.com/ws/2012/12/authmethod/otp';

async function errorOf(p: Promise<unknown>): Promise<ContextError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ContextError);
    return err as ContextError;
  }
  throw new Error('expected a ContextError');
}

describe('signJwt / verifyJwt (HS256 page JWTs)', () => {
  it('round-trips a request (sub, aud, exp, return_to, state)', async () => {
    const token = await signJwt(
      { sub: 'alice@adatum.labnet', return_to: 'https://app.adatum.labnet/cb', state: 's-123' },
      { ...opts, ttlSeconds: 300 },
    );
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({
      alg: 'HS256',
      typ: 'JWT',
    });
    const claims = await verifyJwt(token, {
      ...opts,
      requiredClaims: ['exp', 'sub', 'return_to', 'state'],
    });
    expect(claims).toEqual({
      sub: 'alice@adatum.labnet',
      return_to: 'https://app.adatum.labnet/cb',
      state: 's-123',
      aud: page,
      iat: exp - 300,
      exp,
    });
  });

  it('round-trips a response (sub, amr otp, the authentication method claim, state) with an issuer', async () => {
    const app = 'https://app.adatum.labnet/cb';
    const token = await signJwt(
      { sub: 'alice@adatum.labnet', amr: ['otp'], [AUTH_METHOD_CLAIM]: OTP, state: 's-123' },
      { secret, now: t0, ttlSeconds: 60, audience: app, issuer: page },
    );
    const claims = await verifyJwt(token, { secret, now: t0, audience: app, issuer: page });
    expect(claims).toMatchObject({
      amr: ['otp'],
      [AUTH_METHOD_CLAIM]: OTP,
      state: 's-123',
      iss: page,
    });
    expect(
      (await errorOf(verifyJwt(token, { secret, now: t0, audience: app, issuer: 'https://evil' })))
        .message,
    ).toMatch(/claim check failed \(iss/);
  });

  it('expires after exp plus the clock tolerance (default 30 s, or as given)', async () => {
    const token = await signJwt({ sub: 'a' }, { ...opts, ttlSeconds: 300 });
    await expect(verifyJwt(token, { ...opts, now: at(329) })).resolves.toMatchObject({ sub: 'a' });
    expect((await errorOf(verifyJwt(token, { ...opts, now: at(330) }))).code).toBe(
      'ERR_CONTEXT_EXPIRED',
    );
    expect(
      (await errorOf(verifyJwt(token, { ...opts, now: at(300), clockTolerance: 0 }))).code,
    ).toBe('ERR_CONTEXT_EXPIRED');
    await expect(
      verifyJwt(token, { ...opts, now: at(359), clockTolerance: 60 }),
    ).resolves.toMatchObject({ sub: 'a' });
  });

  it('refuses another audience, another key and an altered payload', async () => {
    const token = await signJwt({ sub: 'alice' }, { ...opts, ttlSeconds: 300 });
    expect(
      (await errorOf(verifyJwt(token, { ...opts, audience: 'https://other' }))).message,
    ).toMatch(/claim check failed \(aud/);
    const wrongKey = await errorOf(
      verifyJwt(token, { ...opts, secret: 'another-key-0123456789abcdef' }),
    );
    expect(wrongKey.code).toBe('ERR_CONTEXT_INVALID');
    expect(wrongKey.message).toMatch(/signature does not verify/);
    const [h, , s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'mallory', aud: page, exp })).toString(
      'base64url',
    );
    expect((await errorOf(verifyJwt(`${h}.${forged}.${s}`, opts))).message).toMatch(
      /signature does not verify/,
    );
  });

  it('refuses alg none', async () => {
    const none = new UnsecuredJWT({ sub: 'alice' })
      .setAudience(page)
      .setExpirationTime(exp)
      .encode();
    const err = await errorOf(verifyJwt(none, opts));
    expect(err.code).toBe('ERR_CONTEXT_INVALID');
  });

  it.each(['HS384', 'HS512'])(
    'refuses %s even with the right key (algorithm pinned to HS256)',
    async (alg) => {
      const token = await new SignJWT({ sub: 'alice' })
        .setProtectedHeader({ alg })
        .setAudience(page)
        .setExpirationTime(exp)
        .sign(Buffer.from(secret));
      const err = await errorOf(verifyJwt(token, opts));
      expect(err.code).toBe('ERR_CONTEXT_INVALID');
      expect(err.message).toMatch(/algorithm not allowed/);
    },
  );

  it('requires exp and sub by default, and any claims asked for', async () => {
    const noExp = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(page)
      .sign(Buffer.from(secret));
    expect((await errorOf(verifyJwt(noExp, opts))).message).toMatch(
      /claim check failed \(exp: missing\)/,
    );
    const noState = await signJwt({ sub: 'alice' }, { ...opts, ttlSeconds: 60 });
    expect(
      (await errorOf(verifyJwt(noState, { ...opts, requiredClaims: ['exp', 'state'] }))).message,
    ).toMatch(/claim check failed \(state: missing\)/);
  });

  it.each([
    ['garbage', 'not.a.jwt'],
    ['empty', ''],
    ['too long', 'a'.repeat(9000)],
  ])('reports %s as ERR_CONTEXT_INVALID', async (_why, token) => {
    expect((await errorOf(verifyJwt(token, opts))).code).toBe('ERR_CONTEXT_INVALID');
  });

  it('rejects keys shorter than 16 bytes and bad options with TypeError/RangeError', async () => {
    await expect(
      signJwt({ sub: 'a' }, { ...opts, secret: 'short', ttlSeconds: 60 }),
    ).rejects.toThrow(TypeError);
    await expect(verifyJwt('x.y.z', { ...opts, secret: 'short' })).rejects.toThrow(TypeError);
    await expect(signJwt({ sub: 'a' }, { ...opts, ttlSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(verifyJwt('x.y.z', { ...opts, clockTolerance: -1 })).rejects.toThrow(RangeError);
    await expect(verifyJwt('x.y.z', { ...opts, now: 'now' as never })).rejects.toThrow(TypeError);
  });

  it('never puts the key into an error', async () => {
    const token = await signJwt({ sub: 'a' }, { ...opts, ttlSeconds: 60 });
    const err = await errorOf(
      verifyJwt(token, { ...opts, secret: 'another-key-0123456789abcdef' }),
    );
    expect(`${err.message} ${String((err.cause as Error).message)}`).not.toMatch(
      /0123456789abcdef/,
    );
  });
});
