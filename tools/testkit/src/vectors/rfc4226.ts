/**
 * RFC 4226 Appendix D test values: HOTP(K, C) for K = "12345678901234567890" (base32 below),
 * C = 0…9, 6 digits, with the intermediate HMAC-SHA1 values and truncation results.
 *
 * @see RFC 4226 Appendix D
 */
export const RFC4226_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

export interface Rfc4226Vector {
  counter: number;
  hmac: string;
  truncatedHex: string;
  hotp: string;
}

export const RFC4226_VECTORS: readonly Rfc4226Vector[] = [
  { counter: 0, hmac: 'cc93cf18508d94934c64b65d8ba7667fb7cde4b0', truncatedHex: '4c93cf18', hotp: '755224' },
  { counter: 1, hmac: '75a48a19d4cbe100644e8ac1397eea747a2d33ab', truncatedHex: '41397eea', hotp: '287082' },
  { counter: 2, hmac: '0bacb7fa082fef30782211938bc1c5e70416ff44', truncatedHex: '82fef30', hotp: '359152' },
  { counter: 3, hmac: '66c28227d03a2d5529262ff016a1e6ef76557ece', truncatedHex: '66ef7655', hotp: '969429' },
  { counter: 4, hmac: 'a904c900a64b35909874b33e61c5938a8e15ed1c', truncatedHex: '61c5938a', hotp: '338314' },
  { counter: 5, hmac: 'a37e783d7b7233c083d4f62926c7a25f238d0316', truncatedHex: '33c083d4', hotp: '254676' },
  { counter: 6, hmac: 'bc9cd28561042c83f219324d3c607256c03272ae', truncatedHex: '7256c032', hotp: '287922' },
  { counter: 7, hmac: 'a4fb960c0bc06e1eabb804e5b397cdc4b45596fa', truncatedHex: '4e5b397', hotp: '162583' },
  { counter: 8, hmac: '1b3c89f65e6c9e883012052823443f048b4332db', truncatedHex: '2823443f', hotp: '399871' },
  { counter: 9, hmac: '1637409809a679dc698207310c8c7fc07290d9e5', truncatedHex: '2679dc69', hotp: '520489' },
];
