// The governance CLI end to end (`node bin/lakefn.js …` in child processes, SQLite): --project and LAKEFN_PROJECT, --as,
// and `lakefn audit verify | list | prune` with their exit codes (0 ok, 1 rejected or not verified, 2 usage).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type CliRun, expectCliError, jsonOf, runCli } from '../cli/run-cli.ts';

const AWS = "TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/lakefn-udf'";

function ok(run: CliRun): CliRun {
  assert.equal(run.code, 0, `expected exit 0, got ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return run;
}

describe('governance CLI (child processes)', () => {
  let home: string;
  const lakefn = (args: readonly string[], environment: Record<string, string> = {}): Promise<CliRun> => runCli(args, { environment: { LAKEFN_HOME: home, ...environment } });

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'lakefn-governance-cli-'));
    ok(await lakefn(['sql', 'CREATE PROJECT sales; CREATE USER alice; CREATE USER auditor_bob; GRANT ROLE auditor TO USER auditor_bob']));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('--project and LAKEFN_PROJECT choose the current project (the flag wins); unknown or invisible ones are "does not exist or not authorized"', async () => {
    ok(await lakefn(['--project', 'sales', 'sql', `CREATE API CONNECTION c ${AWS}`]));
    const listed = (env: Record<string, string>, args: string[] = []): Promise<unknown> => lakefn([...args, 'connection', 'list', '--json'], env).then((run) => jsonOf(ok(run)));
    assert.deepEqual(((await listed({ LAKEFN_PROJECT: 'sales' })) as { name: string }[]).map((row) => row.name), ['c']);
    assert.deepEqual(await listed({}), []);
    assert.deepEqual(await listed({ LAKEFN_PROJECT: 'sales' }, ['--project', 'default']), []);
    ok(await lakefn(['connection', 'desc', 'sales.c']));
    expectCliError(await lakefn(['--project', 'nowhere', 'connection', 'list']), { exit: 1, code: 'E_NO_SUCH_PROJECT', message: /^project 'nowhere' does not exist or not authorized/ });
    expectCliError(await lakefn(['--as', 'alice', '--project', 'sales', 'connection', 'list']), { exit: 1, code: 'E_NO_SUCH_PROJECT', message: /^project 'sales' does not exist or not authorized/ });
    expectCliError(await lakefn(['--project', 'a b', 'connection', 'list']), { exit: 2, code: 'E_USAGE', message: /^--project: / });
  });

  it('--as runs as a catalog user (denials name the missing privilege); an unknown user is refused', async () => {
    expectCliError(await lakefn(['--as', 'alice', 'sql', 'CREATE USER eve']), {
      exit: 1, code: 'E_ACCESS_DENIED', message: /^alice is not authorized: no object privilege or managed data policy allows lakefn:CreateUser on the account: missing membership in admin/,
    });
    expectCliError(await lakefn(['--as', 'nobody', 'sql', 'SHOW FUNCTIONS']), { exit: 1, code: 'E_ACCESS_DENIED', message: /user 'nobody' does not exist/ });
    const shown = jsonOf(ok(await lakefn(['--as', 'alice', 'sql', 'SHOW PROJECTS', '--json']))) as unknown[];
    assert.deepEqual(shown, []);
  });

  it('audit list: the whole log for auditors (filters by type and principal), a project\'s records with MONITOR, nothing for others', async () => {
    const records = jsonOf(ok(await lakefn(['--as', 'auditor_bob', 'audit', 'list', '--type', 'ADMIN', '--json']))) as { type: string; principal: string; body: Record<string, unknown> }[];
    assert.ok(records.length >= 5);
    assert.ok(records.every((record) => record.type === 'ADMIN'));
    assert.ok(records.some((record) => record.principal === 'alice' && record.body['acting_as_by'] !== undefined && record.body['status'] === 'ERROR'));
    const human = ok(await lakefn(['audit', 'list', '--principal', 'alice']));
    assert.match(human.stdout, /^\d+ {2}\S+ {2}AUTHZ {2}alice {2}/m);
    assert.match(human.stderr, /^\(\d+ records?\)$/m);
    expectCliError(await lakefn(['--as', 'alice', 'audit', 'list']), { exit: 1, code: 'E_ACCESS_DENIED', message: /lakefn:ReadAudit .*missing membership in auditor/ });
    ok(await lakefn(['sql', 'GRANT MONITOR ON PROJECT sales TO USER alice']));
    const scoped = jsonOf(ok(await lakefn(['--as', 'alice', '--project', 'sales', 'audit', 'list', '--json']))) as { project: string | null }[];
    assert.ok(scoped.length > 0);
    assert.ok(scoped.every((record) => record.project === 'sales'));
    expectCliError(await lakefn(['audit', 'list', '--since', 'yesterday']), { exit: 2, code: 'E_USAGE', message: /--since 'yesterday' is not an ISO-8601/ });
  });

  it('audit verify exits 0 on an intact chain and 1 naming the first record that does not verify; rotate-key keeps it verifiable', async () => {
    assert.match(ok(await lakefn(['audit', 'verify'])).stdout, /^audit log verified: \d+ record\(s\), records 1\.\.\d+\n$/);
    ok(await lakefn(['store', 'rotate-key']));
    const verified = jsonOf(ok(await lakefn(['audit', 'verify', '--json']))) as { ok: boolean; verified: number };
    assert.equal(verified.ok, true);
    const database = new Database(join(home, 'lakefn.db'));
    const original = database.prepare('SELECT body FROM lakefn_audit WHERE seq = 3').get() as { body: string };
    database.prepare('UPDATE lakefn_audit SET body = ? WHERE seq = 3').run(original.body.replace('"OK"', '"ERROR"').replace('"ALLOW"', '"DENY"'));
    database.close();
    const tampered = await lakefn(['audit', 'verify']);
    expectCliError(tampered, { exit: 1, code: 'E_STORE_TAMPERED', message: /^the audit log does not verify: record 3 \((ADMIN|AUTHZ) at \S+, event [0-9a-f-]+\): its contents do not match its hash/ });
    expectCliError(await lakefn(['--as', 'alice', 'audit', 'verify']), { exit: 1, code: 'E_ACCESS_DENIED', message: /lakefn:VerifyAudit/ });
    const restore = new Database(join(home, 'lakefn.db'));
    restore.prepare('UPDATE lakefn_audit SET body = ? WHERE seq = 3').run(original.body);
    restore.close();
    ok(await lakefn(['audit', 'verify']));
  });

  it('audit prune --before T deletes the older records, records itself, and the chain stays verifiable', async () => {
    expectCliError(await lakefn(['--as', 'alice', 'audit', 'prune', '--before', '2999-01-01']), { exit: 1, code: 'E_ACCESS_DENIED', message: /missing membership in admin/ });
    const pruned = jsonOf(ok(await lakefn(['audit', 'prune', '--before', '2999-01-01', '--json']))) as { pruned: number; first_seq: number };
    assert.ok(pruned.pruned > 10);
    const after = jsonOf(ok(await lakefn(['audit', 'list', '--json']))) as { seq: number; type: string; body: Record<string, unknown> }[];
    assert.equal(after[0]?.seq, pruned.first_seq);
    assert.ok(after.some((record) => record.type === 'ADMIN' && record.body['action'] === 'lakefn:PruneAudit'));
    assert.match(ok(await lakefn(['audit', 'verify'])).stdout, /records \d+\.\.\d+ \(records before \d+ were pruned\)/);
    expectCliError(await lakefn(['audit', 'prune']), { exit: 2, code: 'E_USAGE', message: /--before/ });
  });
});
