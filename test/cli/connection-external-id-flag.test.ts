// `lakefn connection create|alter --external-id X`: refused like the DDL's EXTERNAL_ID property, never echoed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expectCliError, runCli } from './run-cli.ts';

const OFFERED = 'AttackerChosenExternalId0123456789';
const AWS_FLAGS = ['--provider', 'aws', '--region', 'us-east-1', '--role-arn', 'arn:aws:iam::123456789012:role/lakefn-udf'];

describe('lakefn connection create|alter --external-id', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'lakefn-external-id-flag-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  const cases: readonly (readonly string[])[] = [
    ['connection', 'create', 'sales', ...AWS_FLAGS, '--external-id', OFFERED],
    ['connection', 'create', 'sales', `--external-id=${OFFERED}`, ...AWS_FLAGS, '--json'],
    // refused before the required-option check: the reason, not "required option not specified"
    ['connection', 'create', 'sales', '--external-id', OFFERED],
    ['connection', 'alter', 'sales', '--external-id', OFFERED],
    ['connection', 'alter', 'sales', '--comment', 'x', '--external-id'],
  ];
  for (const args of cases) {
    it(`${args.slice(0, 2).join(' ')} ${args.slice(3).join(' ').replace(OFFERED, '<id>')} → E_EXTERNAL_ID_NOT_SETTABLE, exit 1`, async () => {
      const run = await runCli(args, { environment: { LAKEFN_HOME: home } });
      expectCliError(run, { exit: 1, code: 'E_EXTERNAL_ID_NOT_SETTABLE', message: /^--external-id cannot be set: .*confused-deputy.*ROTATE EXTERNAL_ID replaces it$/ });
      assert.match(run.stderr, /^lakefn: E_EXTERNAL_ID_NOT_SETTABLE: /, 'the refusal is the only thing on stderr');
      assert.equal(run.stdout, '');
      assert.ok(!run.stderr.includes(OFFERED) && !run.stdout.includes(OFFERED), 'the offered external ID was echoed');
      assert.ok(!existsSync(join(home, 'lakefn.db')), 'the refusal happens before the catalog is opened');
    });
  }

  it('is hidden from --help', async () => {
    for (const verb of ['create', 'alter']) {
      const run = await runCli(['connection', verb, '--help']);
      assert.equal(run.code, 0);
      assert.ok(!run.stdout.includes('external-id'), `${verb} --help shows --external-id`);
    }
  });
});
