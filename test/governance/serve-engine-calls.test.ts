// Engine calls through `lakefn serve` over the real stack (SDKs → mock cloud): each call runs as the principal its API
// token authenticates; X-Lakefn-On-Behalf-Of names the end user only for holders of the built-in engine role, and the
// audit keeps both; `lakefn invoke --server` gives the local output.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAdminApi } from '../../src/serve/admin-api.ts';
import { startServeServer, type ServeServer } from '../../src/serve/create-serve-server.ts';
import { CatalogAuthenticator } from '../../src/serve/request-authenticator.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import type { AuditRecord } from '../../src/store/audit-log.ts';
import { runCli } from '../cli/run-cli.ts';
import { startLakefnStack, type LakefnStack } from '../udf/lakefn-stack.ts';

async function tokenFor(stack: LakefnStack, user: string): Promise<string> {
  const [result] = await executeStatements(`ALTER USER ${user} ADD TOKEN`, stack.services);
  assert.ok(result?.kind === 'change' && result.token !== undefined);
  return result.token.token;
}

async function evaluate(server: ServeServer, token: string, rows: unknown[][], headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/v1/functions/upper_fn/evaluate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ rows }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function auditRecords(stack: LakefnStack): Promise<AuditRecord[]> {
  await stack.runtime.audit.flush();
  return stack.runtime.store.read(async (session) => {
    const records: AuditRecord[] = [];
    for (let after = 0; ; ) {
      const page = await session.audit.list({}, after);
      if (page.length === 0) return records;
      records.push(...page);
      after = page[page.length - 1]!.seq;
    }
  });
}

describe('serve: engine calls as the authenticated principal', () => {
  let stack: LakefnStack;
  let server: ServeServer;
  const tokens: Record<string, string> = {};

  before(async () => {
    stack = await startLakefnStack();
    await stack.createConnection('aliyun', 'fc_conn');
    stack.putFunction('aliyun', 'upper', { builtin: 'upper' });
    await stack.sql(`
      CREATE EXTERNAL FUNCTION upper_fn(s VARCHAR) RETURNS VARCHAR CONNECTION fc_conn AS 'upper';
      CREATE ROLE analyst; GRANT EXECUTE ON FUNCTION upper_fn TO ROLE analyst;
      CREATE USER alice; GRANT ROLE analyst TO USER alice; CREATE USER bob;
      CREATE USER trino; GRANT ROLE engine TO USER trino; CREATE USER script`);
    for (const user of ['alice', 'bob', 'trino', 'script']) tokens[user] = await tokenFor(stack, user);
    server = await startServeServer({ hook: stack.hook, authenticator: new CatalogAuthenticator({ store: stack.runtime.store }), admin: createAdminApi(stack.services) });
  });

  after(async () => {
    await server?.close();
    await stack?.stop();
  });

  it('runs a call as the token’s user: EXECUTE through a role allows it; without it the function does not exist or is not authorized (404)', async () => {
    assert.deepEqual(await evaluate(server, tokens['alice']!, [['a'], [null]]), { status: 200, body: { results: ['A', null] } });
    const denied = await evaluate(server, tokens['script']!, [['a']]);
    assert.equal(denied.status, 404, 'an invisible function: does not exist or not authorized');
    const summaries = (await auditRecords(stack)).filter((record) => record.type === 'INVOKE_SUMMARY');
    assert.equal(summaries.at(-1)?.principal, 'alice');
    assert.equal(summaries.at(-1)?.body['authentication'], 'token');
    assert.equal(summaries.at(-1)?.body['source_ip'], '127.0.0.1');
  });

  it('X-Lakefn-On-Behalf-Of: only for the engine role; decided as the end user; the audit keeps both', async () => {
    const forAlice = await evaluate(server, tokens['trino']!, [['x']], { 'x-lakefn-on-behalf-of': 'alice' });
    assert.deepEqual(forAlice, { status: 200, body: { results: ['X'] } });
    const summary = (await auditRecords(stack)).filter((record) => record.type === 'INVOKE_SUMMARY').at(-1);
    assert.equal(summary?.principal, 'alice');
    assert.equal(summary?.body['on_behalf_of_by'], 'trino');

    // the engine calls for bob, who holds no EXECUTE: denied as bob
    const forBob = await evaluate(server, tokens['trino']!, [['x']], { 'x-lakefn-on-behalf-of': 'bob' });
    assert.equal(forBob.status, 404);
    // a principal without the engine role may not name anyone (even a user who could call)
    const notEngine = await evaluate(server, tokens['script']!, [['x']], { 'x-lakefn-on-behalf-of': 'alice' });
    assert.equal(notEngine.status, 403);
    assert.match((notEngine.body['error'] as { message: string }).message, /needs the built-in role engine/);
    // the refusal is recorded (by the hook's own audit writer, on its next flush): as the end user, by the caller
    let denial: AuditRecord | undefined;
    for (let waited = 0; denial === undefined && waited < 5_000; waited += 50) {
      denial = (await auditRecords(stack)).find((record) => record.type === 'AUTHZ' && record.body['on_behalf_of_by'] === 'script');
      if (denial === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(denial?.principal, 'alice');
    assert.equal(denial?.body['decision'], 'DENY');
    assert.equal(denial?.body['denied_at'], 'authentication');
    // not on admin routes
    const sql = await fetch(`${server.url}/v1/sql`, { method: 'POST', headers: { authorization: `Bearer ${tokens['trino']!}`, 'x-lakefn-on-behalf-of': 'alice' }, body: '{"sql":"SHOW TOKENS"}' });
    assert.equal(sql.status, 400);
  });

  it('lakefn invoke --server gives the local output and exit codes', async () => {
    const rows = '[["fc"],[null],["é"]]';
    const remote = await runCli(['--server', server.url, 'invoke', 'upper_fn', '--rows', rows], { environment: { LAKEFN_TOKEN: tokens['alice']! } });
    const local = await runCli(['--home', stack.home, '--as', 'alice', 'invoke', 'upper_fn', '--rows', rows], { environment: { ...stack.environment } });
    assert.equal(remote.code, 0, remote.stderr);
    assert.equal(local.code, 0, local.stderr);
    assert.equal(remote.stdout, local.stdout);
    assert.equal(remote.stdout, '"FC"\nnull\n"É"\n');
    assert.match(remote.stderr, /rows\s+3/);
    const denied = await runCli(['--server', server.url, 'invoke', 'upper_fn', '--rows', rows], { environment: { LAKEFN_TOKEN: tokens['bob']! } });
    const deniedLocally = await runCli(['--home', stack.home, '--as', 'bob', 'invoke', 'upper_fn', '--rows', rows], { environment: { ...stack.environment } });
    assert.equal(denied.code, 1);
    assert.equal(denied.code, deniedLocally.code);
    assert.equal(denied.stderr, deniedLocally.stderr);
  });

  it('a REVOKE stops the next call of a user already authenticated', async () => {
    await stack.sql('REVOKE EXECUTE ON FUNCTION upper_fn FROM ROLE analyst');
    assert.equal((await evaluate(server, tokens['alice']!, [['a']])).status, 404);
  });
});
