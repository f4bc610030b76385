// Issue 13 §4: the mock as strict as the clouds, seen through lakefn's adapters (both invoke transports): a qualifier
// that is not published is the service's not-found error; FC requests sent to a production-style Host must name the
// caller's account (<account>.<region>.fc.aliyuncs.com). Also the mock's admin API for the clock and STS regions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'undici';
import aliyunFc from '../../providers/aliyun-fc/index.ts';
import { createAliyunFcHttpInvoke } from '../../providers/aliyun-fc/aliyun-fc-http-invoke.ts';
import type { AliyunFcBinding } from '../../providers/aliyun-fc/aliyun-fc-adapter.ts';
import { createCredentialBroker } from '../../src/credentials/index.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { ClockOffsets, type InvokeTransport, type UndiciPoolCache } from '../../src/provider-utils/index.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import type { TemporaryCredentials } from '../../src/spec/index.ts';
import { type MockCloudContext, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';

const payload = new TextEncoder().encode(JSON.stringify({ lakefn: 1, batch_id: 'q:f:0', rows: [['a']] }));

function isCode(code: string, providerCode?: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, code, error.message);
    if (providerCode !== undefined) assert.equal(error.provider?.code, providerCode, error.message);
    return true;
  };
}

for (const transport of ['http', 'sdk'] as const satisfies readonly InvokeTransport[]) {
  describe(`strict qualifiers, ${transport} transport`, () => {
    let mock: MockCloudContext;
    before(async () => {
      mock = await startMockCloud({}, transport);
    });
    after(async () => {
      await stopMockCloud(mock);
    });

    for (const provider of PROVIDER_NAMES) {
      it(`${provider}: the latest and published qualifiers run; any other is the service's not-found error`, async () => {
        const fixture = mock.fixtures[provider];
        fixture.putFunction('versioned', { builtin: 'upper', qualifiers: ['prod', '3'] });
        const broker = createCredentialBroker({ adapterFor: (name) => mock.registry.adapterFor(name), environment: mock.environment });
        try {
          const credentials = await broker.credentialsFor(fixture.connection)();
          const invoke = (qualifier: string | undefined) =>
            fixture.adapter.doInvoke({ credentials, binding: fixture.binding, functionName: 'versioned', ...(qualifier === undefined ? {} : { qualifier }), payload, timeoutMs: 10_000 });
          for (const qualifier of [undefined, fixture.capabilities.latestQualifier, 'prod', '3']) {
            const result = await invoke(qualifier);
            assert.deepEqual(JSON.parse(Buffer.from(result.payload).toString('utf8')), { results: ['A'] }, String(qualifier));
          }
          // the service's own code, as the provider's fixture states it
          const { named, numbered } = fixture.capabilities.missingQualifier;
          await assert.rejects(invoke('staging'), isCode('E_FUNCTION_NOT_FOUND', named));
          await assert.rejects(invoke('7'), isCode('E_FUNCTION_NOT_FOUND', numbered));
        } finally {
          broker.close();
        }
      });
    }
  });
}

describe('FC requests checked against the production Host', () => {
  let mock: MockCloudContext;
  let credentials: TemporaryCredentials;
  let pool: Pool;
  let broker: ReturnType<typeof createCredentialBroker>;
  before(async () => {
    mock = await startMockCloud();
    mock.fixtures.aliyun.putFunction('hosted', { builtin: 'upper' });
    broker = createCredentialBroker({ adapterFor: (name) => mock.registry.adapterFor(name), environment: mock.environment });
    credentials = await broker.credentialsFor(mock.fixtures.aliyun.connection)();
    pool = new Pool(mock.cloud.endpoints.aliyun.fc);
  });
  after(async () => {
    broker.close();
    await pool.close();
    await stopMockCloud(mock);
  });

  /** lakefn's FC transport sending `Host: <host>` (the production endpoint's name) to the mock on loopback. */
  const invokeAt = (host: string) => {
    const pools: UndiciPoolCache = { poolFor: () => pool, close: async () => undefined };
    const invoke = createAliyunFcHttpInvoke({ definition: aliyunFc, pools, clock: new ClockOffsets() });
    const binding: AliyunFcBinding = { ...(mock.fixtures.aliyun.binding as AliyunFcBinding), endpoints: { sts: new URL(`https://${host}`), invoke: new URL(`https://${host}`) } };
    return invoke({ credentials, binding, functionName: 'hosted', payload, timeoutMs: 10_000 });
  };

  it('<account>.<region>.fc.aliyuncs.com of the caller account runs the function of that region', async () => {
    const fixture = mock.fixtures.aliyun;
    const result = await invokeAt(`${fixture.accountId}.${fixture.region}.fc.aliyuncs.com`);
    assert.deepEqual(JSON.parse(Buffer.from(result.payload).toString('utf8')), { results: ['A'] });
    assert.equal(mock.cloud.calls().at(-1)?.region, fixture.region);
  });

  it('another account in the Host is AccessDenied; another region has no such function; fc.aliyuncs.com is no FC 3.0 endpoint', async () => {
    const fixture = mock.fixtures.aliyun;
    await assert.rejects(invokeAt(`1999999999999999.${fixture.region}.fc.aliyuncs.com`), isCode('E_AUTH', 'AccessDenied'));
    await assert.rejects(invokeAt(`${fixture.accountId}.cn-beijing.fc.aliyuncs.com`), isCode('E_FUNCTION_NOT_FOUND', 'FunctionNotFound'));
    await assert.rejects(invokeAt('fc.aliyuncs.com'), isCode('E_PROVIDER_CALL', 'InvalidArgument'));
    await assert.rejects(invokeAt(`${fixture.region}.fc.aliyuncs.com`), isCode('E_PROVIDER_CALL', 'InvalidArgument'));
  });
});

describe('mock admin API: clock and STS regions', () => {
  let mock: MockCloudContext;
  before(async () => {
    mock = await startMockCloud();
  });
  after(async () => {
    await stopMockCloud(mock);
  });

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${mock.cloud.adminUrl}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('PUT /clock skews every service (their Date too); GET /clock reads it; bad offsets are 400', async () => {
    assert.deepEqual(await admin('PUT', '/clock', { offset_ms: 20 * 60_000 }), { status: 200, body: { ok: true, offset_ms: 1_200_000 } });
    assert.deepEqual((await admin('GET', '/clock')).body, { offset_ms: 1_200_000 });
    const answer = await fetch(`${mock.cloud.endpoints.aws.lambda}/2015-03-31/functions/x/invocations`, { method: 'POST', body: '{}' });
    const skew = Date.parse(answer.headers.get('date') ?? '') - Date.now();
    assert.ok(Math.abs(skew - 1_200_000) < 5000, `the Date header is 20 minutes ahead: ${skew} ms`);
    await answer.arrayBuffer();
    assert.equal((await admin('PUT', '/clock', { offset_ms: 1.5 })).status, 400);
    assert.equal((await admin('PUT', '/clock', {})).status, 400);
    assert.equal((await admin('PUT', '/clock', { offset_ms: 0 })).status, 200);
    assert.equal(mock.cloud.clockOffsetMs, 0);
  });

  it('PUT /sts-regions deactivates and activates a provider STS region', async () => {
    assert.deepEqual(await admin('PUT', '/sts-regions', { provider: 'aws', region: 'eu-west-1', enabled: false }), { status: 200, body: { ok: true } });
    assert.deepEqual(await admin('PUT', '/sts-regions', { provider: 'aws', region: 'eu-west-1', enabled: true }), { status: 200, body: { ok: true } });
    assert.equal((await admin('PUT', '/sts-regions', { provider: 'nope', region: 'x', enabled: false })).status, 400);
  });

  it('PUT /functions takes throttle_report and qualifiers; PUT /faults takes reply_too_large', async () => {
    const function_ = { provider: 'tencent', account_id: mock.fixtures.tencent.accountId, region: 'ap-guangzhou', name: 'admin_strict', builtin: 'upper', throttle_report: 'function_error', qualifiers: ['prod'] };
    assert.equal((await admin('PUT', '/functions', function_)).status, 200);
    assert.equal((await admin('PUT', '/functions', { ...function_, throttle_report: 'carrier_pigeon' })).status, 400);
    assert.equal((await admin('PUT', '/faults', { provider: 'tencent', function: 'admin_strict', plan: [{ fault: 'reply_too_large', on: 1 }] })).status, 200);
  });
});
