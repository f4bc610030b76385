// GET /metrics of `lakefn serve` is lakefn:ReadMetrics: the counters name every function, connection and provider
// called, so an authenticated user alone does not read them; auditor, administrators or LakefnDataReadOnlyAccess do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAdminApi } from '../../src/serve/admin-api.ts';
import { startServeServer, type ServeServer } from '../../src/serve/create-serve-server.ts';
import { CatalogAuthenticator } from '../../src/serve/request-authenticator.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import { startLakefnStack, type LakefnStack } from '../udf/lakefn-stack.ts';

async function tokenFor(stack: LakefnStack, user: string): Promise<string> {
  const [result] = await executeStatements(`ALTER USER ${user} ADD TOKEN`, stack.services);
  assert.ok(result?.kind === 'change' && result.token !== undefined);
  return result.token.token;
}

async function metrics(server: ServeServer, token: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, text: await response.text() };
}

describe('serve: /metrics is lakefn:ReadMetrics', () => {
  let stack: LakefnStack;
  let server: ServeServer;
  const tokens: Record<string, string> = {};
  const serveToken = 'metrics-test-serve-token-0123456789';

  before(async () => {
    stack = await startLakefnStack();
    await stack.sql(`
      CREATE USER alice; CREATE USER watcher; GRANT ROLE auditor TO USER watcher; CREATE USER helper; GRANT ROLE admin TO USER helper;
      CREATE USER scraper; ATTACH POLICY LakefnDataReadOnlyAccess TO USER scraper;
      CREATE USER blocked; GRANT ROLE auditor TO USER blocked;
      CREATE POLICY no_metrics AS '{"Version": "1", "Statement": [{"Sid": "NoMetrics", "Effect": "Deny", "Action": "lakefn:ReadMetrics", "Resource": "*"}]}';
      ATTACH POLICY no_metrics TO USER blocked`);
    for (const user of ['alice', 'watcher', 'helper', 'scraper', 'blocked']) tokens[user] = await tokenFor(stack, user);
    server = await startServeServer({
      hook: stack.hook,
      authenticator: new CatalogAuthenticator({ store: stack.runtime.store, serveToken }),
      admin: createAdminApi(stack.services),
    });
  });

  after(async () => {
    await server?.close();
    await stack?.stop();
  });

  it('refuses an authenticated user without the privilege (403, recorded), and names what is missing', async () => {
    const reply = await metrics(server, tokens['alice']!);
    assert.equal(reply.status, 403);
    const body = JSON.parse(reply.text) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'E_ACCESS_DENIED');
    assert.match(body.error.message, /alice is not authorized/);
    assert.match(body.error.message, /auditor/);
    await stack.runtime.audit.flush();
    const denials = await stack.runtime.store.read((session) => session.audit.list({ types: ['AUTHZ'] }, 0));
    assert.ok(denials.some((record) => record.principal === 'alice' && record.body['action'] === 'lakefn:ReadMetrics'), 'the denial is in the audit log');
  });

  it('serves the auditor role, administrators, LakefnDataReadOnlyAccess and LAKEFN_SERVE_TOKEN', async () => {
    for (const token of [tokens['watcher']!, tokens['helper']!, tokens['scraper']!, serveToken]) {
      const reply = await metrics(server, token);
      assert.equal(reply.status, 200);
      assert.match(reply.text, /# TYPE lakefn_rows_total counter/);
    }
  });

  it('an explicit Deny on lakefn:ReadMetrics wins over the auditor role', async () => {
    const reply = await metrics(server, tokens['blocked']!);
    assert.equal(reply.status, 403);
    assert.match(reply.text, /NoMetrics/);
  });

  it('a server without a catalog (no admin API) shows its metrics to LAKEFN_SERVE_TOKEN only', async () => {
    const bare = await startServeServer({ hook: stack.hook, authenticator: new CatalogAuthenticator({ store: stack.runtime.store, serveToken }) });
    try {
      assert.equal((await metrics(bare, serveToken)).status, 200);
      const refused = await metrics(bare, tokens['watcher']!);
      assert.equal(refused.status, 403);
      assert.match(refused.text, /only LAKEFN_SERVE_TOKEN may/);
    } finally {
      await bare.close();
    }
  });
});
