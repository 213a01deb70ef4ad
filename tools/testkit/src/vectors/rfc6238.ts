/**
 * RFC 6238 Appendix B test vectors (8 digits, step 30 s, T0 = 0), with the intermediate T.
 * Seeds are the ASCII strings of the RFC ("12345678901234567890" repeated to 20/32/64 bytes),
 * given here in base32 as the providers store them.
 *
 * @see RFC 6238 Appendix B (note the errata: SHA256/SHA512 use 32/64-byte seeds)
 */
export const RFC6238_SECRETS = {
  SHA1: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  SHA256: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA',
  SHA512:
    'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA',
} as const;

export interface Rfc6238Vector {
  /** Unix time in seconds. */
  time: number;
  /** T = floor(time / 30), as the RFC prints it (hex). */
  t: string;
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  totp: string;
}

const rows: [number, string, string, string, string][] = [
  [59, '0000000000000001', '94287082', '46119246', '90693936'],
  [1111111109, '00000000023523EC', '07081804', '68084774', '25091201'],
  [1111111111, '00000000023523ED', '14050471', '67062674', '99943326'],
  [1234567890, '000000000273EF07', '89005924', '91819424', '93441116'],
  [2000000000, '0000000003F940AA', '69279037', '90698825', '38618901'],
  [20000000000, '0000000027BC86AA', '65353130', '77737706', '47863826'],
];

export const RFC6238_VECTORS: readonly Rfc6238Vector[] = rows.flatMap(([time, t, sha1, sha256, sha512]) => [
  { time, t, algorithm: 'SHA1' as const, totp: sha1 },
  { time, t, algorithm: 'SHA256' as const, totp: sha256 },
  { time, t, algorithm: 'SHA512' as const, totp: sha512 },
]);
