import { describe, expect, it } from '@jest/globals';
import { signJwt } from '../../crypto/page-jwt.js';
import { openPageState, PAGE_STATE_TTL_SECONDS, sealPageState } from './page-state.js';

const options = {
  secret: 'page-state-test-key-0123456789abcdef',
  audience: 'https://mfa.example/mfa',
  now: new Date('2026-03-14T13:07:00Z'),
};
const binding = { request: 'request.jwt.value', context: 'sealed.context.value.x.y' };

describe('page state', () => {
  it('round-trips status, destination, validUntil and sentAt', async () => {
    const token = await sealPageState(
      {
        status: 'code_sent',
        destination: 'j***@example.com',
        validUntil: '2026-03-14T13:07:30.000Z',
        sentAt: 1_773_493_620_000,
      },
      binding,
      options,
    );
    await expect(openPageState(token, binding, options)).resolves.toEqual({
      status: 'code_sent',
      destination: 'j***@example.com',
      validUntil: '2026-03-14T13:07:30.000Z',
      sentAt: 1_773_493_620_000,
    });
  });

  it('is bound to its request and context', async () => {
    const token = await sealPageState({ status: 'enter_code' }, binding, options);
    await expect(
      openPageState(token, { ...binding, context: 'another.context' }, options),
    ).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
      message: expect.stringContaining('another request'),
    });
    await expect(
      openPageState(token, { ...binding, request: 'another.request' }, options),
    ).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
    });
  });

  it('cannot be altered, forged with another key, or replaced by a request JWT', async () => {
    const token = await sealPageState({ status: 'enter_code' }, binding, options);
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const altered = Buffer.from(JSON.stringify({ ...payload, st: 'code_sent' })).toString(
      'base64url',
    );
    await expect(openPageState(`${h}.${altered}.${s}`, binding, options)).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
    });
    const forged = await sealPageState({ status: 'enter_code' }, binding, {
      ...options,
      secret: 'other-secret-of-enough-length-000',
    });
    await expect(openPageState(forged, binding, options)).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
    });
    const request = await signJwt(
      { sub: 'a', st: 'enter_code' },
      { secret: options.secret, now: options.now, ttlSeconds: 60, audience: options.audience },
    );
    await expect(openPageState(request, binding, options)).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
    });
  });

  it('expires', async () => {
    const token = await sealPageState({ status: 'enter_code' }, binding, options);
    const later = new Date(options.now.getTime() + (PAGE_STATE_TTL_SECONDS + 1) * 1000);
    await expect(openPageState(token, binding, { ...options, now: later })).rejects.toMatchObject({
      code: 'ERR_CONTEXT_EXPIRED',
    });
  });

  it('refuses a missing token', async () => {
    await expect(openPageState(undefined, binding, options)).rejects.toMatchObject({
      code: 'ERR_CONTEXT_INVALID',
    });
  });
});
