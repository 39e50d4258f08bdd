// Where webhooks may go: public http(s) addresses only. A participant chooses the URL, and the
// node POSTs to it, so an internal address (loopback, private, link-local, the cloud metadata
// service) would let a participant reach what only the node can reach. The operator may allow
// addresses, ranges or host names for test set-ups; nothing is allowed by default.
import { BlockList, isIP } from 'node:net';

/**
 * IPv4 ranges that are not public destinations (IANA special-purpose registry): "this
 * network", private, CGNAT, loopback, link-local, IETF protocol assignments, documentation,
 * the deprecated 6to4 relay, benchmarking, multicast and reserved (with broadcast).
 */
const REFUSED_IPV4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/**
 * IPv6 ranges refused whole: unspecified, loopback and IPv4-compatible (::/96, deprecated),
 * IPv4-translated, local-use NAT64, discard-only, IETF protocol assignments (Teredo among them),
 * documentation, 6to4 (deprecated: refused whole rather than judged by its embedded IPv4),
 * SRv6, unique-local, link-local, site-local and multicast.
 */
const REFUSED_IPV6: readonly (readonly [string, number])[] = [
  ['::', 96],
  ['::ffff:0:0:0', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
  ['5f00::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

/**
 * IPv6 prefixes that carry an IPv4 address in their last 32 bits: IPv4-mapped, and the NAT64
 * well-known prefix (a DNS64 resolver maps public IPv4-only hosts there, so it is judged by the
 * IPv4 address it embeds rather than refused whole).
 */
const EMBEDDING_IPV4 = ['::ffff:', '64:ff9b::'] as const;

/** Host names that resolve locally by definition (RFC 6761, 6762, 8375; ICANN's .internal). */
const LOCAL_NAME_SUFFIXES = ['localhost', 'local', 'internal', 'home.arpa', 'localdomain'];

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

export class WebhookAllowListError extends Error {
  override readonly name = 'WebhookAllowListError';
}

/** "a.b.c.d" as the two hexadecimal groups of an IPv6 address ("7f00:1" for 127.0.0.1). */
function ipv4AsGroups(address: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** Adds an IPv4 range, and the same range as every IPv6 form that embeds it. */
function addIpv4Subnet(list: BlockList, network: string, prefix: number): void {
  list.addSubnet(network, prefix, 'ipv4');
  for (const embedding of EMBEDDING_IPV4) {
    list.addSubnet(`${embedding}${ipv4AsGroups(network)}`, 96 + prefix, 'ipv6');
  }
}

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** An address as given by a resolver or a URL: no brackets, no zone ("fe80::1%eth0"). */
function bareAddress(address: string): string {
  const unbracketed = address.startsWith('[') ? address.slice(1, -1) : address;
  const zone = unbracketed.indexOf('%');
  return zone < 0 ? unbracketed : unbracketed.slice(0, zone);
}

const REFUSED = (() => {
  const list = new BlockList();
  for (const [network, prefix] of REFUSED_IPV4) addIpv4Subnet(list, network, prefix);
  for (const [network, prefix] of REFUSED_IPV6) list.addSubnet(network, prefix, 'ipv6');
  return list;
})();

export interface WebhookAddressPolicy {
  /** Why this URL may not be registered (a sentence), or undefined if it may. */
  refusal(url: string): string | undefined;
  /** Whether the node may connect to this address (a URL's literal host or a resolved one). */
  addressAllowed(address: string): boolean;
  /** Whether the operator allowed this host name, so its addresses are not judged. */
  hostAllowed(hostname: string): boolean;
}

/** The allow list's entries: "10.1.0.0/16", "127.0.0.1", "::1", "receiver.test". */
function parseAllowList(entries: readonly string[]): { list: BlockList; hosts: Set<string> } {
  const list = new BlockList();
  const hosts = new Set<string>();
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    const [network = '', prefixText, extra] = entry.split('/');
    const version = isIP(network);
    const prefix = prefixText === undefined ? (version === 6 ? 128 : 32) : Number(prefixText);
    const prefixMax = version === 6 ? 128 : 32;
    if (version !== 0 && extra === undefined && /^[0-9]{1,3}$/.test(prefixText ?? '0') &&
        prefix <= prefixMax) {
      if (version === 4) addIpv4Subnet(list, network, prefix);
      else list.addSubnet(network, prefix, 'ipv6');
    } else if (prefixText === undefined && HOST_NAME.test(entry.replace(/\.$/, ''))) {
      hosts.add(entry.replace(/\.$/, ''));
    } else {
      throw new WebhookAllowListError(
        `The webhook allow list entry "${raw}" is not an IP address, a CIDR range or a host name.`,
      );
    }
  }
  return { list, hosts };
}

/** Splits "127.0.0.1/32, ::1,receiver.test" into its entries (the environment's form). */
export function webhookAllowEntries(text: string): string[] {
  return text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** The policy: public addresses only, except what `allow` lists (nothing by default). */
export function webhookAddressPolicy(allow: readonly string[] = []): WebhookAddressPolicy {
  const allowed = parseAllowList(allow);
  const addressAllowed = (address: string): boolean => {
    const bare = bareAddress(address);
    if (isIP(bare) === 0) return false;
    if (allowed.list.check(bare, family(bare))) return true;
    return !REFUSED.check(bare, family(bare));
  };
  const hostAllowed = (hostname: string): boolean =>
    allowed.hosts.has(hostname.toLowerCase().replace(/\.$/, ''));
  return {
    addressAllowed,
    hostAllowed,
    refusal: (url) => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return 'The webhook URL is not a valid URL.';
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
        return 'The webhook URL must use http or https.';
      if (parsed.username !== '' || parsed.password !== '')
        return 'The webhook URL must not carry a user name or password.';
      // The WHATWG parser has already turned 2130706433, 0x7f.1 and 017700000001 into 127.0.0.1.
      const host = bareAddress(parsed.hostname);
      if (hostAllowed(host)) return undefined;
      if (isIP(host) !== 0) {
        return addressAllowed(host) ? undefined :
          `The webhook URL's host ${host} is not a public address: webhooks are delivered ` +
          'only to public addresses.';
      }
      const name = host.replace(/\.$/, '');
      const local = !name.includes('.') ||
        LOCAL_NAME_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
      return local
        ? `The webhook URL's host ${name} is a local name: webhooks are delivered only to ` +
          'public addresses.'
        : undefined;
    },
  };
}
