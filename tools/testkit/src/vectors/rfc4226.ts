/**
 * RFC 4226 Appendix D test values: HOTP(K, C) for the ASCII secret K = "12345678901234567890"
 * (20 bytes), C = 0…9, HMAC-SHA-1, 6 digits — with the intermediate values the RFC prints: the
 * full HMAC, the dynamically truncated 31-bit value (hex and decimal) and the code.
 *
 * Copied from the RFC text, not computed by the code under test.
 *
 * @see RFC 4226 Appendix D "HOTP Algorithm: Test Values"
 * @module testkit/vectors
 */

/** The RFC's secret as text: "12345678901234567890". */
export const RFC4226_SECRET_ASCII = '12345678901234567890';
/** The same secret in base32, as a store holds it. */
export const RFC4226_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** One row of Appendix D. */
export interface Rfc4226Vector {
  /** Counter C. */
  counter: number;
  /** HMAC-SHA-1(K, C) in hex ("Intermediate HMAC values"). */
  hmac: string;
  /** Dynamic truncation result, hex as the RFC prints it (no leading zeros). */
  truncatedHex: string;
  /** The same, decimal. */
  truncatedDecimal: number;
  /** HOTP value: truncatedDecimal mod 10^6, zero-padded. */
  hotp: string;
}

export const RFC4226_VECTORS: readonly Rfc4226Vector[] = [
  {
    counter: 0,
    hmac: 'cc93cf18508d94934c64b65d8ba7667fb7cde4b0',
    truncatedHex: '4c93cf18',
    truncatedDecimal: 1284755224,
    hotp: '755224',
  },
  {
    counter: 1,
    hmac: '75a48a19d4cbe100644e8ac1397eea747a2d33ab',
    truncatedHex: '41397eea',
    truncatedDecimal: 1094287082,
    hotp: '287082',
  },
  {
    counter: 2,
    hmac: '0bacb7fa082fef30782211938bc1c5e70416ff44',
    truncatedHex: '82fef30',
    truncatedDecimal: 137359152,
    hotp: '359152',
  },
  {
    counter: 3,
    hmac: '66c28227d03a2d5529262ff016a1e6ef76557ece',
    truncatedHex: '66ef7655',
    truncatedDecimal: 1726969429,
    hotp: '969429',
  },
  {
    counter: 4,
    hmac: 'a904c900a64b35909874b33e61c5938a8e15ed1c',
    truncatedHex: '61c5938a',
    truncatedDecimal: 1640338314,
    hotp: '338314',
  },
  {
    counter: 5,
    hmac: 'a37e783d7b7233c083d4f62926c7a25f238d0316',
    truncatedHex: '33c083d4',
    truncatedDecimal: 868254676,
    hotp: '254676',
  },
  {
    counter: 6,
    hmac: 'bc9cd28561042c83f219324d3c607256c03272ae',
    truncatedHex: '7256c032',
    truncatedDecimal: 1918287922,
    hotp: '287922',
  },
  {
    counter: 7,
    hmac: 'a4fb960c0bc06e1eabb804e5b397cdc4b45596fa',
    truncatedHex: '4e5b397',
    truncatedDecimal: 82162583,
    hotp: '162583',
  },
  {
    counter: 8,
    hmac: '1b3c89f65e6c9e883012052823443f048b4332db',
    truncatedHex: '2823443f',
    truncatedDecimal: 673399871,
    hotp: '399871',
  },
  {
    counter: 9,
    hmac: '1637409809a679dc698207310c8c7fc07290d9e5',
    truncatedHex: '2679dc69',
    truncatedDecimal: 645520489,
    hotp: '520489',
  },
];
