// Governance on the call path, end to end (real SDKs against the mock cloud): a REVOKE stops a running call at its
// next batch (the batches before it answered correctly), the owner's USAGE is re-checked per batch too, every call
// leaves an INVOKE_SUMMARY (and INVOKE_ATTEMPTs with audit_level = 'attempt'), and the UDF hook lists and describes
// only what its principal may see.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { actingAs, localPrincipal, userPrincipal } from '../../src/governance/authenticated-principal.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import type { AuditRecord } from '../../src/store/audit-log.ts';
import { createDuckDbSession } from '../../src/duckdb/create-duckdb-session.ts';
import { createUdfHook } from '../../src/udf/create-udf-hook.ts';
import { startLakefnStack, type LakefnStack } from '../udf/lakefn-stack.ts';

describe('governance on the call path (mock cloud)', () => {
  let stack: LakefnStack;
  const carol = userPrincipal('carol', 'token');

  before(async () => {
    stack = await startLakefnStack();
    await stack.createConnection('aws', 'conn');
    stack.putFunction('aws', 'echo', { builtin: 'echo' });
    await stack.sql(`
      CREATE USER carol; CREATE USER owner;
      GRANT USAGE ON CONNECTION conn TO USER owner; GRANT CREATE FUNCTION ON PROJECT default TO USER owner`);
    await executeStatements(
      "CREATE EXTERNAL FUNCTION echo(x INT) RETURNS INT CONNECTION conn AS 'echo' WITH PROPERTIES ('max_batch_rows' = '2', 'max_concurrency' = '1', 'audit_level' = 'attempt')",
      { ...stack.services, principal: actingAs(localPrincipal('tester'), 'owner') },
    );
    await executeStatements('GRANT EXECUTE ON FUNCTION echo TO USER carol', { ...stack.services, principal: actingAs(localPrincipal('tester'), 'owner') });
  });
  after(async () => {
    await stack?.stop();
  });

  async function auditRecords(): Promise<AuditRecord[]> {
    await stack.runtime.audit.flush();
    return stack.runtime.store.read((session) => session.audit.list({}, 0, 1_000_000));
  }

  /**
   * Streams rows 1..6 (batches of 2, one in flight) as `principal`; after the consumer has received batch 1, runs
   * `change` and only then releases rows 5 and 6, so batch 3 is the first sent after the change.
   */
  async function streamAcross(change: string): Promise<{ received: unknown[][]; error: unknown; callsBefore: number; callsAfter: number }> {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const rows = (async function* () {
      yield [1];
      yield [2];
      yield [3];
      yield [4];
      await gate;
      yield [5];
      yield [6];
    })();
    const received: unknown[][] = [];
    let error: unknown;
    let callsBefore = 0;
    const echoCalls = (): number => stack.mock.calls().filter((entry) => entry.api === 'lambda:Invoke' && entry.function === 'echo').length;
    const start = echoCalls();
    // batch 2 is in flight when the consumer holds batch 1: the change comes once it has answered too
    let answered = 0;
    let twoAnswered = (): void => undefined;
    const bothAnswered = new Promise<void>((resolve) => (twoAnswered = resolve));
    const unsubscribe = stack.runtime.dispatcher.on((event) => {
      if (event.type === 'batch-end' && event.function === 'echo' && ++answered === 2) twoAnswered();
    });
    try {
      for await (const batch of stack.runtime.dispatcher.evaluateStream('echo', rows, { principal: carol, queryId: `q-${change.length}` }).batches()) {
        received.push([...batch]);
        if (received.length === 1) {
          await bothAnswered;
          callsBefore = echoCalls() - start;
          await stack.sql(change);
          release();
        }
      }
    } catch (caught) {
      error = caught;
    } finally {
      unsubscribe();
    }
    return { received, error, callsBefore, callsAfter: echoCalls() - start };
  }

  /**
   * The batches delivered before the stop answered correctly: batch 1 always (the change came after it), batch 2 when
   * the consumer took it before the stop (a failed call delivers no more batches); batch 3 was never sent.
   */
  function assertStoppedAfterTwoBatches(outcome: Awaited<ReturnType<typeof streamAcross>>): void {
    assert.deepEqual(outcome.received, [[1, 2], [3, 4]].slice(0, outcome.received.length));
    assert.ok(outcome.received.length >= 1);
    assert.equal(outcome.callsBefore, 2, 'batches 1 and 2 were sent before the change');
    assert.equal(outcome.callsAfter, 2, 'batch 3 was never sent');
  }

  it("a REVOKE of the caller's EXECUTE stops the running call at its next batch; earlier batches answered correctly", async () => {
    try {
      const outcome = await streamAcross('REVOKE EXECUTE ON FUNCTION echo FROM USER carol');
      assertStoppedAfterTwoBatches(outcome);
      assert.ok(LakefnError.isInstance(outcome.error), String(outcome.error));
      assert.equal(outcome.error.code, 'E_NO_SUCH_FUNCTION');
      assert.match(outcome.error.message, /function 'echo' does not exist or not authorized/);
    } finally {
      await stack.sql('GRANT EXECUTE ON FUNCTION echo TO USER carol');
    }
  });

  it("a REVOKE of the owner's USAGE stops it too (definer rights), with E_ACCESS_DENIED naming the privilege and the object", async () => {
    const outcome = await streamAcross('REVOKE USAGE ON CONNECTION conn FROM USER owner').finally(() => stack.sql('GRANT USAGE ON CONNECTION conn TO USER owner'));
    assertStoppedAfterTwoBatches(outcome);
    assert.ok(LakefnError.isInstance(outcome.error), String(outcome.error));
    assert.equal(outcome.error.code, 'E_ACCESS_DENIED');
    assert.match(outcome.error.message, /carol is not authorized: lakefn:InvokeFunction on lrn:lakefn:default:function\/echo needs lakefn:UseConnection on lrn:lakefn:default:connection\/conn for the function owner owner: .*missing USAGE or OWNERSHIP on connection default\.conn/);
    assert.equal(outcome.error.data?.['missing'], 'USAGE or OWNERSHIP on connection default.conn');
    assert.equal(outcome.error.location.function, 'echo');
  });

  it('an unrelated catalog change re-decides the call and lets it go on', async () => {
    const outcome = await streamAcross('CREATE USER unrelated');
    assert.equal(outcome.error, undefined);
    assert.deepEqual(outcome.received, [[1, 2], [3, 4], [5, 6]]);
  });

  it('every call leaves an INVOKE_SUMMARY (stopped ones with their error) and, at audit_level attempt, its INVOKE_ATTEMPTs', async () => {
    const records = await auditRecords();
    const summaries = records.filter((record) => record.type === 'INVOKE_SUMMARY' && record.principal === 'carol');
    assert.deepEqual(summaries.map((record) => [record.body['status'], record.body['error_code'] ?? null, record.body['batches']]), [
      ['ERROR', 'E_NO_SUCH_FUNCTION', 2],
      ['ERROR', 'E_ACCESS_DENIED', 2],
      ['OK', null, 3],
    ]);
    const last = summaries[2]!;
    assert.equal(last.body['function_fqn'], 'default.echo');
    assert.equal(last.body['owner_principal'], 'user owner');
    assert.equal(last.body['connection_name'], 'default.conn');
    assert.equal(last.body['provider'], 'aws');
    assert.equal(last.body['batches'], 3);
    assert.ok(Array.isArray(last.body['remote_request_ids']) && last.body['remote_request_ids'].length === 3);
    const attempts = records.filter((record) => record.type === 'INVOKE_ATTEMPT' && record.body['query_id'] === last.body['query_id']);
    assert.equal(attempts.length, 3);
    for (const attempt of attempts) assert.equal(attempt.body['status'], 'OK');
    const denials = records.filter((record) => record.type === 'AUTHZ' && record.principal === 'carol' && record.body['decision'] === 'DENY');
    assert.ok(denials.some((record) => record.body['denied_at'] === 'dependencies'));
    assert.equal((await stack.runtime.store.read((session) => session.audit.verify())).ok, true);
  });

  it('SHOW FUNCTION HISTORY rolls the summaries up per function and hour; the owner sees it, a caller does not', async () => {
    const [history] = await executeStatements('SHOW FUNCTION HISTORY FOR echo', { ...stack.services, principal: actingAs(localPrincipal('tester'), 'owner') });
    assert.ok(history?.kind === 'table');
    assert.deepEqual(history.columns, ['function', 'bucket_start', 'invocations', 'rows', 'bytes_sent', 'bytes_received', 'errors', 'retries', 'avg_latency_ms', 'p99_latency_ms']);
    const [row] = history.rows;
    assert.equal(row?.[0], 'echo');
    assert.match(String(row?.[1]), /^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/);
    assert.equal(row?.[2], 3);
    assert.equal(row?.[3], 14);
    assert.equal(row?.[6], 2);
    assert.match(history.notices.join(), /retries and latency include retried attempts/);
    await assert.rejects(executeStatements('SHOW FUNCTION HISTORY FOR echo', { ...stack.services, principal: actingAs(localPrincipal('tester'), 'carol') }), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_ACCESS_DENIED');
      assert.match(error.message, /missing OWNERSHIP on function default\.echo, or MONITOR or OWNERSHIP on project default, or membership in auditor/);
      return true;
    });
  });

  it('a DuckDB query calls a function once per chunk, and leaves one INVOKE_SUMMARY per function', async () => {
    const hook = await createUdfHook({ store: stack.runtime.store, dispatcher: stack.runtime.dispatcher, principal: userPrincipal('carol', 'in-process') });
    const session = await createDuckDbSession({ hook });
    try {
      const result = await session.query('SELECT sum(echo(i::INT)) AS s FROM range(10000) t(i)', { prefetch: false, queryId: 'duck-q' });
      assert.deepEqual(result.rows, [[49995000n]]);
    } finally {
      await session.close();
      await hook.close();
    }
    const summaries = (await auditRecords()).filter((record) => record.type === 'INVOKE_SUMMARY' && record.body['query_id'] === 'duck-q');
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0]?.body['rows'], 10000);
    assert.ok(Number(summaries[0]?.body['batches']) >= 5000);
  });

  it('the UDF hook as a user: describe and list show only what it may see; its calls are decided as it', async () => {
    const hook = await createUdfHook({ store: stack.runtime.store, dispatcher: stack.runtime.dispatcher, principal: userPrincipal('owner', 'in-process') });
    try {
      assert.deepEqual((await hook.listFunctions()).map((fn) => fn.name), ['echo']);
      assert.deepEqual(await hook.listFunctions({ principal: userPrincipal('nobody_here', 'token') }).catch((error: unknown) => (LakefnError.isInstance(error) ? error.code : error)), 'E_ACCESS_DENIED');
      await stack.sql('CREATE USER dave');
      assert.deepEqual(await hook.listFunctions({ principal: userPrincipal('dave', 'token') }), []);
      await assert.rejects(hook.describe('echo', { principal: userPrincipal('dave', 'token') }), /function 'echo' does not exist or not authorized/);
      assert.deepEqual(await hook.evaluate('echo', [[7]], { principal: userPrincipal('carol', 'token') }), [7]);
      await assert.rejects(hook.evaluate('echo', [[7]], { principal: userPrincipal('dave', 'token') }), /function 'echo' does not exist or not authorized/);
    } finally {
      await hook.close();
    }
  });
});
