// $LAKEFN_HOME/config.json through the real CLI: broker account ids for DESC, env precedence, strict validation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliRun, expectCliError, jsonOf, runCli } from './run-cli.ts';

const AWS_FLAGS = ['--provider', 'aws', '--region', 'us-east-1', '--role-arn', 'arn:aws:iam::123456789012:role/lakefn-udf'];

function ok(run: CliRun): CliRun {
  assert.equal(run.code, 0, `stdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return run;
}

describe('lakefn with $LAKEFN_HOME/config.json', () => {
  let home: string;
  const lakefn = (environment: Record<string, string>, ...args: string[]) => runCli(args, { environment: { LAKEFN_HOME: home, ...environment } });
  const brokerAccountOf = (run: CliRun): unknown => (jsonOf(run) as { broker_account_id?: unknown }).broker_account_id;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'lakefn-cli-config-'));
    ok(await lakefn({}, 'connection', 'create', 'sales', ...AWS_FLAGS));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('DESC takes the broker account id from config.json; LAKEFN_AWS_ACCOUNT_ID wins over it', async () => {
    writeFileSync(join(home, 'config.json'), JSON.stringify({ account_ids: { aws: '444455556666' }, endpoints: { aws: { lambda: 'http://127.0.0.1:9' } } }));
    const fromFile = ok(await lakefn({}, 'connection', 'desc', 'sales', '--json'));
    assert.equal(brokerAccountOf(fromFile), '444455556666');
    assert.match(JSON.stringify((jsonOf(fromFile) as { trust_policy: unknown }).trust_policy), /444455556666/);
    const fromEnvironment = ok(await lakefn({ LAKEFN_AWS_ACCOUNT_ID: '777788889999' }, 'connection', 'desc', 'sales', '--json'));
    assert.equal(brokerAccountOf(fromEnvironment), '777788889999');
  });

  it('a config.json with an unknown key rejects the command (exit 1), naming the file and the key path', async () => {
    writeFileSync(join(home, 'config.json'), JSON.stringify({ account_ids: { aws: '444455556666' }, endpoints: { aws: { lamda: 'http://127.0.0.1:9' } } }));
    const run = await lakefn({}, 'sql', 'SHOW API CONNECTIONS');
    expectCliError(run, { exit: 1, code: 'E_INVALID_ARGUMENT', message: new RegExp(`^the configuration file ${join(home, 'config.json').replaceAll('.', '\\.')} is invalid: unknown key 'endpoints\\.aws\\.lamda'`) });
  });
});
