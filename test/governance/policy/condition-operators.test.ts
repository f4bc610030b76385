import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authorize,
  connectionResource,
  functionResource,
  type ActionName,
  type RequestContext,
  type ResourceName,
} from '../../../src/governance/policy/index.ts';
import { attached, input, policy } from './policy-helpers.ts';

/** Whether a single Allow statement with `condition` lets the API layer (step 5) pass for the request. */
function apiAllows(condition: Record<string, unknown>, context: RequestContext, options: { action?: ActionName; resource?: ResourceName; principal?: string } = {}): boolean {
  const action = options.action ?? 'lakefn:DescribeConnection';
  const compiled = policy('conditional', { Effect: 'Allow', Action: action, Resource: '*', Condition: condition });
  const decision = authorize(
    input({ action, resource: options.resource ?? connectionResource('prod', 'orders'), context }, {
      principal: { name: options.principal ?? 'alice', superAdministrator: false },
      policies: [attached(compiled)],
    }),
    { explain: true },
  );
  const step = decision.steps.find((candidate) => candidate.step === 'api_layer');
  assert.ok(step !== undefined && (step.outcome === 'pass' || step.outcome === 'deny'));
  return step.outcome === 'pass';
}

describe('condition operators', () => {
  it('StringEquals: equal passes, different or absent fails, values OR-ed', () => {
    const condition = { StringEquals: { 'lakefn:Provider': ['aws', 'tencent'] } };
    assert.equal(apiAllows(condition, { 'lakefn:Provider': 'aws' }), true);
    assert.equal(apiAllows(condition, { 'lakefn:Provider': 'tencent' }), true);
    assert.equal(apiAllows(condition, { 'lakefn:Provider': 'aliyun' }), false);
    assert.equal(apiAllows(condition, {}), false, 'absent key: false');
    assert.equal(apiAllows({ StringEquals: { 'lakefn:Region': 'cn-shanghai' } }, { 'lakefn:Region': 'CN-SHANGHAI' }), false, 'case-sensitive');
  });

  it('StringNotEquals: NOR of the values, true when absent (IAM)', () => {
    const condition = { StringNotEquals: { 'lakefn:Provider': ['aws', 'tencent'] } };
    assert.equal(apiAllows(condition, { 'lakefn:Provider': 'aliyun' }), true);
    assert.equal(apiAllows(condition, { 'lakefn:Provider': 'tencent' }), false);
    assert.equal(apiAllows(condition, {}), true, 'absent key: true');
  });

  it('StringLike and StringNotLike with * and ?', () => {
    assert.equal(apiAllows({ StringLike: { 'lakefn:PrincipalName': 'etl_*' } }, {}, { principal: 'etl_nightly' }), true);
    assert.equal(apiAllows({ StringLike: { 'lakefn:PrincipalName': 'etl_*' } }, {}, { principal: 'alice' }), false);
    assert.equal(apiAllows({ StringLike: { 'lakefn:ConnectionName': 'ord?rs' } }, {}), true, 'derived from the connection resource');
    assert.equal(apiAllows({ StringLike: { 'lakefn:Project': 'dev*' } }, {}), false);
    assert.equal(apiAllows({ StringNotLike: { 'lakefn:Project': 'dev*' } }, {}), true);
    assert.equal(apiAllows({ StringNotLike: { 'lakefn:Project': ['dev*', 'pr*'] } }, {}), false);
    const functionRequest = { action: 'lakefn:DescribeFunction' as const, resource: functionResource('prod', 'upper') };
    assert.equal(apiAllows({ StringNotLike: { 'lakefn:ConnectionName': 'tmp_*' } }, {}, functionRequest), true, 'absent key: true');
    assert.equal(apiAllows({ StringLike: { 'lakefn:ConnectionName': '*' } }, {}, functionRequest), false, 'absent key: false even for *');
    assert.equal(apiAllows({ StringLike: { 'lakefn:ConnectionName': 'fc_*' } }, { 'lakefn:ConnectionName': 'fc_conn' }, functionRequest), true);
  });

  it('IpAddress and NotIpAddress over IPv4 and IPv6 CIDR blocks', () => {
    const blocks = { 'lakefn:SourceIp': ['10.0.0.0/8', '2001:db8::/32', '192.168.1.10'] };
    const inside = ['10.1.2.3', '2001:db8:1::5', '2001:DB8::', '192.168.1.10', '::ffff:10.9.9.9'];
    const outside = ['11.0.0.1', '2001:db9::1', '192.168.1.11', '::1', '::ffff:11.0.0.1'];
    for (const address of inside) {
      assert.equal(apiAllows({ IpAddress: blocks }, { 'lakefn:SourceIp': address }), true, address);
      assert.equal(apiAllows({ NotIpAddress: blocks }, { 'lakefn:SourceIp': address }), false, address);
    }
    for (const address of outside) {
      assert.equal(apiAllows({ IpAddress: blocks }, { 'lakefn:SourceIp': address }), false, address);
      assert.equal(apiAllows({ NotIpAddress: blocks }, { 'lakefn:SourceIp': address }), true, address);
    }
    assert.equal(apiAllows({ IpAddress: blocks }, {}), false, 'absent: false');
    assert.equal(apiAllows({ NotIpAddress: blocks }, {}), true, 'absent: true (so a Deny with NotIpAddress also denies the local CLI)');
    assert.equal(apiAllows({ IpAddress: { 'lakefn:SourceIp': '::ffff:10.0.0.0/104' } }, { 'lakefn:SourceIp': '10.2.3.4' }), true, 'an IPv4-mapped block is an IPv4 block');
    assert.equal(apiAllows({ IpAddress: { 'lakefn:SourceIp': '0.0.0.0/0' } }, { 'lakefn:SourceIp': '2001:db8::1' }), false, 'an IPv4 block never holds an IPv6 address');
  });

  it('DateLessThan and DateGreaterThan, with zones, dates and epoch seconds', () => {
    const at = (iso: string): RequestContext => ({ 'lakefn:CurrentTime': new Date(iso) });
    const window = { DateGreaterThan: { 'lakefn:CurrentTime': '2026-01-01T08:00:00+08:00' }, DateLessThan: { 'lakefn:CurrentTime': '2026-01-02' } };
    assert.equal(apiAllows(window, at('2026-01-01T12:00:00Z')), true);
    assert.equal(apiAllows(window, at('2026-01-01T00:00:00Z')), false, 'equal to the start: not after it');
    assert.equal(apiAllows(window, at('2025-12-31T23:59:59Z')), false);
    assert.equal(apiAllows(window, at('2026-01-02T00:00:00Z')), false, 'equal to the end: not before it');
    assert.equal(apiAllows({ DateLessThan: { 'lakefn:CurrentTime': 1767225600 } }, { 'lakefn:CurrentTime': Date.UTC(2025, 11, 31, 23, 59) }), true, 'epoch seconds');
    assert.equal(apiAllows({ DateLessThan: { 'lakefn:CurrentTime': '1767225600' } }, { 'lakefn:CurrentTime': Date.UTC(2026, 0, 1, 0, 1) }), false);
    assert.equal(apiAllows({ DateGreaterThan: { 'lakefn:CurrentTime': '2000-01-01' } }, {}), true, 'CurrentTime defaults to now');
    assert.equal(apiAllows({ DateLessThan: { 'lakefn:CurrentTime': ['2000-01-01', '9999-01-01'] } }, {}), true, 'values OR-ed');
    assert.equal(apiAllows({ DateLessThan: { 'lakefn:CurrentTime': '2026-01-01T00:00:00.500Z' } }, { 'lakefn:CurrentTime': Date.UTC(2026, 0, 1, 0, 0, 0, 499) }), true, 'fractions count');
  });

  it('Bool on lakefn:ViaPackage', () => {
    const invoke = { action: 'lakefn:InvokeFunction' as const, resource: functionResource('shared_udfs', 'sentiment') };
    assert.equal(apiAllows({ Bool: { 'lakefn:ViaPackage': true } }, { 'lakefn:ViaPackage': true }, invoke), true);
    assert.equal(apiAllows({ Bool: { 'lakefn:ViaPackage': 'true' } }, { 'lakefn:ViaPackage': false }, invoke), false);
    assert.equal(apiAllows({ Bool: { 'lakefn:ViaPackage': 'false' } }, { 'lakefn:ViaPackage': false }, invoke), true);
    assert.equal(apiAllows({ Bool: { 'lakefn:ViaPackage': false } }, {}, invoke), false, 'absent: false');
  });

  it('ANDs keys and operators', () => {
    const condition = { StringEquals: { 'lakefn:Provider': 'aws', 'lakefn:Region': 'us-east-1' }, IpAddress: { 'lakefn:SourceIp': '10.0.0.0/8' } };
    assert.equal(apiAllows(condition, { 'lakefn:Provider': 'aws', 'lakefn:Region': 'us-east-1', 'lakefn:SourceIp': '10.0.0.1' }), true);
    assert.equal(apiAllows(condition, { 'lakefn:Provider': 'aws', 'lakefn:Region': 'eu-west-1', 'lakefn:SourceIp': '10.0.0.1' }), false);
    assert.equal(apiAllows(condition, { 'lakefn:Provider': 'aws', 'lakefn:Region': 'us-east-1', 'lakefn:SourceIp': '12.0.0.1' }), false);
  });

  it('treats a key the action does not support as absent, whatever the context says', () => {
    const compiled = policy('mixed', { Effect: 'Allow', Action: ['lakefn:CreateUser', 'lakefn:CreateConnection'], Resource: '*', Condition: { StringEquals: { 'lakefn:Provider': 'aws' } } });
    const decide = (action: 'lakefn:CreateUser' | 'lakefn:CreateConnection') =>
      authorize(
        input({ action, resource: action === 'lakefn:CreateUser' ? undefined : connectionResource('prod', 'c'), context: { 'lakefn:Provider': 'aws' } }, {
          policies: [attached(compiled)],
          objectPrivilege: { allowed: true, grant: 'admin' },
        }),
      );
    assert.equal(decide('lakefn:CreateConnection').allowed, true);
    assert.equal(decide('lakefn:CreateUser').allowed, false);
    assert.equal(decide('lakefn:CreateUser').deniedAt, 'api_layer');
  });
});
