import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** One entry of TRUST_PROXY or METRICS_ALLOW: an address, or a network in CIDR notation; null when neither. */
export function parseNetwork(
  entry: string,
): { network: string; prefix: number; type: 'ipv4' | 'ipv6' } | null {
  const [address = '', bits, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { network: address, prefix, type: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Addresses and networks as a list node can match a peer's address against (entries checked before). */
export function addressList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseNetwork(entry);
    if (!parsed) throw new Error(`« ${entry} » n’est ni une adresse ni un réseau.`);
    list.addSubnet(parsed.network, parsed.prefix, parsed.type);
  }
  return list;
}

/** The proxies whose X-Forwarded-For is believed (TRUST_PROXY); null when there are none. */
export const trustedProxies = (entries: readonly string[]): BlockList | null =>
  entries.length === 0 ? null : addressList(entries);

const unmapped = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

const isTrusted = (proxies: BlockList, address: string) => {
  const version = isIP(address);
  return version !== 0 && proxies.check(address, version === 4 ? 'ipv4' : 'ipv6');
};

/**
 * The client's address: the connection's peer, unless that peer is one of the configured proxies; then
 * X-Forwarded-For is read from its end, each trusted proxy's entry skipped, and the first address no
 * configured proxy owns is the client's. What a client writes into the header itself sits before its own
 * address, and is never reached. Requests through app.request() in tests have no peer: « local ».
 */
export function clientAddress(c: Context, proxies: BlockList | null): string {
  let address: string;
  try {
    address = unmapped(getConnInfo(c).remote.address ?? 'local');
  } catch {
    return 'local';
  }
  if (!proxies || !isTrusted(proxies, address)) return address;
  const hops = (c.req.header('X-Forwarded-For') ?? '')
    .split(',')
    .map((hop) => unmapped(hop.trim()))
    .filter(Boolean);
  while (hops.length > 0 && isTrusted(proxies, address)) {
    const next = hops.pop() as string;
    if (isIP(next) === 0) break;
    address = next;
  }
  return address;
}

/**
 * Who counts as one client for the rate limits: an IPv4 address, or the /64 network of an IPv6 one, since
 * one subscriber gets a whole /64 and could otherwise count as billions of clients.
 */
export function clientKeyOf(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
