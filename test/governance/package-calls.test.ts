// Calls through a package, end to end (real SDKs against the mock cloud): a grantee in the consumer project calls the
// provider's function as `shared_udfs.echo` through the dispatcher, DuckDB and serve's evaluate endpoint; REMOVE,
// DISALLOW, UNINSTALL, REVOKE READ and DROP PACKAGE each stop a running call at its next batch (the batches before
// answered correctly), and the call's INVOKE_SUMMARY names both projects.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDuckDbSession } from '../../src/duckdb/create-duckdb-session.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { userPrincipal } from '../../src/governance/authenticated-principal.ts';
import { startServeServer } from '../../src/serve/create-serve-server.ts';
import { CatalogAuthenticator } from '../../src/serve/request-authenticator.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import { createUdfHook } from '../../src/udf/create-udf-hook.ts';
import { runCli } from '../cli/run-cli.ts';
import { startLakefnStack, type LakefnStack } from '../udf/lakefn-stack.ts';

describe('calls through a package (mock cloud)', () => {
  let stack: LakefnStack;
  const bella = userPrincipal('bella', 'token');

  before(async () => {
    stack = await startLakefnStack();
    await stack.createConnection('aws', 'conn');
    stack.putFunction('aws', 'echo', { builtin: 'echo' });
    await stack.sql(`
      CREATE PROJECT shared_udfs; CREATE PROJECT analytics; CREATE USER bella;
      CREATE EXTERNAL FUNCTION shared_udfs.echo(x INT) RETURNS INT CONNECTION default.conn AS 'echo' WITH PROPERTIES ('max_batch_rows' = '2', 'max_concurrency' = '1');
      USE PROJECT shared_udfs; CREATE PACKAGE k; ADD FUNCTION echo TO PACKAGE k; ALLOW PROJECT analytics TO INSTALL PACKAGE k;
      USE PROJECT analytics; INSTALL PACKAGE shared_udfs.k; GRANT READ ON PACKAGE shared_udfs.k TO USER bella`);
  });
  after(async () => {
    await stack?.stop();
  });

  /**
   * Streams rows 1..6 (batches of 2, one in flight) as bella in analytics; after the consumer has received batch 1 and
   * batch 2 has answered, runs `change` and only then releases rows 5 and 6, so batch 3 is the first sent after it.
   */
  async function streamAcross(change: string, restore: string): Promise<{ received: unknown[][]; error: unknown; callsAfter: number }> {
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
    const echoCalls = (): number => stack.mock.calls().filter((entry) => entry.api === 'lambda:Invoke' && entry.function === 'echo').length;
    const start = echoCalls();
    let answered = 0;
    let twoAnswered = (): void => undefined;
    const bothAnswered = new Promise<void>((resolve) => (twoAnswered = resolve));
    const unsubscribe = stack.runtime.dispatcher.on((event) => {
      if (event.type === 'batch-end' && ++answered === 2) twoAnswered();
    });
    try {
      for await (const batch of stack.runtime.dispatcher.evaluateStream('shared_udfs.echo', rows, { principal: bella, project: 'analytics', queryId: `q-${change.length}` }).batches()) {
        received.push([...batch]);
        if (received.length === 1) {
          await bothAnswered;
          await stack.sql(change);
          release();
        }
      }
    } catch (caught) {
      error = caught;
    } finally {
      unsubscribe();
      await stack.sql(restore);
    }
    return { received, error, callsAfter: echoCalls() - start };
  }

  const changes: readonly (readonly [string, string, string])[] = [
    ['REMOVE FUNCTION', 'USE PROJECT shared_udfs; REMOVE FUNCTION echo FROM PACKAGE k', 'USE PROJECT shared_udfs; ADD FUNCTION echo TO PACKAGE k'],
    ['DISALLOW', 'USE PROJECT shared_udfs; DISALLOW PROJECT analytics TO INSTALL PACKAGE k', 'USE PROJECT shared_udfs; ALLOW PROJECT analytics TO INSTALL PACKAGE k'],
    ['UNINSTALL', 'USE PROJECT analytics; UNINSTALL PACKAGE shared_udfs.k', 'USE PROJECT analytics; INSTALL PACKAGE shared_udfs.k; GRANT READ ON PACKAGE shared_udfs.k TO USER bella'],
    ['REVOKE READ', 'USE PROJECT analytics; REVOKE READ ON PACKAGE shared_udfs.k FROM USER bella', 'USE PROJECT analytics; GRANT READ ON PACKAGE shared_udfs.k TO USER bella'],
    [
      'DROP PACKAGE',
      'USE PROJECT shared_udfs; DROP PACKAGE k',
      'USE PROJECT shared_udfs; CREATE PACKAGE k; ADD FUNCTION echo TO PACKAGE k; ALLOW PROJECT analytics TO INSTALL PACKAGE k; ' +
        'USE PROJECT analytics; INSTALL PACKAGE shared_udfs.k; GRANT READ ON PACKAGE shared_udfs.k TO USER bella',
    ],
  ];

  for (const [name, change, restore] of changes) {
    it(`${name} stops a running call at its next batch; the batches before it answered correctly`, async () => {
      const outcome = await streamAcross(change, restore);
      assert.deepEqual(outcome.received, [[1, 2], [3, 4]].slice(0, outcome.received.length));
      assert.ok(outcome.received.length >= 1);
      assert.equal(outcome.callsAfter, 2, 'batch 3 was never sent');
      assert.ok(LakefnError.isInstance(outcome.error), String(outcome.error));
      assert.equal(outcome.error.code, 'E_NO_SUCH_PROJECT');
      assert.match(outcome.error.message, /project 'shared_udfs' does not exist or not authorized/);
    });
  }

  const labelChanges: readonly (readonly [string, string, string, string])[] = [
    ['SET LABEL above the allowed label', '', 'USE PROJECT shared_udfs; SET LABEL 1 TO FUNCTION echo', 'USE PROJECT shared_udfs; SET LABEL 0 TO FUNCTION echo'],
    [
      'ALLOW … USING LABEL below the function label',
      'USE PROJECT shared_udfs; SET LABEL 2 TO FUNCTION echo; ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 2',
      'USE PROJECT shared_udfs; ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 1',
      'USE PROJECT shared_udfs; SET LABEL 0 TO FUNCTION echo; ALLOW PROJECT analytics TO INSTALL PACKAGE k',
    ],
  ];

  for (const [name, setup, change, restore] of labelChanges) {
    it(`${name} stops a running call at its next batch, naming the label; the batches before it answered correctly`, async () => {
      if (setup !== '') await stack.sql(setup);
      const outcome = await streamAcross(change, restore);
      assert.deepEqual(outcome.received, [[1, 2], [3, 4]].slice(0, outcome.received.length));
      assert.ok(outcome.received.length >= 1);
      assert.equal(outcome.callsAfter, 2, 'batch 3 was never sent');
      assert.ok(LakefnError.isInstance(outcome.error), String(outcome.error));
      assert.equal(outcome.error.code, 'E_ACCESS_DENIED');
      assert.match(outcome.error.message, /function shared_udfs\.echo has sensitivity label [12], above label [01] that project analytics is allowed for package shared_udfs\.k/);
      assert.equal(outcome.error.data?.['package'], 'shared_udfs.k');
    });
  }

  it('an unrelated change lets the call go on; its INVOKE_SUMMARY names both projects', async () => {
    const outcome = await streamAcross('CREATE USER unrelated', 'DROP USER unrelated');
    assert.equal(outcome.error, undefined);
    assert.deepEqual(outcome.received, [[1, 2], [3, 4], [5, 6]]);
    await stack.runtime.audit.flush();
    const records = await stack.runtime.store.read((session) => session.audit.list({}, 0, 1_000_000));
    const summary = records.filter((record) => record.type === 'INVOKE_SUMMARY' && record.principal === 'bella').at(-1);
    assert.equal(summary?.body['status'], 'OK');
    assert.equal(summary?.project, 'shared_udfs');
    assert.equal(summary?.body['function_fqn'], 'shared_udfs.echo');
    assert.deepEqual(summary?.body['via_package'], { package: 'shared_udfs.k', provider_project: 'shared_udfs', consumer_project: 'analytics' });
  });

  it('DuckDB: `shared_udfs.echo(x)` in a query of the consumer project (and the quoted "shared_udfs.echo" too)', async () => {
    const hook = await createUdfHook({ home: stack.home, environment: stack.environment, principal: userPrincipal('bella', 'in-process'), project: 'analytics' });
    const session = await createDuckDbSession({ hook });
    try {
      assert.deepEqual(session.registered, ['shared_udfs.echo']);
      const result = await session.query('SELECT sum(shared_udfs.echo(i::INT)) AS s, max("shared_udfs.echo"(i::INT)) AS m FROM range(100) t(i)', { prefetch: false });
      assert.deepEqual(result.rows, [[4950n, 99]]);
    } finally {
      await session.close();
      await hook.close();
    }
  });

  it("serve's evaluate endpoint: POST /v1/functions/shared_udfs.echo/evaluate as the grantee (API token) in the consumer project", async () => {
    const [issued] = await executeStatements('ALTER USER bella ADD TOKEN', stack.services);
    assert.ok(issued?.kind === 'change' && issued.token !== undefined);
    const headers = { authorization: `Bearer ${issued.token.token}`, 'content-type': 'application/json' };
    const authenticator = new CatalogAuthenticator({ store: stack.runtime.store });
    const hook = await createUdfHook({ home: stack.home, environment: stack.environment, principal: bella, project: 'analytics' });
    const server = await startServeServer({ hook, authenticator });
    try {
      const response = await fetch(`${server.url}/v1/functions/shared_udfs.echo/evaluate`, { method: 'POST', headers, body: JSON.stringify({ rows: [[1], [2], [3]] }) });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { results: [1, 2, 3] });
      const other = await createUdfHook({ home: stack.home, environment: stack.environment, principal: bella, project: 'default' });
      const refused = await startServeServer({ hook: other, authenticator });
      try {
        const denied = await fetch(`${refused.url}/v1/functions/shared_udfs.echo/evaluate`, { method: 'POST', headers, body: JSON.stringify({ rows: [[1]] }) });
        assert.equal(denied.status, 404);
        assert.match(JSON.stringify(await denied.json()), /project 'shared_udfs' does not exist or not authorized/);
      } finally {
        await refused.close();
        await other.close();
      }
    } finally {
      await server.close();
      await hook.close();
    }
  });

  it('lakefn invoke shared_udfs.echo --project analytics, as the grantee (and not from another project)', async () => {
    const environment = { ...stack.environment, LAKEFN_HOME: stack.home };
    const called = await runCli(['--as', 'bella', '--project', 'analytics', 'invoke', 'shared_udfs.echo', '--rows', '[[1],[2],[3]]'], { environment });
    assert.equal(called.code, 0, called.stderr);
    assert.equal(called.stdout, '1\n2\n3\n');
    const refused = await runCli(['--as', 'bella', 'invoke', 'shared_udfs.echo', '--rows', '[[1]]'], { environment });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /E_NO_SUCH_PROJECT.*project 'shared_udfs' does not exist or not authorized/);
  });

  it('a function its label keeps out is refused with the label by lakefn invoke, serve and DuckDB alike', async () => {
    await stack.sql('USE PROJECT shared_udfs; SET LABEL 5 TO FUNCTION echo');
    const label = /function shared_udfs\.echo has sensitivity label 5, above label 0 that project analytics is allowed for package shared_udfs\.k/;
    try {
      const environment = { ...stack.environment, LAKEFN_HOME: stack.home };
      const refused = await runCli(['--as', 'bella', '--project', 'analytics', 'invoke', 'shared_udfs.echo', '--rows', '[[1]]'], { environment });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /E_ACCESS_DENIED/);
      assert.match(refused.stderr, label);
      const [issued] = await executeStatements('ALTER USER bella ADD TOKEN', stack.services);
      assert.ok(issued?.kind === 'change' && issued.token !== undefined);
      const hook = await createUdfHook({ home: stack.home, environment: stack.environment, principal: bella, project: 'analytics' });
      const server = await startServeServer({ hook, authenticator: new CatalogAuthenticator({ store: stack.runtime.store }) });
      try {
        const headers = { authorization: `Bearer ${issued.token.token}`, 'content-type': 'application/json' };
        const denied = await fetch(`${server.url}/v1/functions/shared_udfs.echo/evaluate`, { method: 'POST', headers, body: JSON.stringify({ rows: [[1]] }) });
        assert.equal(denied.status, 403);
        assert.match(JSON.stringify(await denied.json()), label);
      } finally {
        await server.close();
      }
      const session = await createDuckDbSession({ hook });
      try {
        await assert.rejects(session.query('SELECT shared_udfs.echo(i::INT) FROM range(3) t(i)', { prefetch: false }), (error: unknown) => {
          assert.ok(LakefnError.isInstance(error), String(error));
          assert.equal(error.code, 'E_QUERY');
          assert.equal(error.data?.['cause_code'], 'E_ACCESS_DENIED');
          assert.match(error.message, label);
          return true;
        });
      } finally {
        await session.close();
        await hook.close();
      }
    } finally {
      await stack.sql('USE PROJECT shared_udfs; SET LABEL 0 TO FUNCTION echo');
    }
  });
});
