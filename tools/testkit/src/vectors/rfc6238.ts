/**
 * RFC 6238 Appendix B test vectors: TOTP with X = 30 s, T0 = 0, 8 digits, for HMAC-SHA1/256/512,
 * with the intermediate T = floor(time / 30) the RFC prints (as hex text and as a number).
 *
 * The seeds are ASCII digits "1234567890" repeated to the hash's natural key length — 20 bytes for
 * SHA1, 32 for SHA256, 64 for SHA512 (RFC errata 2866: the Appendix A reference code uses these,
 * the prose wrongly says the 20-byte seed for all). Given here in base32, as stores hold secrets.
 *
 * Copied from the RFC text, not computed by the code under test.
 *
 * @see RFC 6238 Appendix B "Test Vectors", Appendix A (seeds), errata ID 2866
 * @module testkit/vectors
 */

/** HMAC algorithm, otpauth spelling. */
export type Rfc6238Algorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** The seed of each algorithm as ASCII text. */
export const RFC6238_SECRETS_ASCII: Readonly<Record<Rfc6238Algorithm, string>> = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
};

/** The same seeds in base32 (RFC 4648, no padding). */
export const RFC6238_SECRETS: Readonly<Record<Rfc6238Algorithm, string>> = {
  SHA1: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  SHA256: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA',
  SHA512:
    'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA',
};

/** Step X of the vectors, seconds. */
export const RFC6238_STEP_SECONDS = 30;
/** Code length of the vectors. */
export const RFC6238_DIGITS = 8;

/** One row of Appendix B, for one algorithm. */
export interface Rfc6238Vector {
  /** Unix time in seconds ("Time (sec)"). */
  time: number;
  /** The RFC's "UTC Time" column. */
  utc: string;
  /** T as the RFC prints it: 16 hex digits. */
  t: string;
  /** T as a number. */
  step: number;
  algorithm: Rfc6238Algorithm;
  /** The 8-digit TOTP. */
  totp: string;
}

/** [time, UTC, T (hex), SHA1, SHA256, SHA512] — the table as printed. */
const TABLE: readonly (readonly [number, string, string, string, string, string])[] = [
  [59, '1970-01-01 00:00:59', '0000000000000001', '94287082', '46119246', '90693936'],
  [1111111109, '2005-03-18 01:58:29', '00000000023523EC', '07081804', '68084774', '25091201'],
  [1111111111, '2005-03-18 01:58:31', '00000000023523ED', '14050471', '67062674', '99943326'],
  [1234567890, '2009-02-13 23:31:30', '000000000273EF07', '89005924', '91819424', '93441116'],
  [2000000000, '2033-05-18 03:33:20', '0000000003F940AA', '69279037', '90698825', '38618901'],
  [20000000000, '2603-10-11 11:33:20', '0000000027BC86AA', '65353130', '77737706', '47863826'],
];

export const RFC6238_VECTORS: readonly Rfc6238Vector[] = TABLE.flatMap(
  ([time, utc, t, sha1, sha256, sha512]) =>
    (
      [
        ['SHA1', sha1],
        ['SHA256', sha256],
        ['SHA512', sha512],
      ] as const
    ).map(([algorithm, totp]) => ({ time, utc, t, step: parseInt(t, 16), algorithm, totp })),
);
