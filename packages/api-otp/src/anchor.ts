/**
 * The user's anchor: the last segment of the gateway URI, one API resource per user.
 *
 * Rule (seed 000 "Enable API Endpoint"): the UPN part before "@", every special character removed
 * (".", "_", "-" and all others), lower-cased — `Test1.Test1@adatum.labnet` → `test1test1`.
 *
 * Letters outside ASCII, decided here (the manual is silent): the text is Unicode-decomposed
 * (NFKD) and combining marks are dropped, so accented Latin letters keep their base letter
 * (`José.Müller` → `josemuller`) and compatibility forms fold (fullwidth `Ｔｅｓｔ` → `test`);
 * whatever is then still not `A–Z`, `a–z` or `0–9` (ß, ł, ø, Cyrillic, Greek, CJK, emoji…) is
 * removed like any other special character. The result is always `[a-z0-9]*`, which is what an
 * API Gateway resource path part may hold without encoding, and the same UPN always gives the
 * same anchor on every node. An empty result means the user has no anchor (no POST is made).
 *
 * @see seed 000 "Enable API Endpoint"
 * @module anchor
 */

/** Longest anchor produced (longer ones are cut; a UPN prefix is at most 64 characters in AD). */
export const MAX_ANCHOR_LENGTH = 128;

/**
 * The anchor of a UPN.
 *
 * @param upn - the userPrincipalName (or any user name; without "@" the whole name is used)
 * @returns the anchor, `[a-z0-9]{0,128}`; empty when nothing is left
 * @throws {TypeError} when `upn` is not a string
 * @example
 * ```ts
 * userAnchor('Test1.Test1@adatum.labnet'); // 'test1test1'
 * userAnchor('first_last-2@example.com'); // 'firstlast2'
 * ```
 */
export function userAnchor(upn: string): string {
  if (typeof upn !== 'string') throw new TypeError('"upn" must be a string');
  const at = upn.indexOf('@');
  const local = at === -1 ? upn : upn.slice(0, at);
  return local
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '')
    .toLowerCase()
    .slice(0, MAX_ANCHOR_LENGTH);
}
