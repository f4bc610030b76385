import { type BlockList, isIP, SocketAddress } from 'node:net';

/**
 * A client address as conditions test it. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, what a dual-stack socket
 * reports for an IPv4 client) is tested as the IPv4 address, so IPv4 CIDR blocks apply to it. The SocketAddress that
 * BlockList checks is built on first use only: building one costs about as much as a whole decision, checking one
 * about 40 ns.
 */
export class SourceAddress {
  readonly address: string;
  readonly family: 'ipv4' | 'ipv6';
  #socketAddress: SocketAddress | undefined;

  private constructor(address: string, family: 'ipv4' | 'ipv6') {
    this.address = address;
    this.family = family;
  }

  /** Parses an address; undefined when the text is not an IPv4 or IPv6 address. */
  static parse(text: string): SourceAddress | undefined {
    const mapped = unmapIpv4(text);
    if (mapped !== undefined) return new SourceAddress(mapped, 'ipv4');
    const version = isIP(text);
    if (version === 0) return undefined;
    return new SourceAddress(text, version === 4 ? 'ipv4' : 'ipv6');
  }

  isIn(blocks: BlockList): boolean {
    this.#socketAddress ??= new SocketAddress({ address: this.address, family: this.family });
    return blocks.check(this.#socketAddress);
  }

  toString(): string {
    return this.address;
  }
}

/** `a.b.c.d` for `::ffff:a.b.c.d` (any case), else undefined. */
export function unmapIpv4(text: string): string | undefined {
  if (text.length > 45 || !text.toLowerCase().startsWith('::ffff:')) return undefined;
  const tail = text.slice('::ffff:'.length);
  return isIP(tail) === 4 ? tail : undefined;
}

/** A CIDR block (`10.0.0.0/8`, `2001:db8::/32`, or a bare address meaning /32 or /128), or a problem description. */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | { problem: string } {
  if (text.length > 64) return { problem: 'is too long for an IP address or CIDR block' };
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  let address = addressText;
  let family: 'ipv4' | 'ipv6';
  let prefixOffset = 0;
  const mapped = unmapIpv4(addressText);
  if (mapped !== undefined) {
    address = mapped;
    family = 'ipv4';
    prefixOffset = 96;
  } else {
    const version = isIP(addressText);
    if (version === 0) return { problem: 'is not an IPv4 or IPv6 address or CIDR block (e.g. 10.0.0.0/8, 2001:db8::/32)' };
    family = version === 4 ? 'ipv4' : 'ipv6';
  }
  const maximum = family === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: maximum, family };
  if (!/^\d{1,3}$/.test(prefixText)) return { problem: 'has a prefix length that is not a number' };
  const prefix = Number(prefixText) - prefixOffset;
  if (prefix < 0 || prefix > maximum) return { problem: `has a prefix length outside 0..${maximum + prefixOffset}` };
  return { address, prefix, family };
}
