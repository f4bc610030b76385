// The dispatcher's done-when list (issue 5) through every provider: the real adapters and vendor SDKs
// against the mock cloud over loopback, with the real credential broker and wire codec.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { trustPolicy } from '../../src/catalog/trust-policy.ts';
import { createCredentialBroker, type CredentialBroker } from '../../src/credentials/index.ts';
import { createDispatcher } from '../../src/dispatcher/create-dispatcher.ts';
import type { DispatcherOptions } from '../../src/dispatcher/dispatcher-options.ts';
import type { Dispatcher } from '../../src/dispatcher/dispatcher-types.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionProperties, type FunctionRecord } from '../../src/spec/function-record.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';
import type { CallLogEntry, FaultPlanEntry, FunctionDefinition } from '../../mocks/mock-types.ts';
import { type MockCloudContext, type MockProviderFixture, isStsCall, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';

const VARCHAR: SqlType = { kind: 'VARCHAR' };

interface Harness {
  readonly dispatcher: Dispatcher;
  readonly broker: CredentialBroker;
  calls(): CallLogEntry[];
  close(): Promise<void>;
}

function functionRecord(name: string, connection: ConnectionRecord, properties: Partial<FunctionProperties> = {}): FunctionRecord {
  return {
    id: `id-${name}`,
    name,
    arguments: [{ name: 'value', type: VARCHAR }],
    returnType: VARCHAR,
    connectionId: connection.id,
    connectionName: connection.name,
    cloudFunction: name,
    qualifier: null,
    properties: { ...DEFAULT_FUNCTION_PROPERTIES, ...properties },
    comment: null,
    createdAt: new Date().toISOString(),
  };
}

function rowsOf(count: number): string[][] {
  return Array.from({ length: count }, (_, index) => [`v${index}`]);
}

function assertUpper(results: readonly unknown[], count: number): void {
  assert.equal(results.length, count);
  for (let index = 0; index < count; index += 1) {
    if (results[index] !== `V${index}`) assert.fail(`row ${index}: expected V${index}, got ${String(results[index])}`);
  }
}

function isError(code: string, check: (error: LakefnError) => void = () => undefined) {
  return (error: unknown): boolean => {
    assert.ok(LakefnError.isInstance(error), `expected a LakefnError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    check(error);
    return true;
  };
}

let functionCounter = 0;

for (const provider of PROVIDER_NAMES) {
  describe(`dispatcher through ${provider} (mock cloud, real SDK)`, () => {
    let mock: MockCloudContext;
    let fixture: MockProviderFixture;

    /** Registers a mock function under a fresh name and a dispatcher that knows it as `fn`. */
    function harness(definition: Omit<FunctionDefinition, 'provider' | 'accountId' | 'region' | 'namespace' | 'name'>, properties: Partial<FunctionProperties> = {}, options: { faults?: readonly FaultPlanEntry[]; dispatcher?: Partial<DispatcherOptions>; brokerClock?: { now(): number } } = {}): Harness {
      functionCounter += 1;
      const cloudName = `fn${functionCounter}`;
      fixture.putFunction(cloudName, definition);
      if (options.faults !== undefined) mock.cloud.putFaults({ provider, function: cloudName, plan: options.faults });
      const record = { ...functionRecord(cloudName, fixture.connection, properties), name: 'fn' };
      const broker = createCredentialBroker({ adapterFor: (name) => mock.registry.adapterFor(name), environment: mock.environment, ...(options.brokerClock === undefined ? {} : { clock: options.brokerClock }) });
      const dispatcher = createDispatcher({
        resolveFunction: async () => ({ function: record, connection: fixture.connection }),
        adapterFor: (name) => mock.registry.adapterFor(name),
        credentialsFor: (connection) => broker.credentialsFor(connection),
        ...options.dispatcher,
      });
      return {
        dispatcher,
        broker,
        calls: () => mock.cloud.calls().filter((entry) => entry.function === cloudName && !isStsCall(entry)),
        async close() {
          await dispatcher.close();
          broker.close();
        },
      };
    }

    before(async () => {
      mock = await startMockCloud();
      fixture = mock.fixtures[provider];
    });
    after(async () => {
      await stopMockCloud(mock);
    });

    test('100,000 rows → exactly one correct result per row, in order', async () => {
      const run = harness({ builtin: 'upper' });
      const { results, stats } = await run.dispatcher.evaluateWithStats('fn', rowsOf(100_000), { queryId: 'big' });
      assertUpper(results, 100_000);
      assert.equal(stats.batches, 200);
      assert.equal(run.calls().length, 200);
      assert.equal(run.calls().reduce((total, entry) => total + (entry.rows ?? 0), 0), 100_000);
      await run.close();
    });

    test('10 % throttles + 5 % 5xx + 2 % connection resets: zero lost, duplicated or misplaced results', async () => {
      const faults: FaultPlanEntry[] = [
        { fault: 'throttle', probability: 0.1, seed: 11, retryAfterSeconds: 0 },
        { fault: '5xx', probability: 0.05 / 0.9, seed: 12 },
        { fault: 'reset', probability: 0.02 / 0.85, seed: 13 },
      ];
      const run = harness({ builtin: 'upper' }, { maxBatchRows: 100 }, { faults, dispatcher: { retry: { maxAttempts: 10, baseDelayMs: 5, throttleBaseDelayMs: 20 } } });
      const { results, stats } = await run.dispatcher.evaluateWithStats('fn', rowsOf(20_000), { queryId: 'faults' });
      assertUpper(results, 20_000);
      const executed = run.calls().filter((entry) => entry.fault === undefined && entry.status === 200 && entry.errorCode === undefined);
      assert.equal(executed.length, 200, 'each batch executed exactly once');
      assert.equal(new Set(executed.map((entry) => entry.batchId)).size, 200);
      const faulted = run.calls().filter((entry) => entry.fault !== undefined);
      assert.ok(faulted.length >= 20, `faults were injected: ${faulted.length}`);
      assert.equal(stats.retries, faulted.length, 'every fault was retried once');
      assert.ok((stats.retriesByCause.E_THROTTLED ?? 0) > 0 && (stats.retriesByCause.E_PROVIDER_UNAVAILABLE ?? 0) > 0 && (stats.retriesByCause.E_TRANSPORT ?? 0) > 0, JSON.stringify(stats.retriesByCause));
      await run.close();
    });

    test('a function limited to 4 concurrent invocations, dispatcher allowing 32: zero failed rows, AIMD visible in stats', async () => {
      // 30 ms per call: long enough that the first burst overlaps at the mock even on a loaded machine
      const run = harness({ builtin: 'upper', concurrency: 4, latencyMs: 30, throttleRetryAfterSeconds: 0 }, { maxConcurrency: 32, maxBatchRows: 100 }, { dispatcher: { retry: { maxAttempts: 20 } } });
      const cuts: number[] = [];
      run.dispatcher.on((event) => {
        if (event.type === 'batch-throttled' && event.cut) cuts.push(event.concurrency);
      });
      const { results, stats } = await run.dispatcher.evaluateWithStats('fn', rowsOf(15_000));
      assertUpper(results, 15_000);
      assert.equal(stats.failedBatches, 0);
      assert.ok(stats.throttles > 0, 'the first burst was throttled');
      // how far the limit comes down depends on how many calls really overlap at the mock; that it comes down does not
      assert.ok(cuts.length > 0 && cuts[0]! <= 16, `the first throttle halved the limit: ${cuts.join(',')}`);
      assert.ok(stats.currentConcurrency < 32, `the current limit is below the configured 32: ${stats.currentConcurrency}`);
      const counters = Object.entries(mock.cloud.counters().functions).find(([key]) => key.endsWith(`/${run.calls()[0]!.function}`))![1];
      assert.ok(counters.maxInFlight <= 4, `the function never ran more than 4 at once: ${counters.maxInFlight}`);
      const log = run.calls();
      const settled = log.slice(Math.floor(log.length / 2));
      const refused = settled.filter((entry) => entry.errorCode !== undefined || entry.status >= 400).length;
      assert.ok(refused <= settled.length * 0.1, `after the first throttles almost nothing is refused: ${refused} of ${settled.length}`);
      await run.close();
    });

    test('a too-large batch is split in half and succeeds', async () => {
      const run = harness({ builtin: 'upper' }, { maxBatchRows: 100 }, { faults: [{ fault: 'too_large', on: 1 }] });
      const { results, stats } = await run.dispatcher.evaluateWithStats('fn', rowsOf(300), { queryId: 'split' });
      assertUpper(results, 300);
      const log = run.calls();
      const refused = log.filter((entry) => entry.fault === 'too_large');
      assert.equal(refused.length, 1);
      assert.equal(refused[0]!.rows, 100);
      assert.equal(log.filter((entry) => entry.fault === undefined).reduce((total, entry) => total + (entry.rows ?? 0), 0), 300);
      assert.equal(stats.batches, 4, 'two whole batches and two halves');
      await run.close();
    });

    test('a single oversize row → E_ROW_TOO_LARGE (before sending, and when the provider refuses it alone)', async () => {
      const run = harness({ builtin: 'upper' }, { maxBatchBytes: 64 * 1024 * 1024 });
      const limit = mock.registry.adapterFor(provider).limits.maxRequestBytes;
      await assert.rejects(run.dispatcher.evaluate('fn', [['a'], ['x'.repeat(limit)], ['b']]), isError('E_ROW_TOO_LARGE', (error) => assert.equal(error.location.row, 1)));
      assert.equal(run.calls().length, 0, 'nothing was sent');
      await run.close();

      const refusing = harness({ builtin: 'upper' }, {}, { faults: [{ fault: 'too_large', probability: 1 }] });
      await assert.rejects(refusing.dispatcher.evaluate('fn', [['a'], ['b']], { queryId: 'one' }), isError('E_ROW_TOO_LARGE'));
      await refusing.close();
    });

    const replyFaults = [
      { name: 'wrong row count', faults: [{ fault: 'wrong_row_count', on: 2 }] as const, handler: undefined, code: 'E_ROW_COUNT_MISMATCH', row: undefined },
      { name: 'malformed JSON', faults: [{ fault: 'malformed', on: 2 }] as const, handler: undefined, code: 'E_BAD_RESPONSE', row: undefined },
      {
        name: 'wrong type',
        faults: undefined,
        handler: (payload: unknown, context: { callNumber: number }) => ({ results: (payload as { rows: string[][] }).rows.map(([value], index) => (context.callNumber === 2 && index === 3 ? 42 : value!.toUpperCase())) }),
        code: 'E_TYPE_COERCION',
        row: 13,
      },
      {
        name: 'bad row index',
        faults: undefined,
        handler: (payload: unknown, context: { callNumber: number }) => {
          const rows = (payload as { rows: string[][] }).rows;
          return { results: rows.map(([value]) => value!.toUpperCase()), ...(context.callNumber === 2 ? { errors: [{ row: 99, message: 'no such row' }] } : {}) };
        },
        code: 'E_BAD_ROW_INDEX',
        row: undefined,
      },
    ];
    for (const { name, faults, handler, code, row } of replyFaults) {
      test(`${name} → ${code} naming the batch${row === undefined ? '' : ' and the row'}`, async () => {
        const run = harness(handler === undefined ? { builtin: 'upper' } : { handler }, { maxBatchRows: 10, maxConcurrency: 1 }, faults === undefined ? {} : { faults });
        await assert.rejects(
          run.dispatcher.evaluate('fn', rowsOf(50), { queryId: 'reply' }),
          isError(code, (error) => {
            assert.equal(error.location.batchId, 'reply:fn:1');
            assert.equal(error.location.row, row);
            assert.equal(error.location.connection, fixture.connection.name);
            assert.match(error.message, /batch reply:fn:1/);
          }),
        );
        await run.close();
      });
    }

    test("retry='none' never sends a batch twice (call log)", async () => {
      const run = harness({ builtin: 'upper' }, { retry: 'none', maxBatchRows: 10, maxConcurrency: 2 }, { faults: [{ fault: '5xx', on: 3 }] });
      await assert.rejects(run.dispatcher.evaluate('fn', rowsOf(200)), isError('E_PROVIDER_UNAVAILABLE', (error) => assert.match(error.message, /retry='none'/)));
      const ids = run.calls().map((entry) => entry.batchId);
      assert.ok(ids.length >= 3);
      assert.equal(new Set(ids).size, ids.length);
      await run.close();
    });

    test("retry='none' against a concurrency quota: throttled attempts are re-sent, all rows done, no batch id executed twice", async () => {
      const run = harness({ builtin: 'upper', concurrency: 2, latencyMs: 20, throttleRetryAfterSeconds: 0 }, { retry: 'none', maxBatchRows: 10, maxConcurrency: 8 }, { dispatcher: { retry: { maxAttempts: 20 } } });
      const { results, stats } = await run.dispatcher.evaluateWithStats('fn', rowsOf(400), { queryId: 'none-quota' });
      assertUpper(results, 400);
      assert.ok(stats.throttles > 0, 'the quota throttled');
      const executed = run.calls().filter((entry) => entry.status === 200 && entry.errorCode === undefined && entry.fault === undefined);
      assert.equal(executed.length, 40);
      assert.equal(new Set(executed.map((entry) => entry.batchId)).size, 40, 'each batch executed exactly once');
      assert.ok(run.calls().length > 40, 'throttled attempts were re-sent');
      await run.close();
    });

    test("retry='none': a connection reset is not re-sent", async () => {
      const run = harness({ builtin: 'upper' }, { retry: 'none', maxBatchRows: 10, maxConcurrency: 1 }, { faults: [{ fault: 'reset', on: 2 }] });
      await assert.rejects(run.dispatcher.evaluate('fn', rowsOf(100)), isError('E_TRANSPORT', (error) => assert.match(error.message, /retry='none'/)));
      const ids = run.calls().map((entry) => entry.batchId);
      assert.equal(ids.length, 2);
      assert.equal(new Set(ids).size, 2);
      await run.close();
    });

    test('cancellation stops new batches', async () => {
      const run = harness({ builtin: 'upper', latencyMs: 5 }, { maxBatchRows: 10, maxConcurrency: 2 });
      const controller = new AbortController();
      let ended = 0;
      run.dispatcher.on((event) => {
        if (event.type === 'batch-end' && ++ended === 3) controller.abort();
      });
      await assert.rejects(run.dispatcher.evaluate('fn', rowsOf(10_000), { signal: controller.signal }), isError('E_CANCELLED'));
      // the mock logs a call when it ends: wait until the aborted ones have ended on its side
      const counters = () => Object.entries(mock.cloud.counters().functions).find(([key]) => key.endsWith(`/${run.calls()[0]!.function}`))![1];
      while (counters().inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const sent = run.calls().length;
      assert.ok(sent <= 6, `no new batch after the abort: ${sent} of 1,000 sent`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(run.calls().length, sent);
      await run.close();
    });

    test('credentials expiring mid-run (refresh ahead) cause no failed call', async () => {
      let offset = 0;
      const clock = { now: () => Date.now() + offset };
      const run = harness({ builtin: 'upper' }, { maxBatchRows: 100, maxConcurrency: 2 }, { brokerClock: clock });
      const assumeRolesBefore = mock.cloud.calls().filter((entry) => isStsCall(entry) && entry.provider === provider).length;
      let ended = 0;
      run.dispatcher.on((event) => {
        // 56 minutes later for the broker: the credentials are inside their last 5 minutes
        if (event.type === 'batch-end' && ++ended === 10) offset = 56 * 60 * 1000;
      });
      const { results, stats } = await run.dispatcher.evaluateWithStats('fn', rowsOf(5_000));
      assertUpper(results, 5_000);
      assert.equal(stats.failedBatches, 0);
      const assumeRoles = mock.cloud.calls().filter((entry) => isStsCall(entry) && entry.provider === provider).length - assumeRolesBefore;
      assert.equal(assumeRoles, 2, 'one initial AssumeRole and one refresh mid-run');
      await run.close();
    });

    test('credentials revoked mid-run (E_AUTH) are refreshed once and the batch retried: no failed call', async () => {
      const run = harness({ builtin: 'upper' }, { maxBatchRows: 100, maxConcurrency: 2 });
      const cloudName = `fn${functionCounter}`;
      let ended = 0;
      run.dispatcher.on((event) => {
        if (event.type === 'batch-end' && ++ended === 10) {
          // the mock forgets every issued session (as after an expiry or revocation); role and function come back at once
          mock.cloud.reset('all');
          const brokerAccountId = mock.cloud.brokerAccounts[provider].accountId;
          mock.cloud.putRole({ provider, roleArn: fixture.connection.roleArn, trustPolicy: { ...trustPolicy(fixture.connection, brokerAccountId) } });
          fixture.putFunction(cloudName, { builtin: 'upper' });
        }
      });
      const { results, stats } = await run.dispatcher.evaluateWithStats('fn', rowsOf(5_000));
      assertUpper(results, 5_000);
      assert.ok((stats.retriesByCause.E_AUTH ?? 0) >= 1, JSON.stringify(stats.retriesByCause));
      assert.equal(stats.failedBatches, 0);
      await run.close();
    });

    test('immutable dedup: a batch with 1,000 rows of 10 distinct values sends 10 rows', async () => {
      const run = harness({ builtin: 'upper' }, { maxBatchRows: 1_000, volatility: 'immutable' });
      const rows = Array.from({ length: 1_000 }, (_, index) => [`v${index % 10}`]);
      const results = await run.dispatcher.evaluate('fn', rows);
      assert.deepEqual(results, rows.map(([value]) => value!.toUpperCase()));
      assert.deepEqual(run.calls().map((entry) => entry.rows), [10]);
      await run.close();
    });
  });
}
