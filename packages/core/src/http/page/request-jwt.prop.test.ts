// Property tests of the hosted page's request and response JWTs (issue 9, "bad input"): any
// token string, any correctly signed token with claims of any type, any change to a valid
// token, any key or algorithm other than the page's → a ContextError the host answers with 400
// and a reason, never another error (a 500) and never an accepted request that breaks a rule
// (return_to absolute http(s) without credentials or fragment, sub and state printable and
// bounded, exp short). Responses round-trip, and any change to one is refused.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { AUTH_METHOD_CLAIM, OTP_AUTH_METHOD } from '../../adapter/adapter.js';
import { ContextError } from '../../errors.js';
import { describeError } from '../error-handler.js';
import {
  MAX_RETURN_TO_LENGTH,
  MAX_STATE_LENGTH,
  MAX_UPN_LENGTH,
  parseReturnTo,
  signPageResponse,
  verifyPageRequest,
  verifyPageResponse,
} from './request-jwt.js';

const RUNS = 200;
const SECRET = 'page-secret-of-the-property-tests-0123456789';
const AUDIENCE = 'https://mfa.adatum.test/mfa';
/** 2023-11-14T22:13:20Z */
const NOW = new Date(1_700_000_000_000);
const NOW_S = NOW.getTime() / 1000;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Sign any header and payload with HS256 by hand (jose refuses some of these shapes). */
function handSigned(header: object, payload: unknown, secret = SECRET): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const sig = createHmac('sha256', secret).update(input).digest('base64url');
  return `${input}.${sig}`;
}

/** A refusal as the host shows it: ContextError → 400 with error and a description. */
async function expectRefused(promise: Promise<unknown>): Promise<ContextError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ContextError);
  const shown = describeError(caught);
  expect(shown.status).toBe(400);
  expect(shown.body.error).toBe('invalid_request');
  expect((shown.body.error_description ?? '').length).toBeGreaterThan(5);
  return caught as ContextError;
}

/** A request the page must accept, then check every rule on what it returned. */
function expectLawful(req: Awaited<ReturnType<typeof verifyPageRequest>>): void {
  expect(['https:', 'http:']).toContain(req.returnTo.protocol);
  expect(req.returnTo.hostname).not.toBe('');
  expect(req.returnTo.username + req.returnTo.password + req.returnTo.hash).toBe('');
  expect(req.upn.length).toBeGreaterThan(0);
  expect(req.upn.length).toBeLessThanOrEqual(MAX_UPN_LENGTH);
  expect(CONTROL.test(req.upn)).toBe(false);
  expect(req.state.length).toBeGreaterThan(0);
  expect(req.state.length).toBeLessThanOrEqual(MAX_STATE_LENGTH);
  expect(CONTROL.test(req.state)).toBe(false);
  expect(req.expiresAt.getTime()).toBeGreaterThan(NOW.getTime() - 31_000);
}

const verify = (token: unknown) =>
  verifyPageRequest(token, { secret: SECRET, audience: AUDIENCE, now: NOW });

const anyClaim = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    'javascript:alert(1)',
    'data:text/html,x',
    'https://app.test/cb#frag',
    'https://u:p@app.test/cb',
    '//app.test/cb',
    'https://app.test/cb',
    'http://127.0.0.1:1/x',
    'alice@adatum.test',
    'a\u0000b',
    'x'.repeat(MAX_STATE_LENGTH + 1),
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
);

const validClaims = fc.record({
  sub: fc
    .string({ minLength: 1, maxLength: 60 })
    .filter((s) => s.trim() !== '' && !CONTROL.test(s)),
  return_to: fc.webUrl({ withQueryParameters: true }).filter((u) => !u.includes('#')),
  state: fc.string({ minLength: 1, maxLength: 80 }).filter((s) => !CONTROL.test(s)),
});

async function signedRequest(claims: Record<string, unknown>, ttl = 300): Promise<string> {
  return new SignJWT(claims as never)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(NOW_S)
    .setExpirationTime(NOW_S + ttl)
    .setAudience(AUDIENCE)
    .sign(Buffer.from(SECRET));
}

describe('verifyPageRequest: any token', () => {
  it('any string (random, three random base64url segments, JSON halves) is refused with 400 and a reason', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc
            .tuple(fc.base64String(), fc.base64String(), fc.base64String())
            .map((parts) => parts.join('.')),
          fc
            .tuple(fc.json({ maxDepth: 2 }), fc.json({ maxDepth: 2 }), fc.base64String())
            .map(
              ([h, p, s]) =>
                `${Buffer.from(h).toString('base64url')}.${Buffer.from(p).toString('base64url')}.${s}`,
            ),
          fc.constant('x'.repeat(10_000)),
        ),
        async (token) => {
          await expectRefused(verify(token));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a non-string request (number, object, array, undefined) is refused the same way', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyClaim.filter((v) => typeof v !== 'string'),
        async (token) => {
          await expectRefused(verify(token));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a correctly signed token with claims of any type is either refused (400) or lawful', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            sub: anyClaim,
            return_to: anyClaim,
            state: anyClaim,
            lang: anyClaim,
            exp: fc.oneof(anyClaim, fc.integer({ min: NOW_S - 100, max: NOW_S + 5000 })),
            aud: fc.oneof(anyClaim, fc.constant(AUDIENCE)),
            nbf: anyClaim,
          },
          { requiredKeys: [] },
        ),
        async (claims) => {
          const token = handSigned({ alg: 'HS256', typ: 'JWT' }, claims);
          let accepted: Awaited<ReturnType<typeof verifyPageRequest>> | undefined;
          try {
            accepted = await verify(token);
          } catch {
            await expectRefused(verify(token));
            return;
          }
          expectLawful(accepted);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a valid request verifies; any changed character of it is refused', async () => {
    await fc.assert(
      fc.asyncProperty(validClaims, fc.nat(), fc.nat(), async (claims, at, by) => {
        const token = await signedRequest(claims);
        const ok = await verify(token);
        expectLawful(ok);
        expect(ok.state).toBe(claims.state);
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
        const i = at % token.length;
        const replacement =
          alphabet[(alphabet.indexOf(token[i]!) + 1 + (by % 60)) % alphabet.length]!;
        const changed = token.slice(0, i) + replacement + token.slice(i + 1);
        fc.pre(changed !== token);
        // A change in the last character of the signature may only touch its unused bits.
        const sigStart = token.lastIndexOf('.') + 1;
        fc.pre(i !== token.length - 1 || i < sigStart);
        await expectRefused(verify(changed));
      }),
      { numRuns: RUNS },
    );
  });

  it('another key, alg none, HS384/HS512, or a long-lived exp is refused even with valid claims', async () => {
    await fc.assert(
      fc.asyncProperty(
        validClaims,
        fc.constantFrom('key', 'none', 'HS384', 'HS512', 'ttl'),
        async (claims, how) => {
          const full = { ...claims, aud: AUDIENCE, iat: NOW_S, exp: NOW_S + 300 };
          let token: string;
          if (how === 'key') token = handSigned({ alg: 'HS256' }, full, `${SECRET}-other`);
          else if (how === 'none') token = `${b64url({ alg: 'none' })}.${b64url(full)}.`;
          else if (how === 'ttl') token = await signedRequest(claims, 86_400);
          else {
            token = await new SignJWT(full)
              .setProtectedHeader({ alg: how })
              .sign(Buffer.from(SECRET));
          }
          await expectRefused(verify(token));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('parseReturnTo: any value', () => {
  it('returns an absolute http(s) URL with a host, no credentials, no fragment — or refuses', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.webUrl({ withFragments: true, withQueryParameters: true }),
          fc.string({ maxLength: 80 }),
          fc.constantFrom(
            'javascript:alert(1)',
            'JAVASCRIPT:alert(1)',
            ' https://a.test/',
            'https://a.test/\n',
            'file:///etc/passwd',
            'https:/a.test',
            'https://a.test/' + 'x'.repeat(MAX_RETURN_TO_LENGTH),
          ),
        ),
        (value) => {
          let url: URL;
          try {
            url = parseReturnTo(value);
          } catch (err) {
            expect(err).toBeInstanceOf(ContextError);
            expect((err as ContextError).message).toMatch(/"return_to"/);
            return;
          }
          expect(['https:', 'http:']).toContain(url.protocol);
          expect(url.hostname).not.toBe('');
          expect(url.hash + url.username + url.password).toBe('');
          expect(value.length).toBeLessThanOrEqual(MAX_RETURN_TO_LENGTH);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});

describe('response JWT', () => {
  const issuer = AUDIENCE;

  it('sign ∘ verify returns the request’s upn and state with amr otp and the OTP method; another state, audience or key is refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        validClaims,
        fc.string({ minLength: 1, maxLength: 20 }),
        async (c, other) => {
          const returnTo = new URL(c.return_to);
          const jwt = await signPageResponse(
            { upn: c.sub.trim(), returnTo, state: c.state },
            { secret: SECRET, now: NOW, issuer },
          );
          const opts = { secret: SECRET, now: NOW, audience: returnTo.origin, issuer };
          const ok = await verifyPageResponse(jwt, { ...opts, expectedState: c.state });
          expect(ok).toMatchObject({
            upn: c.sub.trim(),
            state: c.state,
            amr: ['otp'],
            authenticationMethod: OTP_AUTH_METHOD,
          });
          fc.pre(other !== c.state);
          await expectRefused(verifyPageResponse(jwt, { ...opts, expectedState: other }));
          await expectRefused(verifyPageResponse(jwt, { ...opts, audience: 'https://evil.test' }));
          await expectRefused(
            verifyPageResponse(jwt, { ...opts, secret: `${SECRET}-other`, expectedState: c.state }),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a response with claims of any type is refused unless it carries sub, state, amr otp and the OTP method', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            sub: anyClaim,
            state: anyClaim,
            amr: fc.oneof(anyClaim, fc.constant(['otp'])),
            [AUTH_METHOD_CLAIM]: fc.oneof(anyClaim, fc.constant(OTP_AUTH_METHOD)),
          },
          { requiredKeys: [] },
        ),
        async (claims) => {
          const token = handSigned(
            { alg: 'HS256' },
            { ...claims, aud: 'https://app.test', iss: issuer, iat: NOW_S, exp: NOW_S + 60 },
          );
          const opts = { secret: SECRET, now: NOW, audience: 'https://app.test', issuer };
          let res: Awaited<ReturnType<typeof verifyPageResponse>>;
          try {
            res = await verifyPageResponse(token, opts);
          } catch {
            await expectRefused(verifyPageResponse(token, opts));
            return;
          }
          expect(typeof res.upn).toBe('string');
          expect(res.upn).not.toBe('');
          expect(typeof res.state).toBe('string');
          expect(res.amr).toContain('otp');
          expect(res.authenticationMethod).toBe(OTP_AUTH_METHOD);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
