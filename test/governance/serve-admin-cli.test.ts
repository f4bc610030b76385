// The admin API of `lakefn serve` against the local CLI, over both stores: POST /v1/sql answers what `lakefn sql --json`
// prints, with the same error codes, and `lakefn --server` runs sql, connection, function and audit remotely with the
// local output and exit codes (child-process CLIs against the in-process server). Split from serve-authentication.test.ts
// to keep each file's CLI processes within the per-file timeout.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonOf, runCli } from '../cli/run-cli.ts';
import { storeDescriptors } from '../store/store-descriptors.ts';
import { AWS } from './governance-helpers.ts';
import { authenticatedServe, call } from './serve-helpers.ts';

for (const descriptor of storeDescriptors()) {
  describe(`serve admin API and --server: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    const serve = authenticatedServe(descriptor);

    it('POST /v1/sql returns what `lakefn sql --json` prints, with the same error codes (403 for E_ACCESS_DENIED)', async () => {
      const { fixture, catalog, server } = serve;
      await catalog.sql(`CREATE API CONNECTION shared ${AWS}; GRANT USAGE ON CONNECTION shared TO ROLE analyst`);
      const [issued] = await catalog.sql('ALTER USER alice ADD TOKEN');
      assert.ok(issued?.kind === 'change' && issued.token !== undefined);
      const token = issued.token.token;
      const script = 'SHOW API CONNECTIONS; DESC API CONNECTION shared; SHOW GRANTS TO ROLE analyst';
      const remote = await call(server, 'POST', '/v1/sql', token, { sql: script });
      assert.equal(remote.status, 200, JSON.stringify(remote.body));
      const local = await runCli(['--as', 'alice', '--json', 'sql', script], { environment: { ...fixture.environment, LAKEFN_AWS_ACCOUNT_ID: '210987654321' } });
      assert.equal(local.code, 0, local.stderr);
      assert.deepEqual(remote.body['results'], jsonOf(local));

      const denied = await call(server, 'POST', '/v1/sql', token, { sql: 'CREATE USER mallory' });
      const deniedLocally = await runCli(['--as', 'alice', '--json', 'sql', 'CREATE USER mallory'], { environment: fixture.environment });
      assert.equal(denied.status, 403);
      assert.equal(deniedLocally.code, 1);
      const error = denied.body['error'] as { code: string; message: string };
      assert.equal(error.code, 'E_ACCESS_DENIED');
      assert.equal(deniedLocally.stderr, `lakefn: ${error.code}: ${error.message}\n`);

      const syntax = await call(server, 'POST', '/v1/sql', token, { sql: 'SHOW NOTHING' });
      assert.equal(syntax.status, 400);
      assert.equal((syntax.body['error'] as { code: string }).code, 'E_SYNTAX');
      const missing = await call(server, 'POST', '/v1/sql', token, { sql: 'DESC API CONNECTION nowhere' });
      assert.equal(missing.status, 404);
      // a script that fails half-way: what was applied is reported with the error
      const half = await call(server, 'POST', '/v1/sql', token, { sql: 'SHOW API CONNECTIONS; CREATE USER mallory' });
      assert.equal(half.status, 403);
      assert.equal((half.body['results'] as unknown[]).length, 1);
    });
    it('--server runs sql, connection, function and audit remotely with the local output and exit codes', async () => {
      const { fixture, catalog, server } = serve;
      await catalog.sql('GRANT ROLE auditor TO USER carol; GRANT ROLE admin TO USER carol');
      const [issued] = await catalog.sql('ALTER USER carol ADD TOKEN');
      assert.ok(issued?.kind === 'change' && issued.token !== undefined);
      const remote = { LAKEFN_TOKEN: issued.token.token, LAKEFN_AWS_ACCOUNT_ID: '210987654321' };
      const local = { ...fixture.environment, LAKEFN_AWS_ACCOUNT_ID: '210987654321' };
      const both = async (args: readonly string[]): Promise<[Awaited<ReturnType<typeof runCli>>, Awaited<ReturnType<typeof runCli>>]> => [
        await runCli(['--server', server.url, ...args], { environment: remote }),
        await runCli(['--as', 'carol', ...args], { environment: local }),
      ];
      const created = await runCli(['--server', server.url, '--json', 'connection', 'create', 'remote_conn', '--provider', 'aws', '--region', 'us-east-1', '--role-arn', 'arn:aws:iam::123456789012:role/r', '--comment', "it's remote"], { environment: remote });
      assert.equal(created.code, 0, created.stderr);
      assert.equal((jsonOf(created) as { outcome: string }).outcome, 'created');
      for (const args of [
        ['--json', 'connection', 'list'], ['connection', 'list'], ['--json', 'connection', 'desc', 'remote_conn'], ['function', 'list'], ['--json', 'sql', 'SHOW USERS'],
        ['sql', 'SHOW ROLES'], ['--json', 'function', 'desc', 'nowhere'], ['audit', 'verify'], ['--json', 'audit', 'verify'],
      ]) {
        const [onServer, onCatalog] = await both(args);
        assert.equal(onServer.code, onCatalog.code, `${args.join(' ')}: ${onServer.stderr}`);
        assert.equal(onServer.stdout, onCatalog.stdout, args.join(' '));
        assert.equal(onServer.stderr, onCatalog.stderr, args.join(' '));
      }
      const listed = await runCli(['--server', server.url, '--json', 'audit', 'list', '--type', 'ADMIN', '--principal', 'carol'], { environment: remote });
      assert.equal(listed.code, 0, listed.stderr);
      const records = jsonOf(listed) as { principal: string; body: Record<string, unknown> }[];
      assert.ok(records.length > 0 && records.every((record) => record.principal === 'carol'));
      assert.ok(records.some((record) => record.body['statement'] === 'SHOW API CONNECTIONS' && record.body['authentication'] === 'token'));
      const dropped = await runCli(['--server', server.url, 'connection', 'drop', 'remote_conn'], { environment: remote });
      assert.equal(dropped.code, 0, dropped.stderr);
      assert.match(dropped.stdout, /remote_conn/);

      // refused combinations and a missing token
      const usage = [
        await runCli(['--server', server.url, '--as', 'bob', 'sql', 'SHOW USERS'], { environment: remote }),
        await runCli(['--server', server.url, '--home', fixture.home, 'sql', 'SHOW USERS'], { environment: remote }),
        await runCli(['--server', server.url, 'store', 'rotate-key'], { environment: remote }),
        await runCli(['--server', server.url, 'sql', 'SHOW USERS'], { environment: {} }),
      ];
      for (const run of usage) {
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, /^lakefn: E_USAGE: /);
      }
      const unauthenticated = await runCli(['--server', server.url, 'sql', 'SHOW USERS'], { environment: { LAKEFN_TOKEN: 'lakefn_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
      assert.equal(unauthenticated.code, 1);
      assert.match(unauthenticated.stderr, /^lakefn: E_AUTH: authentication failed: unknown or revoked API token/);
    });

  });
}
