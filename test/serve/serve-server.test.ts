import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { startServeServer, type ServeServer } from '../../src/serve/create-serve-server.ts';
import type { UdfHook } from '../../src/udf/udf-hook.ts';
import { FakeAdapter } from '../dispatcher/helpers/fake-adapter.ts';
import { createTestDispatcher, makeFunction, stringRows, upperHandler } from '../dispatcher/helpers/dispatcher-fixture.ts';
import { fakeUdfHook, functionRecord } from '../udf/fake-udf-hook.ts';

const VARCHAR = { kind: 'VARCHAR' } as const;
/** Every route but /healthz is authenticated: these tests present LAKEFN_SERVE_TOKEN (the bootstrap super administrator). */
const TOKEN = 'Kp2x9Qv7Lm4Zr8Tw1Ny6Hb3Jd5Fs0Gc';
const AUTH = { authorization: `Bearer ${TOKEN}` } as const;
const BIGINT = { kind: 'BIGINT' } as const;

const functions = [
  functionRecord('upper_fn', [VARCHAR], VARCHAR),
  functionRecord('add_big', [BIGINT, BIGINT], BIGINT),
  functionRecord('fail_fn', [VARCHAR], VARCHAR),
  functionRecord('throttled_fn', [VARCHAR], VARCHAR),
  functionRecord('late_fn', [VARCHAR], VARCHAR),
  functionRecord('slow_fn', [VARCHAR], VARCHAR),
];

function createHook() {
  return fakeUdfHook(functions, {
    upper_fn: ([value]) => (typeof value === 'string' ? value.toUpperCase() : null),
    add_big: ([left, right]) => (left as bigint) + (right as bigint),
    fail_fn: () => {
      throw new LakefnError('E_REMOTE_FUNCTION_ERROR', 'function fail_fn failed: boom', { location: { function: 'fail_fn', batchId: 'q:fail_fn:0' } });
    },
    throttled_fn: () => {
      throw new LakefnError('E_THROTTLED', 'provider throttled', { retryAfterSeconds: 2 });
    },
    late_fn: () => {
      throw new LakefnError('E_DEADLINE_EXCEEDED', 'deadline passed');
    },
    slow_fn: ([value]) => value,
  });
}

interface ErrorJson {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly location?: { readonly row?: number; readonly batchId?: string };
}

/** The typed error of a v1 error reply. */
function errorOf(text: string): ErrorJson {
  return (JSON.parse(text) as { error: ErrorJson }).error;
}

function jsonOf(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

async function post(server: ServeServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...AUTH, ...headers } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('lakefn serve: routes and formats', () => {
  const hook = createHook();
  let server: ServeServer;
  before(async () => {
    server = await startServeServer({ hook, maxBodyBytes: 4096, token: TOKEN });
  });
  after(async () => {
    await server.close();
  });

  it('evaluates rows and passes query id and user', async () => {
    const response = await post(server, '/v1/functions/upper_fn/evaluate', { rows: [['a'], [null], ['c']], query_id: 'q1', user: 'alice' });
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.text), { results: ['A', null, 'C'] });
    const call = hook.calls.at(-1);
    assert.equal(call?.context?.queryId, 'q1');
    assert.equal(call?.context?.user, 'alice');
  });

  it('keeps BIGINT exact both ways (numbers or strings in, strings beyond 2^53 out)', async () => {
    const response = await post(server, '/v1/functions/add_big/evaluate', '{"rows": [[9007199254740993, 1], ["-5", 2], [1, 2]]}');
    assert.equal(response.status, 200);
    assert.equal(response.text, '{"results":["9007199254740994",-3,3]}');
    assert.deepEqual(hook.calls.at(-1)?.rows, [[9007199254740993n, 1n], [-5n, 2n], [1n, 2n]]);
  });

  it('answers 400 for malformed JSON, a wrong row shape or a value of the wrong type', async () => {
    const malformed = await post(server, '/v1/functions/upper_fn/evaluate', '{"rows": [');
    assert.equal(malformed.status, 400);
    assert.equal(errorOf(malformed.text).code, 'E_INVALID_ARGUMENT');
    const arity = await post(server, '/v1/functions/upper_fn/evaluate', { rows: [['a', 'b']] });
    assert.equal(arity.status, 400);
    assert.equal(errorOf(arity.text).code, 'E_BAD_ROW');
    const wrongType = await post(server, '/v1/functions/add_big/evaluate', { rows: [[1, 2], ['x', 3]] });
    assert.equal(wrongType.status, 400);
    const error = errorOf(wrongType.text);
    assert.equal(error.code, 'E_BAD_ROW');
    assert.equal(error.location?.row, 1);
    assert.equal(error.retryable, false);
  });

  it('answers 404 for an unknown function, route or format and 405 for a wrong method', async () => {
    const unknown = await post(server, '/v1/functions/nope/evaluate', { rows: [] });
    assert.equal(unknown.status, 404);
    assert.equal(errorOf(unknown.text).code, 'E_NO_SUCH_FUNCTION');
    assert.equal((await post(server, '/v2/whatever', {})).status, 404);
    assert.equal((await post(server, '/compat/oracle/upper_fn', {})).status, 404);
    assert.equal((await fetch(`${server.url}/v1/functions/upper_fn/evaluate`, { headers: AUTH })).status, 405);
  });

  it('maps function errors to 422, throttling to 503 + Retry-After, deadlines to 504', async () => {
    const failed = await post(server, '/v1/functions/fail_fn/evaluate', { rows: [['a']] });
    assert.equal(failed.status, 422);
    const error = errorOf(failed.text);
    assert.equal(error.code, 'E_REMOTE_FUNCTION_ERROR');
    assert.equal(error.retryable, false);
    assert.match(error.message, /boom/);
    assert.equal(error.location?.batchId, 'q:fail_fn:0');
    const throttled = await post(server, '/v1/functions/throttled_fn/evaluate', { rows: [['a']] });
    assert.equal(throttled.status, 503);
    assert.equal(throttled.headers.get('retry-after'), '2');
    assert.equal(errorOf(throttled.text).retryable, true);
    const late = await post(server, '/v1/functions/late_fn/evaluate', { rows: [['a']], timeout_ms: 1000 });
    assert.equal(late.status, 504);
    assert.equal(typeof hook.calls.at(-1)?.context?.deadline, 'number');
  });

  it('speaks the snowflake format (row numbers echoed, in any order)', async () => {
    const response = await post(server, '/compat/snowflake/upper_fn', { data: [[0, 'a'], [2, null], [1, 'z']] }, { 'sf-external-function-current-query-id': 'sfq' });
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.text), { data: [[0, 'A'], [2, null], [1, 'Z']] });
    assert.equal(hook.calls.at(-1)?.context?.queryId, 'sfq');
    const bad = await post(server, '/compat/snowflake/upper_fn', { data: [['x', 'a']] });
    assert.equal(bad.status, 400);
  });

  it('snowflake: refuses duplicate, negative or out-of-range row numbers with 400 (no row answered twice or lost)', async () => {
    const calls = hook.calls.length;
    const cases: [unknown[][], RegExp][] = [
      [[[0, 'a'], [1, 'b'], [1, 'c']], /^snowflake request: data\[2\]\[0\] repeats row number 1 of data\[1\]; each row number must appear once$/],
      [[[0, 'a'], [-1, 'b']], /^snowflake request: data\[1\]\[0\] is row number -1, outside 0\.\.1 \(the rows of a batch are numbered from 0\)$/],
      [[[0, 'a'], [2, 'b']], /^snowflake request: data\[1\]\[0\] is row number 2, outside 0\.\.1/],
      [[[0, 'a'], [1.5, 'b']], /^snowflake request: data\[1\]\[0\] must be the integer row number$/],
    ];
    for (const [data, message] of cases) {
      const response = await post(server, '/compat/snowflake/upper_fn', { data });
      assert.equal(response.status, 400, response.text);
      const error = errorOf(response.text);
      assert.equal(error.code, 'E_INVALID_ARGUMENT');
      assert.match(error.message, message);
    }
    const huge = await post(server, '/compat/snowflake/upper_fn', '{"data": [[0, "a"], [18446744073709551617, "b"]]}');
    assert.equal(huge.status, 400);
    assert.match(errorOf(huge.text).message, /is row number 18446744073709551617, outside 0\.\.1/);
    assert.equal(hook.calls.length, calls, 'no refused request reached the function');
  });

  it('answers 400 for a body that is not UTF-8, has a duplicate key or nests too deep, never altering it', async () => {
    const latin1 = await fetch(`${server.url}/v1/functions/upper_fn/evaluate`, { method: 'POST', headers: AUTH, body: Buffer.concat([Buffer.from('{"rows": [["caf'), Buffer.from([0xe9]), Buffer.from('"]]}')]) });
    assert.equal(latin1.status, 400);
    const notUtf8 = errorOf(await latin1.text());
    assert.equal(notUtf8.code, 'E_BAD_ROW');
    assert.equal(notUtf8.message, 'request body: not valid UTF-8 at byte offset 15; send the body as UTF-8');
    const duplicate = await post(server, '/v1/functions/upper_fn/evaluate', '{"rows": [["a"]], "rows": [["b"]]}');
    assert.equal(duplicate.status, 400);
    assert.deepEqual(errorOf(duplicate.text), {
      code: 'E_INVALID_ARGUMENT',
      message: 'request body: JSON object with the key "rows" twice (which value is meant is ambiguous), at character 18',
      retryable: false,
      data: { http_status: 400 },
    });
    const deep = await post(server, '/v1/functions/upper_fn/evaluate', `{"rows": [[${'['.repeat(1000)}${']'.repeat(1000)}]]}`);
    assert.equal(deep.status, 400);
    assert.match(errorOf(deep.text).message, /^request body: JSON nested deeper than 1000 levels of arrays and objects, at character \d+$/);
  });

  it('speaks the bigquery format, errors as errorMessage', async () => {
    const response = await post(server, '/compat/bigquery/upper_fn', { requestId: 'r1', caller: '//bigquery', sessionUser: 'bob@example.com', userDefinedContext: {}, calls: [['a'], ['b']] });
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.text), { replies: ['A', 'B'] });
    assert.equal(hook.calls.at(-1)?.context?.user, 'bob@example.com');
    assert.equal(hook.calls.at(-1)?.context?.queryId, 'r1');
    const failed = await post(server, '/compat/bigquery/fail_fn', { requestId: 'r2', calls: [['a']] });
    assert.equal(failed.status, 422);
    assert.match(String(jsonOf(failed.text).errorMessage), /E_REMOTE_FUNCTION_ERROR: .*boom/);
  });

  it('speaks the redshift format, errors as success:false', async () => {
    const body = { request_id: 'x', cluster: 'c', user: 'carol', database: 'dev', external_function: 'upper_fn', query_id: 42, num_records: 2, arguments: [['a'], [null]] };
    const response = await post(server, '/compat/redshift/upper_fn', body);
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.text), { success: true, num_records: 2, results: ['A', null] });
    assert.equal(hook.calls.at(-1)?.context?.queryId, '42');
    const mismatch = await post(server, '/compat/redshift/upper_fn', { ...body, num_records: 3 });
    assert.equal(mismatch.status, 400);
    // a row that is null as a whole (the Redshift docs' request has one) is every argument NULL, and gets a result
    const withNullRow = await post(server, '/compat/redshift/upper_fn', { ...body, num_records: 3, arguments: [['a'], null, ['c']] });
    assert.equal(withNullRow.status, 200);
    assert.deepEqual(JSON.parse(withNullRow.text), { success: true, num_records: 3, results: ['A', null, 'C'] });
    const twoArguments = await post(server, '/compat/redshift/add_big', { ...body, external_function: 'add_big', num_records: 2, arguments: [null, ['1', '2']] });
    assert.equal(twoArguments.status, 200);
    assert.deepEqual(hook.calls.at(-1)?.rows, [[null, null], [1n, 2n]]);
    // other formats keep refusing a row that is not an array
    const snowflakeNull = await post(server, '/compat/bigquery/upper_fn', { requestId: 'r3', calls: [null] });
    assert.equal(snowflakeNull.status, 400);
    const failed = await post(server, '/compat/redshift/fail_fn', { ...body, external_function: 'fail_fn' });
    assert.equal(failed.status, 422);
    const reply = jsonOf(failed.text);
    assert.equal(reply.success, false);
    assert.match(String(reply.error_msg), /boom/);
  });

  it('exposes Prometheus metrics and a health check', async () => {
    const metrics = await fetch(`${server.url}/metrics`, { headers: AUTH });
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
    const text = await metrics.text();
    assert.match(text, /lakefn_rows_total\{function="upper_fn",connection="test_connection"\} \d+/);
    assert.match(text, /lakefn_batch_latency_seconds_bucket\{le="0.005",function="upper_fn",connection="test_connection"\}/);
    assert.match(text, /lakefn_http_requests_total\{route="evaluate",status="200"\}/);
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
  });

  it('refuses bodies above the limit with 413 (announced or streamed)', async () => {
    const announced = await post(server, '/v1/functions/upper_fn/evaluate', { rows: [['x'.repeat(5000)]] });
    assert.equal(announced.status, 413);
    assert.equal(errorOf(announced.text).code, 'E_PAYLOAD_TOO_LARGE');
    const streamed = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${server.url}/v1/functions/upper_fn/evaluate`, { method: 'POST', headers: { 'transfer-encoding': 'chunked', ...AUTH } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.write(`{"rows": [["${'y'.repeat(3000)}`);
      request.end(`${'y'.repeat(3000)}"]]}`);
    });
    assert.equal(streamed, 413);
  });
});

describe('lakefn serve: bearer token', () => {
  it('refuses to start with a weak token', async () => {
    await assert.rejects(startServeServer({ hook: createHook(), token: 's3cret-token' }), { code: 'E_USAGE', message: /^LAKEFN_SERVE_TOKEN is too weak: .*openssl rand -base64 32$/ });
  });

  it('requires the token when one is configured (401 without or with a wrong one), except /healthz', async () => {
    const token = 'Kp2x9Qv7Lm4Zr8Tw1Ny6Hb3Jd5Fs0Gc';
    const server = await startServeServer({ hook: createHook(), token });
    try {
      const missing = await fetch(`${server.url}/v1/functions/upper_fn/evaluate`, { method: 'POST', body: JSON.stringify({ rows: [['a']] }) });
      assert.equal(missing.status, 401);
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="lakefn"');
      const wrong = await post(server, '/v1/functions/upper_fn/evaluate', { rows: [['a']] }, { authorization: `Bearer ${token.slice(0, -1)}x` });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="lakefn", error="invalid_token"');
      assert.equal((await post(server, '/v1/functions/upper_fn/evaluate', { rows: [['a']] }, { authorization: token })).status, 401);
      assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
      const good = await post(server, '/v1/functions/upper_fn/evaluate', { rows: [['a']] }, { authorization: `Bearer ${token}` });
      assert.equal(good.status, 200);
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    } finally {
      await server.close();
    }
  });
});

describe('lakefn serve: cancellation', () => {
  it('aborts the call when the HTTP client hangs up: E_CANCELLED, counted as 499, no log line', async () => {
    const hook = fakeUdfHook(functions, { slow_fn: ([value]) => value }, 300);
    const log: string[] = [];
    const server = await startServeServer({ hook, log: (line) => log.push(line), token: TOKEN });
    try {
      const client = new AbortController();
      const request = fetch(`${server.url}/v1/functions/slow_fn/evaluate`, { method: 'POST', headers: AUTH, body: '{"rows": [["x"]]}', signal: client.signal });
      while (hook.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      client.abort();
      await assert.rejects(request);
      const signal = hook.calls[0]?.context?.signal;
      while (signal?.aborted !== true) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal((signal.reason as LakefnError).code, 'E_CANCELLED');
      let metrics = '';
      while (!/route="evaluate"/.test(metrics)) metrics = await (await fetch(`${server.url}/metrics`, { headers: AUTH })).text();
      assert.match(metrics, /lakefn_http_requests_total\{route="evaluate",status="499"\} 1/);
      assert.deepEqual(log, []);
    } finally {
      await server.close();
    }
  });
});

describe('lakefn serve: graceful shutdown', () => {
  it('drains in-flight requests, then stops accepting', async () => {
    const hook = fakeUdfHook(functions, { slow_fn: ([value]) => value }, 300);
    const server = await startServeServer({ hook, token: TOKEN });
    const inFlight = post(server, '/v1/functions/slow_fn/evaluate', { rows: [['kept']] });
    while (server.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await server.close();
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.text), { results: ['kept'] });
    await assert.rejects(fetch(`${server.url}/healthz`));
  });
});

describe('lakefn serve: metrics agree with the dispatcher', () => {
  it('lakefn_throttles_total equals DispatchStats.throttles under a throttling quota', async () => {
    // the real dispatcher (AIMD, retries) over an in-memory provider that throttles above 2 concurrent executions
    const adapter = new FakeAdapter({ handler: upperHandler, concurrency: 2, latencyMs: 2 });
    const fn = makeFunction({ name: 'upper', maxConcurrency: 16, maxBatchRows: 5 });
    const { dispatcher } = createTestDispatcher(adapter, [fn], { retry: { maxAttempts: 20 } });
    const hook: UdfHook = {
      evaluate: (name, rows, context) => dispatcher.evaluate(name, rows, context),
      evaluateWithStats: (name, rows, context) => dispatcher.evaluateWithStats(name, rows, context),
      evaluateStream: (name, rows, context) => dispatcher.evaluateStream(name, rows, context),
      stats: (name) => dispatcher.stats(name),
      on: (listener) => dispatcher.on(listener),
      describe: async () => fn,
      listFunctions: async () => [fn],
      close: () => dispatcher.close(),
    };
    const server = await startServeServer({ hook, token: TOKEN });
    try {
      const rows = stringRows(500);
      const response = await post(server, '/v1/functions/upper/evaluate', { rows });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual((JSON.parse(response.text) as { results: unknown[] }).results, rows.map(([value]) => value!.toUpperCase()));
      const stats = dispatcher.stats('upper');
      assert.ok(stats.throttles > 0, 'the quota throttled');
      const text = await (await fetch(`${server.url}/metrics`, { headers: AUTH })).text();
      const counted = /^lakefn_throttles_total\{function="upper",connection="conn1"\} (\d+)$/m.exec(text);
      assert.ok(counted !== null, text);
      assert.equal(Number(counted[1]), stats.throttles, 'every throttle is counted, not only those that cut the limit');
      assert.match(text, /^lakefn_connection_concurrency\{connection="conn1"\} \d+$/m);
    } finally {
      await server.close();
      await dispatcher.close();
    }
  });
});
