// Independent oracle: the real `oathtool` (Debian package oathtool) computes codes from random
// secrets and instants; our verifyTotp must accept them. Missing oathtool fails loudly.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { base32 } from '@otplib/plugin-base32-scure';
import { generateTotp, verifyTotp } from '../src/totp/otp.js';

function oathtool(args: string[]): string {
  try {
    return execFileSync('oathtool', args, { encoding: 'utf8', timeout: 5000 }).trim();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') {
      throw new Error('oathtool is not installed: run `node scripts/ensure-deps.mjs` (apt-get install oathtool)');
    }
    throw err;
  }
}

describe('TOTP against oathtool', () => {
  const cases: { alg: 'SHA1' | 'SHA256' | 'SHA512'; digits: 6 | 8; step: number }[] = [
    { alg: 'SHA1', digits: 6, step: 30 },
    { alg: 'SHA1', digits: 8, step: 60 },
    { alg: 'SHA256', digits: 6, step: 30 },
    { alg: 'SHA256', digits: 8, step: 3600 },
    { alg: 'SHA512', digits: 6, step: 30 },
    { alg: 'SHA512', digits: 8, step: 30 },
  ];
  it.each(cases)('$alg, $digits digits, $step s: oathtool codes verify and match ours', ({ alg, digits, step }) => {
    for (let i = 0; i < 5; i += 1) {
      const bytes = randomBytes(i === 0 ? 10 : 20);
      const secret = base32.encode(bytes, { padding: false });
      const epoch = randomInt(1, 4_000_000_000);
      const code = oathtool([
        `--totp=${alg}`,
        '-d',
        String(digits),
        '-s',
        `${step}s`,
        '-N',
        `@${epoch}`,
        bytes.toString('hex'),
      ]);
      expect(code).toMatch(new RegExp(`^[0-9]{${digits}}$`));
      expect(generateTotp({ secret, epoch, step, digits, algorithm: alg })).toBe(code);
      expect(verifyTotp({ secret, token: code, epoch, step, digits, algorithm: alg })).toMatchObject({
        valid: true,
        delta: 0,
      });
    }
  });
});
