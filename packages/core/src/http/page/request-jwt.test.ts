import { describe, expect, it } from '@jest/globals';
import { SignJWT, UnsecuredJWT, decodeJwt } from 'jose';
import { AUTH_METHOD_CLAIM, OTP_AUTH_METHOD } from '../../adapter/adapter.js';
import { signJwt } from '../../crypto/page-jwt.js';
import {
  parseReturnTo,
  responseLocation,
  signPageResponse,
  verifyPageRequest,
  verifyPageResponse,
} from './request-jwt.js';

const secret = 'page-test-adapter-api-key-0123456789';
const audience = 'https://mfa.example.test/mfa';
const t0 = new Date('2026-03-14T13:07:00Z');
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
const claims = {
  sub: 'alice@example.test',
  return_to: 'https://app.example.test/callback?x=1',
  state: 'st-123',
};

const sign = (c: Record<string, unknown> = claims, ttl = 300, aud = audience, now = t0) =>
  signJwt(c, { secret, now, ttlSeconds: ttl, audience: aud });
const verify = (token: unknown, now = t0, extra: Record<string, unknown> = {}) =>
  verifyPageRequest(token, { secret, audience, now, ...extra });

describe('verifyPageRequest', () => {
  it('returns upn, return_to, state and exp of a good request', async () => {
    const req = await verify(await sign({ ...claims, lang: 'de' }));
    expect(req.upn).toBe('alice@example.test');
    expect(req.returnTo.href).toBe('https://app.example.test/callback?x=1');
    expect(req.state).toBe('st-123');
    expect(req.lang).toBe('de');
    expect(req.expiresAt.getTime()).toBe((epoch(t0) + 300) * 1000);
  });

  it('refuses an expired request with ERR_CONTEXT_EXPIRED', async () => {
    const token = await sign(claims, 60);
    await expect(verify(token, new Date(t0.getTime() + 120_000))).rejects.toMatchObject({
      code: 'ERR_CONTEXT_EXPIRED',
    });
  });

  it('accepts an expired request within an explicit grace (form posts)', async () => {
    const token = await sign(claims, 60);
    const req = await verify(token, new Date(t0.getTime() + 120_000), { clockTolerance: 600 });
    expect(req.upn).toBe('alice@example.test');
  });

  it('refuses another audience', async () => {
    await expect(
      verify(await sign(claims, 300, 'https://other.example/mfa')),
    ).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
      message: expect.stringContaining('aud'),
    });
  });

  it('refuses alg none (unsigned)', async () => {
    const token = new UnsecuredJWT({ ...claims, aud: audience })
      .setExpirationTime(epoch(t0) + 300)
      .setIssuedAt(epoch(t0))
      .encode();
    await expect(verify(token)).rejects.toMatchObject({ code: 'ERR_CONTEXT_INVALID' });
  });

  it('refuses a token with the signature cut off', async () => {
    const token = await sign();
    const [h, p] = token.split('.');
    await expect(verify(`${h}.${p}.`)).rejects.toMatchObject({ code: 'ERR_CONTEXT_INVALID' });
    await expect(verify(`${h}.${p}`)).rejects.toMatchObject({ code: 'ERR_CONTEXT_INVALID' });
  });

  it('refuses HS512 with the right key (algorithm pinned to HS256)', async () => {
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS512' })
      .setAudience(audience)
      .setIssuedAt(epoch(t0))
      .setExpirationTime(epoch(t0) + 300)
      .sign(Buffer.from(secret));
    await expect(verify(token)).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
      message: expect.stringContaining('algorithm'),
    });
  });

  it('refuses a token signed with another key', async () => {
    const token = await signJwt(claims, {
      secret: 'another-key-of-sufficient-length-000',
      now: t0,
      ttlSeconds: 300,
      audience,
    });
    await expect(verify(token)).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
      message: expect.stringContaining('signature'),
    });
  });

  it('refuses a token whose payload was altered', async () => {
    const [h, , s] = (await sign()).split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...claims, sub: 'admin@example.test', aud: audience, exp: epoch(t0) + 300 }),
    ).toString('base64url');
    await expect(verify(`${h}.${forged}.${s}`)).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
    });
  });

  it('refuses a request without exp', async () => {
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(audience)
      .sign(Buffer.from(secret));
    await expect(verify(token)).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
      message: expect.stringContaining('exp'),
    });
  });

  it('refuses a long-lived request even when signed', async () => {
    await expect(verify(await sign(claims, 86_400))).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
      message: expect.stringContaining('short-lived'),
    });
  });

  it.each([
    ['sub missing', { return_to: claims.return_to, state: 's' }, 'sub'],
    ['sub blank', { ...claims, sub: '   ' }, 'sub'],
    ['sub with a control character', { ...claims, sub: 'a\u0000b@example.test' }, 'sub'],
    ['state missing', { sub: claims.sub, return_to: claims.return_to }, 'state'],
    ['state empty', { ...claims, state: '' }, 'state'],
    ['state too long', { ...claims, state: 'x'.repeat(513) }, 'state'],
    ['state not a string', { ...claims, state: 42 }, 'state'],
    ['return_to missing', { sub: claims.sub, state: 's' }, 'return_to'],
    ['return_to javascript:', { ...claims, return_to: 'javascript:alert(1)' }, 'http or https'],
    [
      'return_to JavaScript: with case',
      { ...claims, return_to: 'JavaScript:alert(1)//https://app' },
      'http or https',
    ],
    [
      'return_to data:',
      { ...claims, return_to: 'data:text/html,<script>alert(1)</script>' },
      'http or https',
    ],
    ['return_to relative', { ...claims, return_to: '/callback' }, 'absolute'],
    ['return_to protocol-relative', { ...claims, return_to: '//evil.example/cb' }, 'absolute'],
    ['return_to ftp', { ...claims, return_to: 'ftp://app.example.test/cb' }, 'http or https'],
    [
      'return_to with credentials',
      { ...claims, return_to: 'https://u:p@app.example.test/cb' },
      'credentials',
    ],
    [
      'return_to with a fragment',
      { ...claims, return_to: 'https://app.example.test/cb#frag' },
      'fragment',
    ],
    [
      'return_to with a leading space',
      { ...claims, return_to: ' https://app.example.test/cb' },
      'control',
    ],
    [
      'return_to with a newline',
      { ...claims, return_to: 'https://app.example.test/c\nb' },
      'control',
    ],
  ])('refuses a request with %s', async (_name, c, fragment) => {
    await expect(verify(await sign(c as Record<string, unknown>))).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
      message: expect.stringContaining(fragment),
    });
  });

  it('refuses a missing or non-string token', async () => {
    await expect(verify(undefined)).rejects.toMatchObject({ code: 'ERR_CONTEXT_INVALID' });
    await expect(verify(['a', 'b'])).rejects.toMatchObject({ code: 'ERR_CONTEXT_INVALID' });
    await expect(verify('not.a.jwt')).rejects.toMatchObject({ code: 'ERR_CONTEXT_INVALID' });
  });

  it('enforces the return_to origin allow-list when given', async () => {
    const token = await sign();
    await expect(
      verify(token, t0, { allowedReturnOrigins: ['https://other.example'] }),
    ).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
      message: expect.stringContaining('allowed origin'),
    });
    const ok = await verify(token, t0, { allowedReturnOrigins: ['https://app.example.test'] });
    expect(ok.returnTo.origin).toBe('https://app.example.test');
  });
});

describe('parseReturnTo', () => {
  it('accepts http on loopback and keeps the query', () => {
    expect(parseReturnTo('http://127.0.0.1:8080/done?a=b%20c').href).toBe(
      'http://127.0.0.1:8080/done?a=b%20c',
    );
  });
});

describe('response JWT', () => {
  const req = {
    upn: 'Alice@Example.test',
    returnTo: new URL('https://app.example.test/cb?x=1&y=a%20b'),
    state: 'st-9',
  };

  it('carries sub, aud = return_to origin, iss, iat, exp, amr otp, the AD FS claim and state', async () => {
    const jwt = await signPageResponse(req, { secret, now: t0, issuer: audience, ttlSeconds: 120 });
    const c = decodeJwt(jwt);
    expect(c).toMatchObject({
      sub: 'Alice@Example.test',
      aud: 'https://app.example.test',
      iss: audience,
      iat: epoch(t0),
      exp: epoch(t0) + 120,
      amr: ['otp'],
      state: 'st-9',
      [AUTH_METHOD_CLAIM]: OTP_AUTH_METHOD,
    });
    expect(typeof c.jti).toBe('string');
  });

  it('verifies as a relying app would, including the state', async () => {
    const jwt = await signPageResponse(req, { secret, now: t0, issuer: audience });
    const res = await verifyPageResponse(jwt, {
      secret,
      now: t0,
      audience: 'https://app.example.test',
      issuer: audience,
      expectedState: 'st-9',
    });
    expect(res).toMatchObject({
      upn: 'Alice@Example.test',
      state: 'st-9',
      amr: ['otp'],
      authenticationMethod: OTP_AUTH_METHOD,
    });
    await expect(
      verifyPageResponse(jwt, {
        secret,
        now: t0,
        audience: 'https://app.example.test',
        issuer: audience,
        expectedState: 'other',
      }),
    ).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
      message: expect.stringContaining('state'),
    });
    await expect(
      verifyPageResponse(jwt, {
        secret,
        now: t0,
        audience: 'https://evil.example',
        issuer: audience,
      }),
    ).rejects.toMatchObject({ code: 'ERR_CONTEXT_INVALID' });
  });

  it('is not accepted after its lifetime', async () => {
    const jwt = await signPageResponse(req, { secret, now: t0, issuer: audience, ttlSeconds: 60 });
    await expect(
      verifyPageResponse(jwt, {
        secret,
        now: new Date(t0.getTime() + 10 * 60_000),
        audience: 'https://app.example.test',
        issuer: audience,
      }),
    ).rejects.toMatchObject({ code: 'ERR_CONTEXT_EXPIRED' });
  });

  it('a request JWT does not pass as a response (no amr, other aud)', async () => {
    const token = await sign();
    await expect(
      verifyPageResponse(token, { secret, now: t0, audience, issuer: audience }),
    ).rejects.toMatchObject({ code: 'ERR_CONTEXT_INVALID' });
  });

  it('appends response= to return_to and keeps its own query byte for byte', () => {
    expect(responseLocation(new URL('https://app.example.test/cb?x=1&y=a%20b'), 'h.p.s')).toBe(
      'https://app.example.test/cb?x=1&y=a%20b&response=h.p.s',
    );
    expect(responseLocation(new URL('https://app.example.test/cb'), 'h.p.s')).toBe(
      'https://app.example.test/cb?response=h.p.s',
    );
    expect(responseLocation(new URL('https://app.example.test/cb?'), 'h.p.s')).toBe(
      'https://app.example.test/cb?response=h.p.s',
    );
  });
});
