import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { base32 } from '@otplib/plugin-base32-scure';
import { generateTotp, verifyTotp } from './otp.js';

describe('generateTotp ∘ verifyTotp', () => {
  it('a generated code verifies at the same instant, for any secret, step, digits and algorithm', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 10, maxLength: 64 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.constantFrom(30, 60, 300, 3600),
        fc.constantFrom(6, 7, 8),
        fc.constantFrom('SHA1', 'SHA256', 'SHA512') as fc.Arbitrary<'SHA1' | 'SHA256' | 'SHA512'>,
        (bytes, epoch, step, digits, algorithm) => {
          const secret = base32.encode(bytes, { padding: false });
          const token = generateTotp({ secret, epoch, step, digits, algorithm });
          const r = verifyTotp({ secret, token, epoch, step, digits, algorithm });
          return r.valid && r.delta === 0 && r.step === Math.floor(epoch / step);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never reports reused for a step after afterStep', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 10_000_000 }), fc.integer({ min: 1, max: 50 }), (stepIndex, back) => {
        const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
        const epoch = stepIndex * 30 + 7;
        const token = generateTotp({ secret, epoch });
        const r = verifyTotp({ secret, token, epoch, afterStep: stepIndex - back });
        expect(r).toMatchObject({ valid: true, step: stepIndex });
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
