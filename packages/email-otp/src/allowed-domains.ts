/**
 * The allowed-domain list of the e-mail provider (`ui_allowed_domains_for_otpcode`): which
 * addresses may receive codes. An entry matches its domain and every subdomain, label by label —
 * `mydomain.org` allows `mydomain.org` and `eu.mydomain.org`, never `evil-mydomain.org` (the
 * string suffix of a different domain); `.com` allows every address under `com`.
 *
 * @see seed 001 "Configure Allowed Domain List"
 * @module allowed-domains
 */
import { domainToASCII } from 'node:url';

/** Decides whether an address may receive codes. */
export interface DomainAllowlist {
  /** The normalised entries (lower case, no leading dot); empty = every domain. */
  readonly entries: readonly string[];
  /** Whether the address's domain is allowed (always true for an empty list). */
  allows(address: string): boolean;
}

/** A domain in the form the entries use: ASCII (punycode), lower case, no trailing dot. */
function normaliseDomain(domain: string): string | undefined {
  const trimmed = domain.trim().replace(/\.$/, '');
  if (trimmed === '') return undefined;
  const ascii = domainToASCII(trimmed);
  return ascii === '' ? undefined : ascii.toLowerCase();
}

/**
 * The domain of an address: what follows its last `@`, normalised (IDN → punycode, lower case).
 *
 * @param address - an e-mail address
 * @returns the domain, or undefined when there is none or it is not a valid host name
 */
export function addressDomain(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0) return undefined;
  return normaliseDomain(address.slice(at + 1));
}

/**
 * Whether `domain` is `entry` or a subdomain of it (whole labels).
 *
 * @param domain - a normalised domain (`eu.mydomain.org`)
 * @param entry - a normalised entry without leading dot (`mydomain.org`, `com`)
 * @returns true when it matches
 */
export function domainMatches(domain: string, entry: string): boolean {
  return domain === entry || domain.endsWith(`.${entry}`);
}

/**
 * Build the allow-list from the configured entries (as `ui_allowed_domains_for_otpcode` parses
 * them: `[".com", ".net", "mydomain.org"]`).
 *
 * @param entries - domains or suffixes, with or without a leading dot
 * @returns the allow-list
 * @throws {TypeError} when `entries` is not an array of strings, or an entry is not a domain
 * @example
 * ```ts
 * const list = createDomainAllowlist(['.com', 'mydomain.org']);
 * list.allows('a@eu.mydomain.org');   // true
 * list.allows('a@evil-mydomain.org'); // false
 * list.allows('a@example.com');       // true
 * ```
 */
export function createDomainAllowlist(entries: readonly string[]): DomainAllowlist {
  if (!Array.isArray(entries) || !entries.every((e) => typeof e === 'string')) {
    throw new TypeError('"entries" must be an array of domain strings');
  }
  const normalised = entries.map((e) => {
    const n = normaliseDomain(e.trim().replace(/^\./, ''));
    if (n === undefined)
      throw new TypeError(`"${e}" is not a domain (e.g. ".com" or "mydomain.org")`);
    return n;
  });
  return {
    entries: normalised,
    allows(address) {
      if (normalised.length === 0) return true;
      const domain = addressDomain(address);
      return domain !== undefined && normalised.some((entry) => domainMatches(domain, entry));
    },
  };
}
