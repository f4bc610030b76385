// The admin CLI over every provider, end to end: `node bin/lakefn.js …` in child processes against the mock cloud (real
// SDKs over loopback) and a temp LAKEFN_HOME. A connection goes from CREATE through DESC and every VALIDATE outcome
// (each failing one exits 1 with its code on the `lakefn: CODE: message` line) to `lakefn invoke`.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MockCloud } from '../../mocks/mock-cloud.ts';
import { endpointVariable } from '../../src/config/provider-environment.ts';
import { PROVIDER_NAMES, providerDefinition } from '../../src/registry/providers.ts';
import { withoutCondition } from '../helpers/with-mock-cloud.ts';
import { type CliRun, expectCliError, jsonOf, runCli } from './run-cli.ts';

interface ValidatedJson {
  readonly outcome: string;
  readonly validation: { readonly status: string; readonly code: string | null; readonly detail: string | null };
  readonly connection: { readonly status: string };
}

describe('lakefn CLI over every provider (child processes, mock cloud)', () => {
  let mock: MockCloud;
  const homes: string[] = [];

  before(async () => {
    mock = await MockCloud.start();
  });
  after(async () => {
    await mock.stop();
    await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
  });

  for (const provider of PROVIDER_NAMES) {
    it(`${provider}: CREATE, DESC, VALIDATE (FAILED, INSECURE_TRUST_POLICY, VERIFIED, INCONCLUSIVE), invoke`, async () => {
      const home = await mkdtemp(join(tmpdir(), `lakefn-cli-${provider}-`));
      homes.push(home);
      const lakefnWith = (environment: Record<string, string>, ...args: string[]): Promise<CliRun> =>
        runCli(args, { environment: { ...mock.env, LAKEFN_HOME: home, ...environment } });
      const lakefn = (...args: string[]): Promise<CliRun> => lakefnWith({}, ...args);
      const ok = (run: CliRun): CliRun => {
        assert.equal(run.code, 0, `${provider}: expected exit 0\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
        return run;
      };

      const definition = providerDefinition(provider);
      const region = mock.provider(provider).functions.defaultRegion;
      const accountId = mock.customerAccounts[provider].accountId;
      const namespace = definition.catalog.namespace.required ? " NAMESPACE = 'default'" : '';
      // three connections: to a role that does not exist, to one that trusts lakefn without the external ID, to one with DESC's policy
      const roles = { missing: 'lakefn-missing', open: 'lakefn-open', good: 'lakefn-good' } as const;
      const roleArn = (roleName: string) => definition.catalog.roleArn.format({ accountId, roleName });
      const create = Object.entries(roles).map(([name, roleName]) => `CREATE API CONNECTION ${name} TYPE CLOUD_FUNCTION PROVIDER = '${provider}' REGION = '${region}' ROLE_ARN = '${roleArn(roleName)}'${namespace};`);
      ok(await lakefn('sql', `${create.join('\n')}\nCREATE EXTERNAL FUNCTION up(s VARCHAR) RETURNS VARCHAR CONNECTION good AS 'upper' WITH PROPERTIES ('max_batch_rows'='2')`));
      const [open, good] = jsonOf(ok(await lakefn('sql', '--json', 'DESC API CONNECTION open; DESC API CONNECTION good'))) as { trust_policy: Record<string, unknown>; endpoints: Record<string, string> }[];
      assert.ok(open !== undefined && good !== undefined);
      assert.equal(good.endpoints['sts'], mock.env[endpointVariable(provider, 'sts')]);
      mock.putRole({ provider, roleArn: roleArn(roles.open), trustPolicy: JSON.stringify(withoutCondition(open.trust_policy)) });
      mock.putRole({ provider, roleArn: roleArn(roles.good), trustPolicy: JSON.stringify(good.trust_policy) });

      // each outcome that is not VERIFIED exits 1 with its own `lakefn: CODE: …` line
      const validated = await lakefn('sql', '--json', 'VALIDATE API CONNECTION missing; VALIDATE API CONNECTION open; VALIDATE API CONNECTION good');
      assert.equal(validated.code, 1, validated.stderr);
      const lines = validated.stderr.split('\n').filter((line) => line.startsWith('lakefn: '));
      assert.equal(lines.length, 2, validated.stderr);
      assert.match(lines[0] ?? '', /^lakefn: E_STS_DENIED: connection 'missing' did not validate \(FAILED: step 1 .*refused it \(E_STS_DENIED/);
      assert.match(lines[1] ?? '', /^lakefn: E_INSECURE_TRUST_POLICY: connection 'open' did not validate \(INSECURE_TRUST_POLICY: step 2 \(AssumeRole without an external ID\) succeeded, but it must be refused/);
      // --json: each result's validation carries the same code (null when VERIFIED)
      const results = jsonOf(validated) as ValidatedJson[];
      assert.deepEqual(results.map((result) => [result.validation.status, result.validation.code]), [['FAILED', 'E_STS_DENIED'], ['INSECURE_TRUST_POLICY', 'E_INSECURE_TRUST_POLICY'], ['VERIFIED', null]]);

      // STS unreachable proves nothing and changes nothing
      const unreachable = await lakefnWith({ [endpointVariable(provider, 'sts')]: 'http://127.0.0.1:9' }, 'connection', 'validate', 'good', '--json');
      expectCliError(unreachable, { exit: 1, code: 'E_VALIDATION_INCONCLUSIVE', message: /^connection 'good' did not validate \(INCONCLUSIVE: step 1 .*could not reach .*stored status is unchanged/ });
      const inconclusive = jsonOf(unreachable) as ValidatedJson;
      assert.deepEqual([inconclusive.validation.status, inconclusive.validation.code, inconclusive.connection.status], ['INCONCLUSIVE', 'E_VALIDATION_INCONCLUSIVE', 'VERIFIED']);

      mock.putFunction({ provider, accountId, region, namespace: 'default', name: 'upper', builtin: 'upper' });
      const invoked = ok(await lakefn('invoke', 'up', '--rows', '[["a"], [null], ["ß"], ["x y"], ["é"]]'));
      assert.deepEqual(invoked.stdout.split('\n'), ['"A"', 'null', '"SS"', '"X Y"', '"É"', '']);
      assert.match(invoked.stderr, /^batches\s+3$/m);
    });
  }
});
