/**
 * Which addresses verbatim may fetch from, and the lookup that makes the check hold for the
 * connection itself.
 *
 * Public unicast addresses only, unless the operator allows private ones (ALLOW_PRIVATE_FETCH).
 * Address classes come from ipaddr.js: loopback, private, link-local, carrier-grade NAT,
 * multicast, broadcast, reserved, documentation and the other special-purpose ranges are refused,
 * and so are IPv6 forms that embed such an IPv4 address (mapped, translated, NAT64, 6to4).
 *
 * `pinnedLookup` is the `lookup` a connection uses: it resolves the host once, checks every
 * address, and hands exactly those addresses to the connection, so a DNS server that answers
 * differently on a second lookup (DNS rebinding) is never asked a second time.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** IPv4-compatible IPv6 (`::a.b.c.d`, deprecated): never a public host's address. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
/** The well-known NAT64 prefix; other RFC 6052 prefixes (64:ff9b:1::/48) are for local use. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

const refusedIPv4 = (octets: number[]) => new ipaddr.IPv4(octets).range() !== 'unicast';

/** True when the address is not a public unicast address (or is not an IP address at all). */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 0) return true;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return true;
  }
  if (parsed.kind() === 'ipv4') return (parsed as ipaddr.IPv4).range() !== 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  const bytes = v6.toByteArray();
  switch (v6.range()) {
    case 'unicast':
      return v6.match(IPV4_COMPATIBLE);
    case 'ipv4Mapped':
    case 'rfc6145':
      return refusedIPv4(bytes.slice(12));
    case 'rfc6052':
      return !v6.match(NAT64_WELL_KNOWN) || refusedIPv4(bytes.slice(12));
    case '6to4':
      return refusedIPv4(bytes.slice(2, 6));
    default:
      return true;
  }
}

/** Resolves a host name to its addresses (tests inject their own). */
export type Resolver = (host: string) => Promise<readonly string[]>;

/** The system's resolver, as the connection would use it (getaddrinfo, /etc/hosts included). */
export const systemResolver: Resolver = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * A `lookup` for net and tls connections: resolves the host once (a failed resolution is an empty
 * list), lets `check` refuse the addresses by throwing, and gives the connection exactly the
 * addresses that were checked. Net calls it once per new connection, and never for an IP literal,
 * which the caller checks itself.
 */
export function pinnedLookup(resolve: Resolver, check: (host: string, addresses: readonly string[]) => void): LookupFunction {
  return (hostname, options, callback) => {
    void (async () => {
      const addresses = await resolve(hostname).catch(() => [] as string[]);
      check(hostname, addresses);
      const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
      const entries = addresses.map((address) => ({ address, family: isIP(address) })).filter((e) => e.family !== 0 && (family === 0 || e.family === family));
      if (entries.length === 0) throw Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' });
      return entries;
    })().then(
      (entries) => (options.all ? callback(null, entries) : callback(null, entries[0]!.address, entries[0]!.family)),
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
