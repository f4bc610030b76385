import assert from 'node:assert/strict';
import { BlockList, isIP } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseCidr, SourceAddress } from '../../../src/governance/policy/source-address.ts';

describe('CIDR matching agrees with node:net BlockList', () => {
  it('on random IPv4 and IPv6 addresses and blocks', () => {
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
    const ipv6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).chain((groups) =>
      fc.nat(7).map((cut) => {
        const hex = groups.map((group) => group.toString(16));
        // Sometimes compress a run of zeros with '::', sometimes write an IPv4 tail.
        if (cut === 0) return `${hex.slice(0, 6).join(':')}:${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
        if (cut < 4) return `${hex.slice(0, cut).join(':')}::${hex.slice(cut + 2).join(':')}`.replace(/^::$/, '::');
        return hex.join(':');
      }),
    );
    const nearby = (address: string, family: 'ipv4' | 'ipv6') => fc.tuple(fc.constant(address), fc.nat(family === 'ipv4' ? 32 : 128));
    fc.assert(
      fc.property(
        fc.oneof(ipv4.map((address) => ['ipv4', address] as const), ipv6.map((address) => ['ipv6', address] as const)).chain(([family, address]) =>
          fc.tuple(fc.constant(family), nearby(address, family), family === 'ipv4' ? ipv4 : ipv6),
        ),
        ([family, [blockAddress, prefix], candidate]) => {
          if (isIP(blockAddress) === 0 || isIP(candidate) === 0) return;
          const list = new BlockList();
          list.addSubnet(blockAddress, prefix, family);
          const block = parseCidr(`${blockAddress}/${prefix}`);
          assert.ok(!('problem' in block));
          const source = SourceAddress.parse(candidate);
          assert.ok(source !== undefined);
          assert.equal(source.isInAny([block]), list.check(candidate, family), `${candidate} in ${blockAddress}/${prefix}`);
          // The block's own address is always inside it.
          assert.equal(SourceAddress.parse(blockAddress)?.isInAny([block]), true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
