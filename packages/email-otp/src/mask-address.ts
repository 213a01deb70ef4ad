/**
 * The masked form of an e-mail address that users are shown ("we sent a code to
 * `a***@adatum.labnet`") and logs carry: the first character of the local part and the whole
 * domain, so a user can tell which mailbox to open while a screen or log reader learns neither
 * the account name nor its length.
 *
 * @module mask-address
 */

const ADDRESS_IN_TEXT = /[^\s<>()[\]"',;:@]+@[A-Za-z0-9.-]+/g;

/**
 * Mask an address.
 *
 * @param address - an e-mail address
 * @returns `a***@domain`; `***` when it has no `@`
 * @example
 * ```ts
 * maskAddress('alice.smith@adatum.labnet'); // 'a***@adatum.labnet'
 * ```
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${Array.from(address.slice(0, at))[0]}***${address.slice(at)}`;
}

/**
 * Mask every address inside a text (an SMTP server's reply quotes the recipient: `550 5.1.1
 * <bob@example.com>: Recipient address rejected`).
 *
 * @param text - any text
 * @returns the text with each address masked
 */
export function maskAddressesIn(text: string): string {
  return text.replace(ADDRESS_IN_TEXT, (a) => maskAddress(a));
}
