import { isIP } from 'node:net';

/**
 * IPv4 / IPv6 addresses and CIDR blocks as conditions test them: addresses become 4 or 16 bytes, a block its first
 * bytes and prefix length, and containment is a byte comparison. node:net's BlockList gives the same answers (a test
 * checks ours against it), but it checks SocketAddress objects, and building one costs about 1.5 µs, a tenth of a whole
 * decision; parsing here costs about 0.1 µs. Text is validated with node:net's isIP before it is parsed, so the
 * parsers below only ever see well-formed addresses. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, what a dual-stack
 * socket reports for an IPv4 client) is treated as the IPv4 address, so IPv4 blocks apply to it.
 */

/** A CIDR block: the address's bytes (4 or 16) and how many leading bits must match. */
export interface CidrBlock {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

/** A request's client address, parsed on first use. */
export class SourceAddress {
  readonly address: string;
  #bytes: Uint8Array | undefined;

  private constructor(address: string) {
    this.address = address;
  }

  /** Undefined when the text is not an IPv4 or IPv6 address. */
  static parse(text: string): SourceAddress | undefined {
    return text.length <= 64 && (unmapIpv4(text) !== undefined || isIP(text) !== 0) ? new SourceAddress(text) : undefined;
  }

  /** Whether the address is in one of the blocks. */
  isInAny(blocks: readonly CidrBlock[]): boolean {
    this.#bytes ??= addressBytes(this.address);
    for (const block of blocks) if (contains(block, this.#bytes)) return true;
    return false;
  }

  toString(): string {
    return this.address;
  }
}

function contains(block: CidrBlock, address: Uint8Array): boolean {
  if (block.bytes.length !== address.length) return false;
  const whole = block.prefix >> 3;
  for (let index = 0; index < whole; index += 1) if (block.bytes[index] !== address[index]) return false;
  const rest = block.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((block.bytes[whole] ?? 0) & mask) === ((address[whole] ?? 0) & mask);
}

/** `a.b.c.d` for `::ffff:a.b.c.d` (any case), else undefined. */
function unmapIpv4(text: string): string | undefined {
  if (text.length > 45 || !text.toLowerCase().startsWith('::ffff:')) return undefined;
  const tail = text.slice('::ffff:'.length);
  return isIP(tail) === 4 ? tail : undefined;
}

function ipv4Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(4);
  let byte = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 0x2e) byte += 1;
    else bytes[byte] = (bytes[byte] ?? 0) * 10 + (code - 0x30);
  }
  return bytes;
}

/** The 16-bit groups of one side of an IPv6 address's `::` (an embedded IPv4 tail gives two groups). */
function ipv6Groups(part: string): number[] {
  const groups: number[] = [];
  if (part === '') return groups;
  let value = 0;
  let start = 0;
  for (let index = 0; index <= part.length; index += 1) {
    const code = index < part.length ? part.charCodeAt(index) : 0x3a;
    if (code === 0x3a) {
      groups.push(value);
      value = 0;
      start = index + 1;
    } else if (code === 0x2e) {
      const ipv4 = ipv4Bytes(part.slice(start));
      groups.push(((ipv4[0] ?? 0) << 8) | (ipv4[1] ?? 0), ((ipv4[2] ?? 0) << 8) | (ipv4[3] ?? 0));
      return groups;
    } else {
      // A hexadecimal digit (isIP accepted the address): 0-9, A-F, a-f.
      value = value * 16 + (code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57);
    }
  }
  return groups;
}

/** The bytes of an address that isIP accepted (4 for IPv4 and IPv4-mapped IPv6, else 16). */
function addressBytes(text: string): Uint8Array {
  const mapped = unmapIpv4(text);
  if (mapped !== undefined) return ipv4Bytes(mapped);
  if (!text.includes(':')) return ipv4Bytes(text);
  const zone = text.indexOf('%');
  const address = zone < 0 ? text : text.slice(0, zone);
  const gap = address.indexOf('::');
  const head = ipv6Groups(gap < 0 ? address : address.slice(0, gap));
  const tail = gap < 0 ? [] : ipv6Groups(address.slice(gap + 2));
  const bytes = new Uint8Array(16);
  const put = (group: number, index: number): void => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  };
  head.forEach((group, index) => put(group, index));
  tail.forEach((group, index) => put(group, 8 - tail.length + index));
  return bytes;
}

/** A CIDR block (`10.0.0.0/8`, `2001:db8::/32`, or a bare address meaning /32 or /128), or a problem description. */
export function parseCidr(text: string): CidrBlock | { problem: string } {
  if (text.length > 64) return { problem: 'is too long for an IP address or CIDR block' };
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  const mapped = unmapIpv4(addressText) !== undefined;
  if (!mapped && isIP(addressText) === 0) return { problem: 'is not an IPv4 or IPv6 address or CIDR block (e.g. 10.0.0.0/8, 2001:db8::/32)' };
  const bytes = addressBytes(addressText);
  const maximum = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefix: maximum };
  if (!/^\d{1,3}$/.test(prefixText)) return { problem: 'has a prefix length that is not a number' };
  // A mapped block (::ffff:10.0.0.0/104) is the IPv4 block of the prefix minus the 96 bits of the mapping.
  const offset = mapped ? 96 : 0;
  const prefix = Number(prefixText) - offset;
  if (prefix < 0 || prefix > maximum) return { problem: `has a prefix length outside ${offset}..${maximum + offset}` };
  return { bytes, prefix };
}
