import { describe, expect, it } from '@jest/globals';
import { createGuardrails } from '@otplib/core';
import { base32 } from '@otplib/plugin-base32-scure';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { verifySync } from '@otplib/totp';
import fc from 'fast-check';
import { decodeSecret } from './secret.js';
import {
  currentStep,
  generateTotp,
  verifyTotp,
  type TotpAlgorithm,
  type TotpDigits,
} from './totp.js';

const secretArb = fc
  .uint8Array({ minLength: 10, maxLength: 64 })
  .map((bytes) => base32.encode(bytes, { padding: false }));
const epochArb = fc.integer({ min: 0, max: 4_000_000_000 });
const stepArb = fc.oneof(
  fc.constantFrom(30, 60, 300, 3600, 86_400),
  fc.integer({ min: 1, max: 86_400 }),
);
const digitsArb = fc.constantFrom<TotpDigits>(6, 7, 8);
const algorithmArb = fc.constantFrom<TotpAlgorithm>('SHA1', 'SHA256', 'SHA512');

/**
 * True when another step of the ±1 window around `stepIndex` happens to have the same code (a
 * ~2-in-10^digits coincidence): verify then rightly reports that step, so such draws are skipped.
 */
function collides(
  secret: string,
  stepIndex: number,
  token: string,
  params: { step?: number; digits?: TotpDigits; algorithm?: TotpAlgorithm } = {},
): boolean {
  const step = params.step ?? 30;
  return [stepIndex - 2, stepIndex - 1, stepIndex + 1, stepIndex + 2]
    .filter((s) => s >= 0)
    .some((s) => generateTotp({ secret, epoch: s * step, ...params }) === token);
}

describe('generateTotp ∘ verifyTotp', () => {
  it('a generated code verifies at the same instant with delta 0, for any secret, step, digits and algorithm', () => {
    fc.assert(
      fc.property(
        secretArb,
        epochArb,
        stepArb,
        digitsArb,
        algorithmArb,
        (secret, epoch, step, digits, algorithm) => {
          const token = generateTotp({ secret, epoch, step, digits, algorithm });
          expect(token).toMatch(/^[0-9]+$/);
          expect(token).toHaveLength(digits);
          fc.pre(!collides(secret, Math.floor(epoch / step), token, { step, digits, algorithm }));
          expect(verifyTotp({ secret, token, epoch, step, digits, algorithm })).toEqual({
            valid: true,
            step: Math.floor(epoch / step),
            delta: 0,
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a code of step T is accepted after laststep < T and reported reused when laststep ≥ T', () => {
    fc.assert(
      fc.property(
        secretArb,
        fc.integer({ min: 100, max: 100_000_000 }),
        fc.integer({ min: -1, max: 1 }),
        fc.integer({ min: -60, max: 60 }),
        (secret, stepIndex, delta, offset) => {
          const epoch = stepIndex * 30 + 7;
          const token = generateTotp({ secret, epoch: (stepIndex + delta) * 30 });
          fc.pre(!collides(secret, stepIndex + delta, token));
          const afterStep = stepIndex + delta + offset;
          const r = verifyTotp({ secret, token, epoch, afterStep });
          if (afterStep < stepIndex + delta) {
            expect(r).toEqual({ valid: true, step: stepIndex + delta, delta });
          } else {
            expect(r).toEqual({ valid: false, reason: 'reused' });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('verifyTotp agrees with otplib and its stock NodeCryptoPlugin', () => {
  const stock = new NodeCryptoPlugin();
  const guardrails = createGuardrails({ MIN_SECRET_BYTES: 10, MAX_PERIOD: 86_400 });

  it('accepts exactly the tokens the reference accepts, at the same step', () => {
    fc.assert(
      fc.property(
        secretArb,
        epochArb,
        fc.constantFrom(30, 60, 3600),
        digitsArb,
        algorithmArb,
        fc.oneof(
          fc.integer({ min: -3, max: 3 }).map((d) => ({ kind: 'offset' as const, d })),
          fc.integer({ min: 0, max: 99_999_999 }).map((n) => ({ kind: 'random' as const, n })),
        ),
        (secret, epoch, step, digits, algorithm, pick) => {
          const token =
            pick.kind === 'offset'
              ? generateTotp({
                  secret,
                  epoch: Math.max(0, epoch + pick.d * step),
                  step,
                  digits,
                  algorithm,
                })
              : String(pick.n % 10 ** digits).padStart(digits, '0');
          const ours = verifyTotp({ secret, token, epoch, step, digits, algorithm });
          const ref = verifySync({
            secret: decodeSecret(secret),
            token,
            epoch,
            period: step,
            digits,
            algorithm: algorithm.toLowerCase() as 'sha1' | 'sha256' | 'sha512',
            epochTolerance: step,
            crypto: stock,
            guardrails,
          });
          expect(ours.valid).toBe(ref.valid);
          if (ours.valid && ref.valid) {
            expect(ours.step).toBe(ref.timeStep);
            expect(ours.delta).toBe(ref.timeStep - currentStep(epoch, step));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
