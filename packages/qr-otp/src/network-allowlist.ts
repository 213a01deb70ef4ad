/**
 * Which client networks may be shown the enrolment QR code (ui_allow_qr_display_from_networks):
 * IPv4 and IPv6 CIDRs, matched with node:net's BlockList. IPv4-mapped IPv6 addresses
 * (`::ffff:10.1.2.3`, how a dual-stack socket reports an IPv4 client) match IPv4 rules.
 *
 * The client address itself comes from the host, which honours `trusted_proxies` for
 * X-Forwarded-For — never from a header sent by an untrusted client.
 *
 * @see seed 003 "Configuration of network locations for QR code"
 * @module network-allowlist
 */
import { BlockList, isIP } from 'node:net';

/** Decides whether an address is inside the allowed networks. */
export interface NetworkAllowlist {
  /** True when no networks are configured (everyone may enrol) or the address is inside one. */
  allows(address: string | undefined): boolean;
  /** The configured networks, normalised. */
  readonly networks: readonly string[];
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address = '', prefixText, extra] = cidr.trim().split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) {
    throw new RangeError(
      `"${cidr}" is not an IPv4 or IPv6 network (expected e.g. 10.0.0.0/8 or 2001:db8::/32)`,
    );
  }
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max) {
    throw new RangeError(`"${cidr}" has a bad prefix length (expected 0–${max})`);
  }
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * Build an allow-list.
 *
 * @param networks - CIDRs (a bare address means a single host); empty = everyone allowed
 * @returns the allow-list
 * @throws {RangeError} for a malformed network (the config loader reports it first)
 * @example
 * ```ts
 * const list = createNetworkAllowlist(['10.0.0.0/8', '2001:db8::/32']);
 * list.allows('10.1.2.3'); // true
 * ```
 */
export function createNetworkAllowlist(networks: readonly string[]): NetworkAllowlist {
  const list = new BlockList();
  const normalised: string[] = [];
  for (const cidr of networks) {
    if (cidr.trim() === '') continue;
    const { address, prefix, family } = parseCidr(cidr);
    list.addSubnet(address, prefix, family);
    normalised.push(`${address}/${prefix}`);
  }
  return {
    networks: normalised,
    allows(raw) {
      if (normalised.length === 0) return true;
      if (raw === undefined) return false;
      const mapped = MAPPED_V4.exec(raw);
      const address = mapped?.[1] ?? raw.replace(/%.*$/, '');
      const version = isIP(address);
      if (version === 0) return false;
      return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
