import { describe, expect, it } from '@jest/globals';
import { RFC4226_SECRET, RFC4226_VECTORS, RFC6238_SECRETS, RFC6238_VECTORS } from '@securemfa/testkit';
import { CryptoError } from '../errors.js';
import {
  currentStep,
  decodeSecret,
  generateSecret,
  generateTotp,
  stepEnd,
  verifyTotp,
} from './otp.js';

describe('RFC 6238 Appendix B - test vectors (8 digits, 30 s step)', () => {
  it.each(RFC6238_VECTORS.map((v) => [v.algorithm, v.time, v.t, v.totp] as const))(
    '%s at %i (T=%s) generates %s and verifies at that step',
    (algorithm, time, t, totp) => {
      const secret = RFC6238_SECRETS[algorithm];
      expect(currentStep(time, 30)).toBe(parseInt(t, 16));
      expect(generateTotp({ secret, epoch: time, digits: 8, algorithm })).toBe(totp);
      expect(verifyTotp({ secret, token: totp, epoch: time, digits: 8, algorithm })).toEqual({
        valid: true,
        step: parseInt(t, 16),
        delta: 0,
      });
    },
  );
});

describe('RFC 4226 Appendix D - HOTP values through the TOTP path', () => {
  it.each(RFC4226_VECTORS.map((v) => [v.counter, v.hotp] as const))('counter %i → %s', (counter, hotp) => {
    // TOTP with step X at epoch C·X is HOTP(K, C).
    expect(generateTotp({ secret: RFC4226_SECRET, epoch: counter * 30 })).toBe(hotp);
  });
});

describe('verifyTotp window and reuse guard', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const t0 = 1_700_000_010; // inside step 56666667
  const step = currentStep(t0);
  const codeAt = (s: number): string => generateTotp({ secret, epoch: s * 30 });

  it('accepts the previous, current and next step and says which one matched', () => {
    for (const delta of [-1, 0, 1]) {
      expect(verifyTotp({ secret, token: codeAt(step + delta), epoch: t0 })).toEqual({
        valid: true,
        step: step + delta,
        delta,
      });
    }
  });

  it('rejects codes two steps away (mismatch)', () => {
    for (const delta of [-2, 2]) {
      expect(verifyTotp({ secret, token: codeAt(step + delta), epoch: t0 })).toEqual({
        valid: false,
        reason: 'mismatch',
      });
    }
  });

  it('widens and narrows with the window option', () => {
    expect(verifyTotp({ secret, token: codeAt(step + 2), epoch: t0, window: 2 }).valid).toBe(true);
    expect(verifyTotp({ secret, token: codeAt(step + 1), epoch: t0, window: 0 })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('reports a code of an already-accepted step as reused, not as a mismatch', () => {
    expect(verifyTotp({ secret, token: codeAt(step), epoch: t0, afterStep: step })).toEqual({
      valid: false,
      reason: 'reused',
    });
    expect(verifyTotp({ secret, token: codeAt(step - 1), epoch: t0, afterStep: step })).toEqual({
      valid: false,
      reason: 'reused',
    });
    expect(verifyTotp({ secret, token: codeAt(step + 1), epoch: t0, afterStep: step })).toMatchObject({
      valid: true,
      step: step + 1,
    });
  });

  it('treats a laststep ahead of the whole window (farm node with a fast clock) as reused, never throws', () => {
    expect(verifyTotp({ secret, token: codeAt(step), epoch: t0, afterStep: step + 5 })).toEqual({
      valid: false,
      reason: 'reused',
    });
  });

  it('uses the configured step size (totp_validity_seconds)', () => {
    const hour = 3600;
    const token = generateTotp({ secret, epoch: t0, step: hour });
    expect(verifyTotp({ secret, token, epoch: t0 + 1800, step: hour })).toMatchObject({ valid: true, delta: 0 });
    expect(verifyTotp({ secret, token, epoch: t0 + 2 * hour + 1, step: hour }).valid).toBe(false);
    expect(stepEnd(currentStep(t0, hour), hour).getTime()).toBe((Math.floor(t0 / hour) + 1) * hour * 1000);
  });

  it.each([['12345'], ['1234567'], ['12a456'], [''], [' 123456'], ['１２３４５６']])(
    'reports %j as malformed for 6 digits',
    (token) => {
      expect(verifyTotp({ secret, token, epoch: t0 })).toEqual({ valid: false, reason: 'malformed' });
    },
  );

  it('supports 7 and 8 digit codes', () => {
    for (const digits of [7, 8]) {
      const token = generateTotp({ secret, epoch: t0, digits });
      expect(token).toHaveLength(digits);
      expect(verifyTotp({ secret, token, epoch: t0, digits }).valid).toBe(true);
    }
  });
});

describe('secrets', () => {
  it('new secrets are 20 random bytes in base32', () => {
    const a = generateSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(decodeSecret(a)).toHaveLength(20);
    expect(generateSecret()).not.toBe(a);
  });

  it('accepts the classic 10-byte secrets carried over from the originals', () => {
    const classic = 'JBSWY3DPEHPK3PXP';
    expect(decodeSecret(classic)).toHaveLength(10);
    const token = generateTotp({ secret: classic, epoch: 59 });
    expect(verifyTotp({ secret: classic, token, epoch: 59 }).valid).toBe(true);
  });

  it('ignores case, spaces and padding in stored secrets', () => {
    expect(decodeSecret('jbsw y3dp ehpk 3pxp')).toEqual(decodeSecret('JBSWY3DPEHPK3PXP'));
  });

  it.each(['JBSWY3DP', 'not base32!', 'A'.repeat(200), '11111111111111111'])(
    'rejects the unusable secret %j with ERR_CRYPTO_FORMAT',
    (secret) => {
      expect(() => verifyTotp({ secret, token: '123456' })).toThrow(CryptoError);
      try {
        verifyTotp({ secret, token: '123456' });
      } catch (err) {
        expect(err).toMatchObject({ code: 'ERR_CRYPTO_FORMAT' });
      }
    },
  );

  it('rejects bad parameters with a RangeError naming them', () => {
    const secret = generateSecret();
    expect(() => verifyTotp({ secret, token: '123456', digits: 5 })).toThrow(/"digits" must be 6, 7 or 8/);
    expect(() => verifyTotp({ secret, token: '123456', step: 0 })).toThrow(/"step"/);
    expect(() => verifyTotp({ secret, token: '123456', window: 11 })).toThrow(/"window"/);
    expect(() => generateSecret(4)).toThrow(/"bytes"/);
  });
});
