/**
 * Where a user's code goes: the `mail` attribute of the user's directory entry (AD when
 * `ldap_url` is set, else the store's e-mail field), else the UPN when it is an address — as
 * the originals send to "an e-mail address which is registered with user's Active Directory
 * account".
 *
 * @see seed 001 "ADFS Applications"
 * @module recipient
 */

/** Longest address accepted (RFC 5321 §4.5.3.1.3: a path holds at most 256 octets). */
export const MAX_ADDRESS_LENGTH = 254;

// A mailbox as a directory holds it: a local part without spaces, quotes, brackets or separators
// (so nothing can smuggle a second recipient or a header), `@`, and a host name of letters
// (any script), digits and hyphens.
const LOCAL_PART = /^[^\s"(),:;<>@[\\\]]{1,64}$/u;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * Whether a value is an e-mail address this provider sends to.
 *
 * @param value - a candidate address
 * @returns true for `local@host.example`-shaped addresses
 */
export function isMailAddress(value: string): boolean {
  if (value.length === 0 || value.length > MAX_ADDRESS_LENGTH) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).replace(/\.$/, '');
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.')) return false;
  if (local.includes('..')) return false;
  const labels = domain.split('.');
  return domain.length <= 253 && labels.every((l) => LABEL.test(l));
}

/** The first address of a directory value (a multi-valued `mail` arrives joined with `;`). */
function firstAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value
    .split(';')
    .map((v) => v.trim())
    .find(isMailAddress);
}

/**
 * The recipient of a user's code.
 *
 * @param upn - the user's UPN
 * @param attributes - the user's directory attributes (`mail`, or `email`)
 * @returns the address, or undefined when neither the directory nor the UPN gives one
 * @example
 * ```ts
 * resolveRecipient('alice@adatum.labnet', { mail: 'alice.smith@adatum.com' }); // 'alice.smith@adatum.com'
 * resolveRecipient('alice@adatum.labnet', {});                                  // 'alice@adatum.labnet'
 * resolveRecipient('ADATUM\\alice', {});                                        // undefined
 * ```
 */
export function resolveRecipient(
  upn: string,
  attributes: Readonly<Record<string, string>>,
): string | undefined {
  const fromDirectory = firstAddress(attributes.mail) ?? firstAddress(attributes.email);
  if (fromDirectory !== undefined) return fromDirectory;
  const trimmed = upn.trim();
  return isMailAddress(trimmed) ? trimmed : undefined;
}
