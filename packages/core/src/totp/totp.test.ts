import { describe, expect, it } from '@jest/globals';
// The vectors' single source (tools/testkit/src/vectors), through the package's exports: a
// relative import of tools/ would put files outside core's rootDir into its tsc program (TS6059).
import {
  RFC4226_SECRET,
  RFC4226_VECTORS,
  RFC6238_DIGITS,
  RFC6238_SECRETS,
  RFC6238_STEP_SECONDS,
  RFC6238_VECTORS,
} from '@securemfa/testkit';
import { CryptoError } from '../errors.js';
import {
  currentStep,
  generateTotp,
  stepWindowEnd,
  verifyTotp,
  type TotpAlgorithm,
  type TotpDigits,
} from './totp.js';

describe('RFC 6238 Appendix B - test vectors (X = 30 s, 8 digits)', () => {
  it.each(RFC6238_VECTORS.map((v) => [v.algorithm, v.time, v.t, v.totp, v.step, v.utc] as const))(
    '%s at %i (T = %s) is %s',
    (algorithm, time, t, totp, step, utc) => {
      const secret = RFC6238_SECRETS[algorithm];
      expect(new Date(time * 1000).toISOString().replace('T', ' ').slice(0, 19)).toBe(utc);
      expect(currentStep(time, RFC6238_STEP_SECONDS)).toBe(step);
      expect(step).toBe(parseInt(t, 16));
      expect(generateTotp({ secret, epoch: time, digits: RFC6238_DIGITS, algorithm })).toBe(totp);
      expect(
        verifyTotp({ secret, token: totp, epoch: time, digits: RFC6238_DIGITS, algorithm }),
      ).toEqual({
        valid: true,
        step,
        delta: 0,
      });
    },
  );

  it('rejects each vector under another algorithm (the algorithm really changes the code)', () => {
    const v = RFC6238_VECTORS.find((x) => x.algorithm === 'SHA256' && x.time === 59);
    expect(v?.totp).toBe('46119246');
    expect(
      verifyTotp({
        secret: RFC6238_SECRETS.SHA256,
        token: '46119246',
        epoch: 59,
        digits: 8,
        algorithm: 'SHA512',
      }),
    ).toEqual({ valid: false, reason: 'mismatch' });
  });
});

describe('RFC 4226 Appendix D - HOTP values through the TOTP path', () => {
  // TOTP with step X at epoch C·X is HOTP(K, C): the same plugin, truncation and padding.
  it.each(RFC4226_VECTORS.map((v) => [v.counter, v.hotp] as const))(
    'counter %i gives %s and verifies as step %i',
    (counter, hotp) => {
      expect(generateTotp({ secret: RFC4226_SECRET, epoch: counter * 30 })).toBe(hotp);
      expect(generateTotp({ secret: RFC4226_SECRET, epoch: counter * 60 + 59, step: 60 })).toBe(
        hotp,
      );
      expect(verifyTotp({ secret: RFC4226_SECRET, token: hotp, epoch: counter * 30 + 29 })).toEqual(
        { valid: true, step: counter, delta: 0 },
      );
    },
  );
});

describe('verifyTotp window (RFC 6238 §5.2)', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const t0 = 1_700_000_010; // 10 s into step 56666667
  const now = currentStep(t0);
  const codeAt = (s: number, step = 30): string => generateTotp({ secret, epoch: s * step, step });

  it('names the step t0 falls in', () => {
    expect(now).toBe(56_666_667);
  });

  it.each([-1, 0, 1])('accepts the code of step now%+d and returns that step and delta', (d) => {
    expect(verifyTotp({ secret, token: codeAt(now + d), epoch: t0 })).toEqual({
      valid: true,
      step: now + d,
      delta: d,
    });
  });

  it.each([-2, 2, -3, 3])('rejects the code of step now%+d as mismatch', (d) => {
    expect(verifyTotp({ secret, token: codeAt(now + d), epoch: t0 })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('accepts at the first and last second of the window and not a second outside it', () => {
    const token = codeAt(now);
    // Step `now` is accepted while the clock is in now-1 … now+1.
    expect(verifyTotp({ secret, token, epoch: (now - 1) * 30 }).valid).toBe(true);
    expect(verifyTotp({ secret, token, epoch: (now + 2) * 30 - 1 }).valid).toBe(true);
    expect(verifyTotp({ secret, token, epoch: (now - 1) * 30 - 1 }).valid).toBe(false);
    expect(verifyTotp({ secret, token, epoch: (now + 2) * 30 }).valid).toBe(false);
  });

  it('widens and narrows with the window option', () => {
    expect(verifyTotp({ secret, token: codeAt(now + 2), epoch: t0, window: 2 })).toEqual({
      valid: true,
      step: now + 2,
      delta: 2,
    });
    expect(verifyTotp({ secret, token: codeAt(now + 1), epoch: t0, window: 0 })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifyTotp({ secret, token: codeAt(now), epoch: t0, window: 0 })).toMatchObject({
      valid: true,
      delta: 0,
    });
  });

  it('verifies near the epoch start, where the window would reach below step 0', () => {
    const token = generateTotp({ secret, epoch: 0 });
    expect(verifyTotp({ secret, token, epoch: 5 })).toEqual({ valid: true, step: 0, delta: 0 });
    expect(verifyTotp({ secret, token, epoch: 31, afterStep: -1 })).toEqual({
      valid: true,
      step: 0,
      delta: -1,
    });
  });

  it('uses the configured step size (totp_validity_seconds = 3600)', () => {
    const hour = 3600;
    const stepNow = currentStep(t0, hour);
    const token = generateTotp({ secret, epoch: t0, step: hour });
    expect(token).toBe(codeAt(stepNow, hour));
    expect(verifyTotp({ secret, token, epoch: t0 + 1800, step: hour })).toEqual({
      valid: true,
      step: stepNow,
      delta: Math.floor((t0 + 1800) / hour) === stepNow ? 0 : -1,
    });
    expect(verifyTotp({ secret, token, epoch: (stepNow + 2) * hour, step: hour })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    // The 30 s code of the same instant is a different code.
    expect(verifyTotp({ secret, token: codeAt(now), epoch: t0, step: hour }).valid).toBe(false);
  });

  it('supports a one-day step (the largest totp_validity_seconds)', () => {
    const token = generateTotp({ secret, epoch: t0, step: 86_400 });
    expect(verifyTotp({ secret, token, epoch: t0 + 86_400, step: 86_400 })).toMatchObject({
      valid: true,
      delta: -1,
    });
  });

  it.each([
    [7, 'SHA1'],
    [8, 'SHA1'],
    [6, 'SHA256'],
    [7, 'SHA512'],
  ] as const)('generates and verifies %i-digit %s codes', (digits, algorithm) => {
    const token = generateTotp({ secret, epoch: t0, digits, algorithm });
    expect(token).toMatch(new RegExp(`^[0-9]{${digits}}$`));
    expect(verifyTotp({ secret, token, epoch: t0, digits, algorithm })).toEqual({
      valid: true,
      step: now,
      delta: 0,
    });
    // The 6-digit SHA1 code is not accepted in place of it.
    if (digits === 6) expect(token).not.toBe(codeAt(now));
  });

  it('keeps leading zeros (RFC 6238 Appendix B "07081804")', () => {
    const token = generateTotp({
      secret: RFC6238_SECRETS.SHA1,
      epoch: 1111111109,
      digits: 8,
    });
    expect(token).toBe('07081804');
  });

  it('uses the current time when no epoch is given', () => {
    const before = Math.floor(Date.now() / 1000);
    const token = generateTotp({ secret });
    const r = verifyTotp({ secret, token });
    expect(r).toMatchObject({ valid: true });
    if (r.valid) {
      expect(r.step).toBeGreaterThanOrEqual(currentStep(before));
      expect(r.step).toBeLessThanOrEqual(currentStep(before) + 1);
    }
  });
});

describe('verifyTotp reuse guard (afterStep = laststep)', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const t0 = 1_234_567_890;
  const now = currentStep(t0);
  const codeAt = (s: number): string => generateTotp({ secret, epoch: s * 30 });

  it('reports the code of the already-accepted step as reused, not mismatch', () => {
    expect(verifyTotp({ secret, token: codeAt(now), epoch: t0, afterStep: now })).toEqual({
      valid: false,
      reason: 'reused',
    });
  });

  it('reports a code of a step before laststep (inside the window) as reused', () => {
    expect(verifyTotp({ secret, token: codeAt(now - 1), epoch: t0, afterStep: now })).toEqual({
      valid: false,
      reason: 'reused',
    });
  });

  it('still accepts the next step after laststep', () => {
    expect(verifyTotp({ secret, token: codeAt(now + 1), epoch: t0, afterStep: now })).toEqual({
      valid: true,
      step: now + 1,
      delta: 1,
    });
    expect(verifyTotp({ secret, token: codeAt(now), epoch: t0, afterStep: now - 1 })).toEqual({
      valid: true,
      step: now,
      delta: 0,
    });
  });

  it('accepts the same step again with totp_allow_reuse (caller passes laststep - 1)', () => {
    const laststep = now;
    expect(verifyTotp({ secret, token: codeAt(now), epoch: t0, afterStep: laststep - 1 })).toEqual({
      valid: true,
      step: now,
      delta: 0,
    });
  });

  it('reports a wrong code as mismatch even when laststep is inside the window', () => {
    const wrong = codeAt(now + 5);
    expect(verifyTotp({ secret, token: wrong, epoch: t0, afterStep: now })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('ignores a laststep far in the past and a negative one (no step accepted yet)', () => {
    for (const afterStep of [0, -1, now - 100]) {
      expect(verifyTotp({ secret, token: codeAt(now), epoch: t0, afterStep })).toEqual({
        valid: true,
        step: now,
        delta: 0,
      });
    }
  });

  it('returns reused, never throws, when laststep is ahead of the whole window (farm clock skew)', () => {
    // otplib throws AfterTimeStepRangeExceededError for afterTimeStep > current + window.
    for (const afterStep of [now + 1, now + 2, now + 50]) {
      expect(() => verifyTotp({ secret, token: codeAt(now), epoch: t0, afterStep })).not.toThrow();
      expect(verifyTotp({ secret, token: codeAt(now), epoch: t0, afterStep })).toEqual({
        valid: false,
        reason: 'reused',
      });
      expect(verifyTotp({ secret, token: codeAt(now + 1), epoch: t0, afterStep })).toEqual({
        valid: false,
        reason: 'reused',
      });
    }
  });

  it('returns mismatch for a wrong code when laststep is ahead of the whole window', () => {
    expect(verifyTotp({ secret, token: codeAt(now + 9), epoch: t0, afterStep: now + 5 })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('applies the guard with window 0 as well', () => {
    expect(
      verifyTotp({ secret, token: codeAt(now), epoch: t0, window: 0, afterStep: now }),
    ).toEqual({ valid: false, reason: 'reused' });
    expect(
      verifyTotp({ secret, token: codeAt(now), epoch: t0, window: 0, afterStep: now + 3 }),
    ).toEqual({ valid: false, reason: 'reused' });
  });
});

describe('verifyTotp malformed tokens', () => {
  const secret = 'JBSWY3DPEHPK3PXP';
  it.each([
    ['12345', 6],
    ['1234567', 6],
    ['12a456', 6],
    ['', 6],
    [' 123456', 6],
    ['123 456', 6],
    ['-12345', 6],
    ['1e5000', 6],
    ['１２３４５６', 6], // full-width digits
    ['١٢٣٤٥٦', 6], // Arabic-Indic digits
    ['123456', 8],
    ['12345678', 7],
  ] as const)('reports %j as malformed for %i digits', (token, digits) => {
    expect(verifyTotp({ secret, token, digits: digits as TotpDigits, epoch: 59 })).toEqual({
      valid: false,
      reason: 'malformed',
    });
  });

  it('reports a malformed token before looking at the secret (no HMAC, no decode)', () => {
    // An undecodable secret would throw ERR_CRYPTO_FORMAT if it were used.
    expect(verifyTotp({ secret: '!!not base32!!', token: 'abc' })).toEqual({
      valid: false,
      reason: 'malformed',
    });
  });
});

describe('verifyTotp and generateTotp misuse', () => {
  const secret = 'JBSWY3DPEHPK3PXP';

  it.each([
    [{ digits: 5 as TotpDigits }, /"digits" must be 6, 7 or 8, got 5/],
    [{ digits: 9 as TotpDigits }, /"digits" must be 6, 7 or 8, got 9/],
    [{ step: 0 }, /"step" must be an integer number of seconds 1–86400, got 0/],
    [{ step: 29.5 }, /"step" .* got 29.5/],
    [{ step: 86_401 }, /"step" .* got 86401/],
    [{ algorithm: 'MD5' as TotpAlgorithm }, /"algorithm" must be SHA1, SHA256 or SHA512, got MD5/],
    [{ epoch: -1 }, /"epoch" must be a non-negative number of seconds, got -1/],
    [{ epoch: Number.NaN }, /"epoch" .* got NaN/],
    [{ window: 11 }, /"window" must be an integer 0–10, got 11/],
    [{ window: -1 }, /"window" .* got -1/],
    [{ afterStep: 1.5 }, /"afterStep" must be an integer step index, got 1.5/],
  ])('throws RangeError for %j', (bad, message) => {
    expect(() => verifyTotp({ secret, token: '123456', ...bad })).toThrow(RangeError);
    expect(() => verifyTotp({ secret, token: '123456', ...bad })).toThrow(message);
  });

  it('throws RangeError from generateTotp for bad parameters too', () => {
    expect(() => generateTotp({ secret, digits: 4 as TotpDigits })).toThrow(RangeError);
    expect(() => generateTotp({ secret, step: -30 })).toThrow(/"step"/);
  });

  it('throws TypeError when the token is not a string', () => {
    expect(() => verifyTotp({ secret, token: 123456 as unknown as string })).toThrow(TypeError);
  });

  it.each([
    ['JBSWY3DP', '5 bytes'],
    ['not base32!', 'character 10 is not in the base32 alphabet'],
    ['A'.repeat(200), '125 bytes'],
    ['1'.repeat(16), 'character 1 is not in the base32 alphabet'],
  ])('throws CryptoError ERR_CRYPTO_FORMAT for the unusable secret %j', (bad, detail) => {
    let caught: unknown;
    try {
      verifyTotp({ secret: bad, token: '123456' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CryptoError);
    expect(caught).toMatchObject({ code: 'ERR_CRYPTO_FORMAT' });
    expect((caught as Error).message).toContain(detail);
    expect((caught as Error).message).not.toContain(bad);
    expect(() => generateTotp({ secret: bad })).toThrow(CryptoError);
  });
});

describe('currentStep and stepWindowEnd', () => {
  it('computes T = floor(epoch / X)', () => {
    expect(currentStep(59)).toBe(1);
    expect(currentStep(60)).toBe(2);
    expect(currentStep(1111111109)).toBe(0x23523ec);
    expect(currentStep(7199, 3600)).toBe(1);
  });

  it('says a code of step T is valid until the end of T (plus window steps when asked)', () => {
    expect(stepWindowEnd(1).toISOString()).toBe('1970-01-01T00:01:00.000Z');
    expect(stepWindowEnd(1, 30, 1).toISOString()).toBe('1970-01-01T00:01:30.000Z');
    const t = currentStep(1_700_000_010, 300);
    expect(stepWindowEnd(t, 300).getTime()).toBe(1_700_000_100 * 1000);
  });

  it('rejects a bad step size or window', () => {
    expect(() => currentStep(10, 0)).toThrow(RangeError);
    expect(() => stepWindowEnd(1, 1.5)).toThrow(RangeError);
    expect(() => stepWindowEnd(1, 30, -1)).toThrow(/"window"/);
  });
});
