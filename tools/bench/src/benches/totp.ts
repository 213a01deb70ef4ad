/**
 * TOTP verify, worst case: a wrong code, so every step of the ±1 window is tried — 3 HMAC-SHA1
 * computations with truncation — measured next to plain `node:crypto` doing the same 3 HMACs and
 * truncations. The ratio says what otplib + the caching plugin + verifyTotp's checks cost over the
 * bare minimum (target ≥ 0.7x).
 *
 * @see RFC 6238 §5.2, RFC 4226 §5.3
 * @module bench
 */
import { createHmac, randomBytes } from 'node:crypto';
import { generateTotp, verifyTotp } from '@securemfa/core';
import type { BenchSuite } from '../types.js';

const STEP = 30;
/** A fixed instant, 20 s into a step (so the window is steps T-1, T, T+1). */
const EPOCH = 1_700_000_000;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** RFC 4648 base32 without padding (the bench has no otplib dependency of its own). */
function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * The counter message, allocated once: the baseline should be the cheapest plain implementation,
 * and a fresh `Buffer.alloc(8)` per HMAC costs it an allocation that verifyTotp does not make.
 */
const message = Buffer.alloc(8);

/** HOTP(K, counter) with nothing but node:crypto: HMAC-SHA1, dynamic truncation, 6 digits. */
function rawHotp(key: Buffer, counter: number): string {
  message.writeUInt32BE(Math.floor(counter / 2 ** 32), 0);
  message.writeUInt32BE(counter >>> 0, 4);
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The raw baseline of a verify: try steps T-1…T+1, compare each code. */
function rawVerify(key: Buffer, token: string, epoch: number): boolean {
  const current = Math.floor(epoch / STEP);
  let found = false;
  for (let step = current - 1; step <= current + 1; step += 1) {
    if (rawHotp(key, step) === token) found = true;
  }
  return found;
}

/** The suite, registered in ../registry.ts. */
export const totpSuite: BenchSuite = {
  id: 'totp',
  title: 'TOTP verify worst case (no match in the ±1 window, i.e. 3 HMACs)',
  iterations: 60_000,
  maxMs: 5_000,
  warmup: 5_000,
  setup() {
    const key = randomBytes(20);
    const secret = base32(key);
    const current = Math.floor(EPOCH / STEP);
    // The baseline must compute exactly what verifyTotp computes.
    const codes = [current - 1, current, current + 1].map((s) => rawHotp(key, s));
    codes.forEach((code, i) => {
      const ours = generateTotp({ secret, epoch: (current - 1 + i) * STEP });
      if (ours !== code)
        throw new Error(`bench self-check: raw HOTP ${code} ≠ generateTotp ${ours}`);
    });
    // A wrong code: no step of the window matches, so all 3 HMACs run in both cases.
    let n = 0;
    while (codes.includes(String(n).padStart(6, '0'))) n += 1;
    const token = String(n).padStart(6, '0');
    const verdict = verifyTotp({ secret, token, epoch: EPOCH });
    if (verdict.valid || verdict.reason !== 'mismatch' || rawVerify(key, token, EPOCH)) {
      throw new Error('bench self-check: the worst-case token unexpectedly matched');
    }
    return {
      cases: [
        {
          id: 'verify-totp',
          title: 'verifyTotp (otplib 13 + caching HMAC plugin), wrong code',
          fn: () => verifyTotp({ secret, token, epoch: EPOCH }),
        },
        {
          id: 'raw-hmac',
          title: 'raw node:crypto: 3 × HMAC-SHA1 + truncation',
          fn: () => rawVerify(key, token, EPOCH),
        },
      ],
    };
  },
  ratios: [
    {
      id: 'verify-vs-raw',
      title: 'verifyTotp ÷ raw HMAC (ops/s)',
      numerator: 'verify-totp',
      denominator: 'raw-hmac',
      target: 0.7,
    },
  ],
};
