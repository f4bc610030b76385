// The Huawei Cloud mock (IAM 5.0 STS AssumeAgency, IAM's project list, FunctionGraph synchronous invocation) through
// the vendor's own code: the real FunctionGraph SDK client for invocations, and for STS and IAM (no npm SDK) requests
// signed by @huaweicloud/huaweicloud-sdk-core's SDK-HMAC-SHA256 signer, as lakefn sends them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js';
import { FunctionGraphClient } from '@huaweicloud/huaweicloud-sdk-functiongraph/v2/FunctionGraphClient.js';
import { InvokeFunctionRequest } from '@huaweicloud/huaweicloud-sdk-functiongraph/v2/model/InvokeFunctionRequest.js';
import { signHuaweiRequest } from '../../providers/huawei-functiongraph/huawei-functiongraph-http-invoke.ts';
import { keysOf, type Keys } from './sdk-clients.ts';
import { BATCH, EXTERNAL_ID, gate, payloadOfSize, roleArn, startTestCloud, until, type TestCloud } from './mock-test-fixture.ts';

interface HuaweiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown>;
}

describe('mock cloud: Huawei Cloud IAM 5.0 STS + FunctionGraph with the vendor signer and SDK', () => {
  let test: TestCloud;
  let broker: Keys;
  let assumed: Keys;
  let origin: URL;
  let projectId: string;

  /** One signed request to the mock (STS, IAM or FunctionGraph), read as JSON. */
  const send = async (keys: Keys, method: 'GET' | 'POST', path: string, body?: unknown, options: { headers?: Record<string, string>; projectId?: string; clockOffsetMs?: number } = {}): Promise<HuaweiAnswer> => {
    const bytes = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const signed = signHuaweiRequest(
      { method, origin, path, headers: { 'Content-Type': 'application/json', ...options.headers }, body: bytes, clockOffsetMs: options.clockOffsetMs ?? 0 },
      { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, securityToken: keys.sessionToken, projectId: options.projectId },
    );
    const response = await fetch(new URL(path, origin), { method, headers: signed, ...(bytes === undefined ? {} : { body: bytes }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };
  const assumeAgency = async (keys: Keys, agencyUrn: string, externalId?: string, durationSeconds = 3600): Promise<HuaweiAnswer> =>
    send(keys, 'POST', '/v5/agencies/assume', { agency_urn: agencyUrn, agency_session_name: 'lakefn-1', duration_seconds: durationSeconds, ...(externalId === undefined ? {} : { external_id: externalId }) });
  const credentialsOf = (answer: HuaweiAnswer): Keys => {
    const credentials = answer.json['credentials'] as { access_key_id: string; secret_access_key: string; security_token: string };
    return { accessKeyId: credentials.access_key_id, secretAccessKey: credentials.secret_access_key, sessionToken: credentials.security_token };
  };
  const urnOf = (name: string, qualifier = 'latest', region = test.region, project = projectId) => `urn:fss:${region}:${project}:function:default:${name}:${qualifier}`;
  const invoke = (keys: Keys, name: string, event: unknown, options: { qualifier?: string; project?: string; clockOffsetMs?: number } = {}) =>
    send(keys, 'POST', `/v2/${options.project ?? projectId}/fgs/functions/${urnOf(name, options.qualifier, test.region, options.project)}/invocations`, event, {
      headers: { 'X-CFF-Request-Version': 'v1' },
      projectId: options.project ?? projectId,
      ...(options.clockOffsetMs === undefined ? {} : { clockOffsetMs: options.clockOffsetMs }),
    });
  const expectError = (answer: HuaweiAnswer, status: number, code: string): void => {
    assert.equal(answer.status, status, JSON.stringify(answer.json));
    assert.equal(answer.json['error_code'], code, JSON.stringify(answer.json));
    assert.ok(answer.headers.get('x-request-id'), 'every error carries X-Request-Id');
  };

  before(async () => {
    test = await startTestCloud('huawei');
    origin = new URL(test.cloud.endpoints.huawei.functiongraph);
    broker = keysOf(test.cloud.brokerAccounts.huawei);
    const answer = await assumeAgency(broker, test.roleArn, EXTERNAL_ID);
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assumed = credentialsOf(answer);
    const projects = await send(assumed, 'GET', '/v3/auth/projects');
    const project = (projects.json['projects'] as { id: string; name: string }[]).find((candidate) => candidate.name === test.region);
    projectId = project?.id ?? assert.fail('no project for the region');
  });
  after(async () => {
    await test.cloud.stop();
  });

  it('AssumeAgency with the external ID returns credentials that list the projects and invoke functions of the agency account', async () => {
    const answer = await assumeAgency(broker, test.roleArn, EXTERNAL_ID, 900);
    assert.equal(answer.status, 200);
    const credentials = answer.json['credentials'] as { expiration: string; security_token: string };
    assert.equal(Date.parse(credentials.expiration), Math.floor((test.clock.now() + 900_000) / 1000) * 1000);
    assert.ok(credentials.security_token.length > 100);
    assert.match(String((answer.json['assumed_agency'] as { urn: string }).urn), /^sts::\d+::assumed-agency:lakefn\/lakefn-1$/);
    assert.match(projectId, /^[A-Za-z0-9]{32}$/);
    const result = await invoke(assumed, 'upper', BATCH);
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('x-is-func-err'), 'false');
    assert.deepEqual(JSON.parse(String(result.json['result'])), { results: ['A', null, 'C'] });
    const call = test.cloud.calls().at(-1);
    assert.equal(call?.api, 'functiongraph:InvokeFunction');
    assert.equal(call?.region, test.region);
    assert.equal(call?.batchId, 'q1:upper:0');
    assert.equal(call?.accessKeyId, assumed.accessKeyId);
  });

  it("the FunctionGraph SDK's own client invokes through the mock (its signer, its request shape)", async () => {
    const credentials = new BasicCredentials().withAk(assumed.accessKeyId).withSk(assumed.secretAccessKey).withSecurityToken(assumed.sessionToken ?? '').withProjectId(projectId);
    const client = FunctionGraphClient.newBuilder().withCredential(credentials).withEndpoint(origin.origin).build();
    const request = new InvokeFunctionRequest(urnOf('upper'), 'application/json').withXCFFRequestVersion('v1').withBody(BATCH as unknown as Record<string, object>);
    const response = (await client.invokeFunction(request)) as unknown as { result?: string; httpStatusCode?: number };
    assert.deepEqual(JSON.parse(response.result ?? ''), { results: ['A', null, 'C'] });
    const call = test.cloud.calls().at(-1);
    assert.deepEqual([call?.api, call?.accessKeyId, call?.errorCode], ['functiongraph:InvokeFunction', assumed.accessKeyId, undefined]);
  });

  it('refuses AssumeAgency without, or with the wrong, external ID, from an untrusted account, for a missing agency', async () => {
    expectError(await assumeAgency(broker, test.roleArn), 403, 'STS5.0001');
    expectError(await assumeAgency(broker, test.roleArn, 'lakefn-wrong-external-id'), 403, 'STS5.0001');
    expectError(await assumeAgency(keysOf(test.cloud.addAccount('huawei')), test.roleArn, EXTERNAL_ID), 403, 'STS5.0001');
    expectError(await assumeAgency(broker, roleArn('huawei', test.customerAccountId, 'missing'), EXTERNAL_ID), 404, 'STS5.1106');
    assert.notEqual((await assumeAgency(broker, test.roleArn, EXTERNAL_ID, 50_000)).status, 200, 'a duration above the maximum');
  });

  it('lets the trusted account in without an external ID when the trust policy has no condition', async () => {
    const answer = await assumeAgency(broker, test.insecureRoleArn);
    assert.equal(answer.status, 200);
    assert.equal((await invoke(credentialsOf(answer), 'upper', BATCH)).status, 200);
  });

  it('rejects a wrong secret, an unknown key and a forged token with the gateway code', async () => {
    expectError(await assumeAgency({ ...broker, secretAccessKey: 'x'.repeat(40) }, test.roleArn, EXTERNAL_ID), 401, 'APIGW.0301');
    expectError(await invoke({ ...assumed, secretAccessKey: 'x'.repeat(40) }, 'upper', BATCH), 401, 'APIGW.0301');
    expectError(await invoke({ accessKeyId: 'UNKNOWNKEY0000000000', secretAccessKey: 'x'.repeat(40) }, 'upper', BATCH), 401, 'APIGW.0301');
    expectError(await invoke({ ...assumed, sessionToken: 'forged' }, 'upper', BATCH), 401, 'APIGW.0301');
  });

  it('refuses temporary credentials once they expire on the mock clock', async () => {
    const keys = credentialsOf(await assumeAgency(broker, test.roleArn, EXTERNAL_ID, 900));
    assert.equal((await invoke(keys, 'upper', BATCH)).status, 200);
    test.clock.advance(900_000);
    try {
      expectError(await invoke(keys, 'upper', BATCH, { clockOffsetMs: 900_000 }), 401, 'APIGW.0301');
    } finally {
      test.clock.advance(-900_000);
    }
  });

  it('rejects an X-Sdk-Date more than 15 minutes from the mock clock, with its own Date header', async () => {
    test.clock.advance(16 * 60_000);
    try {
      const refused = await invoke(assumed, 'upper', BATCH);
      expectError(refused, 401, 'APIGW.0301');
      assert.ok(Math.abs(Date.parse(refused.headers.get('date') ?? '') - (Date.now() + 16 * 60_000)) < 5000, 'the Date header is the mock clock');
      // signed at the mock's time, the same request is accepted
      assert.equal((await invoke(assumed, 'upper', BATCH, { clockOffsetMs: 16 * 60_000 })).status, 200);
    } finally {
      test.clock.advance(-16 * 60_000);
    }
  });

  it("finds functions by the credentials' account, the project's region, the package, the qualifier", async () => {
    expectError(await invoke(assumed, 'nope', BATCH), 404, 'FSS.1051');
    expectError(await invoke(assumed, 'upper', BATCH, { qualifier: 'staging' }), 404, 'FSS.1052');
    expectError(await invoke(assumed, 'upper', BATCH, { qualifier: '!missing' }), 404, 'FSS.1053');
    assert.equal((await invoke(assumed, 'upper', BATCH, { qualifier: 'prod' })).status, 200);
    // another account's project is not the caller's
    const stranger = keysOf(test.cloud.addAccount('huawei'));
    assert.notEqual((await invoke(stranger, 'upper', BATCH)).status, 200);
  });

  it('reports a throwing function as HTTP 200 with X-Is-Func-Err and the error object as result', async () => {
    const result = await invoke(assumed, 'fail_on', { ...BATCH, rows: [['fail']] });
    assert.equal(result.status, 200);
    assert.equal(result.headers.get('x-is-func-err'), 'true');
    assert.equal((JSON.parse(String(result.json['result'])) as { errorMessage: string }).errorMessage, "fail_on: row 0 has the value 'fail'");
  });

  it('enforces the 6 MB request limit and JSON events', async () => {
    assert.equal((await invoke(assumed, 'sink', payloadOfSize(6_291_456))).status, 200);
    expectError(await invoke(assumed, 'sink', payloadOfSize(6_291_457)), 413, 'FSS.0413');
    expectError(await invoke(assumed, 'sink', Buffer.from('not json')), 400, 'FSS.0400');
  });

  it('throttles exactly the calls above the concurrency limit with 429 FSS.0429', async () => {
    const held = gate();
    test.cloud.putFunction({
      provider: 'huawei',
      accountId: test.customerAccountId,
      region: test.region,
      namespace: 'default',
      name: 'limited',
      concurrency: 2,
      handler: async () => {
        await held.opened;
        return { results: ['ok'] };
      },
    });
    const calls = [1, 2, 3].map(() => invoke(assumed, 'limited', { lakefn: 1, rows: [['x']] }));
    await until(() => test.cloud.calls().some((call) => call.function === 'limited'), 'the throttled call');
    held.open();
    const statuses = (await Promise.all(calls)).map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [200, 200, 429]);
  });

  describe('fault injection', () => {
    const invokeWith = async (fault: object) => {
      test.cloud.putFaults({ provider: 'huawei', function: 'upper', plan: [{ on: 1, ...(fault as { fault: 'throttle' }) }] });
      return invoke(assumed, 'upper', BATCH);
    };

    it('throttle: 429 FSS.0429', async () => {
      expectError(await invokeWith({ fault: 'throttle' }), 429, 'FSS.0429');
    });

    it('5xx: FSS.05xx with the status', async () => {
      expectError(await invokeWith({ fault: '5xx' }), 500, 'FSS.0500');
      expectError(await invokeWith({ fault: '5xx', status: 503 }), 503, 'FSS.0503');
    });

    it('malformed, wrong_row_count, function_error, too_large, reply_too_large, slow', async () => {
      const malformed = await invokeWith({ fault: 'malformed' });
      assert.throws(() => JSON.parse(String(malformed.json['result'])) as unknown, SyntaxError);
      assert.deepEqual(JSON.parse(String((await invokeWith({ fault: 'wrong_row_count' })).json['result'])), { results: ['A', null] });
      const failed = await invokeWith({ fault: 'function_error' });
      assert.equal(failed.headers.get('x-is-func-err'), 'true');
      expectError(await invokeWith({ fault: 'too_large' }), 413, 'FSS.0413');
      const tooLarge = await invokeWith({ fault: 'reply_too_large' });
      assert.equal(tooLarge.headers.get('x-is-func-err'), 'true');
      assert.equal((JSON.parse(String(tooLarge.json['result'])) as { errorType: string }).errorType, 'FunctionResponseTooLarge');
      assert.deepEqual(JSON.parse(String((await invokeWith({ fault: 'slow', delayMs: 50 })).json['result'])), { results: ['A', null, 'C'] });
    });
  });
});
