import ipaddr from 'ipaddr.js';

// Only global unicast space (2000::/3) is public IPv6; everything outside it is loopback, link-local, unique-local,
// multicast, IPv4-compatible (::/96, deprecated and sometimes routed to IPv4) or reserved.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

// IPv6 forms that carry an IPv4 address in their low 32 bits; the embedded address decides.
const EMBEDS_IPV4 = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052']);

const DESCRIBE: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (this range holds cloud metadata endpoints)',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  private: 'a private (RFC 1918) address',
  reserved: 'a reserved address',
  uniqueLocal: 'a unique-local (private IPv6) address',
  deprecatedSiteLocal: 'a site-local address',
};

/**
 * Why an IP address may not be fetched from user-supplied URLs, or undefined when it is a public unicast address.
 * `address` is an IP literal in any notation Node's resolver returns (dotted IPv4, IPv6 with or without brackets).
 */
export function blockedAddressReason(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // Zone ids (fe80::1%eth0) only occur on link-local addresses; ipaddr.js parses them, the zone does not matter here.
  if (!ipaddr.isValid(bare)) return 'not a valid IP address';
  let ip = ipaddr.parse(bare);
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    const range = v6.range();
    if (EMBEDS_IPV4.has(range)) {
      const b = v6.toByteArray();
      ip = new ipaddr.IPv4(b.slice(12, 16));
    } else if (range !== 'unicast' || !v6.match(GLOBAL_UNICAST_V6)) {
      return DESCRIBE[range] ?? `a non-public IPv6 address (${range === 'unicast' ? 'outside 2000::/3' : range})`;
    } else {
      return undefined;
    }
  }
  const range = (ip as ipaddr.IPv4).range();
  if (range === 'unicast') return undefined;
  return DESCRIBE[range] ?? `a non-public address (${range})`;
}
