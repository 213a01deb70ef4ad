// Independent oracle: the real `oathtool` (OATH Toolkit, Debian package `oathtool`) computes TOTP
// codes for random secrets and instants; verifyTotp must accept them at the right step, and
// generateTotp must produce the same code. A missing oathtool FAILS this suite (never a skip):
// install it with `apt-get install -y oathtool`.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { base32 } from '@otplib/plugin-base32-scure';
import { currentStep, generateTotp, verifyTotp, type TotpAlgorithm } from '../src/totp/totp.js';

const MISSING =
  'oathtool is not installed, so the TOTP oracle cannot run. Install it: `apt-get install -y oathtool` ' +
  '(Debian/Ubuntu) or `brew install oath-toolkit` (macOS).';

/** Run oathtool; the key is given as hex on the command line (a test secret, never a real one). */
function oathtool(args: readonly string[]): string {
  try {
    return execFileSync('oathtool', args, { encoding: 'utf8', timeout: 5000 }).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(MISSING);
    throw err;
  }
}

describe('TOTP against oathtool (RFC 6238 reference oracle)', () => {
  beforeAll(() => {
    // Fail every test of the suite with a clear message when the binary is missing.
    expect(oathtool(['--version'])).toMatch(/^oathtool \(OATH Toolkit\) \d+\.\d+/);
  });

  it('oathtool itself reproduces RFC 6238 Appendix B (the oracle is sound)', () => {
    const seed = Buffer.from('12345678901234567890').toString('hex');
    expect(oathtool(['--totp=SHA1', '-d', '8', '-N', '@59', seed])).toBe('94287082');
    expect(oathtool(['--totp=SHA1', '-d', '8', '-N', '@1111111109', seed])).toBe('07081804');
  });

  const cases: { algorithm: TotpAlgorithm; digits: 6 | 8; step: number }[] = [
    { algorithm: 'SHA1', digits: 6, step: 30 },
    { algorithm: 'SHA1', digits: 8, step: 30 },
    { algorithm: 'SHA1', digits: 6, step: 60 },
    { algorithm: 'SHA256', digits: 6, step: 30 },
    { algorithm: 'SHA256', digits: 8, step: 3600 },
    { algorithm: 'SHA512', digits: 6, step: 30 },
    { algorithm: 'SHA512', digits: 8, step: 300 },
  ];

  it.each(cases)(
    '$algorithm, $digits digits, $step s: oathtool codes verify at their step and equal ours',
    ({ algorithm, digits, step }) => {
      for (let i = 0; i < 8; i += 1) {
        // Classic 10-byte secrets, new 20-byte ones, and the longest (64 bytes).
        const bytes = randomBytes(i % 3 === 0 ? 10 : i % 3 === 1 ? 20 : 64);
        const secret = base32.encode(bytes, { padding: false });
        const epoch = randomInt(0, 4_000_000_000);
        const code = oathtool([
          `--totp=${algorithm}`,
          '-d',
          String(digits),
          '-s',
          `${step}s`,
          '-N',
          `@${epoch}`,
          bytes.toString('hex'),
        ]);
        expect(code).toMatch(new RegExp(`^[0-9]{${digits}}$`));
        expect(generateTotp({ secret, epoch, step, digits, algorithm })).toBe(code);
        // The window's earlier step wins if it happens to share the code (~1 in 10^digits).
        const previous =
          epoch >= step ? { secret, epoch: epoch - step, step, digits, algorithm } : undefined;
        if (previous !== undefined && generateTotp(previous) === code) continue;
        expect(verifyTotp({ secret, token: code, epoch, step, digits, algorithm })).toEqual({
          valid: true,
          step: currentStep(epoch, step),
          delta: 0,
        });
        // One step later the same code is still accepted (window), as the previous step.
        expect(
          verifyTotp({ secret, token: code, epoch: epoch + step, step, digits, algorithm }),
        ).toEqual({ valid: true, step: currentStep(epoch, step), delta: -1 });
      }
    },
  );

  it('accepts the codes oathtool shows for a window around an instant (-w) at the right deltas', () => {
    const bytes = randomBytes(20);
    const secret = base32.encode(bytes, { padding: false });
    const epoch = randomInt(1_000_000, 4_000_000_000);
    // oathtool -w 2 prints the codes of steps T..T+2, one per line.
    const codes = oathtool(['--totp', '-w', '2', '-N', `@${epoch - 30}`, bytes.toString('hex')])
      .split('\n')
      .map((line) => line.trim());
    expect(codes).toHaveLength(3);
    const t = currentStep(epoch);
    expect(codes.map((token) => verifyTotp({ secret, token, epoch }))).toEqual([
      { valid: true, step: t - 1, delta: -1 },
      { valid: true, step: t, delta: 0 },
      { valid: true, step: t + 1, delta: 1 },
    ]);
  });

  it('reads base32 secrets the way oathtool does (-b), including the classic 16-character ones', () => {
    for (const secret of ['JBSWY3DPEHPK3PXP', base32.encode(randomBytes(20), { padding: false })]) {
      const epoch = randomInt(0, 4_000_000_000);
      const code = oathtool(['--totp', '-b', '-N', `@${epoch}`, secret]);
      expect(generateTotp({ secret, epoch })).toBe(code);
    }
  });
});
