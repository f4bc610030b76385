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

// the providers' child processes interleave (each waits on its own mock calls); one mock serves all
describe('lakefn CLI over every provider (child processes, mock cloud)', { concurrency: true }, () => {
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
    it(`${provider}: CREATE, DESC, VALIDATE (FAILED, INSECURE_TRUST_POLICY, INCONCLUSIVE, VERIFIED), invoke`, async () => {
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
      const roleArn = definition.catalog.roleArn.format({ accountId: mock.customerAccounts[provider].accountId, roleName: 'lakefn-cli' });
      const namespace = definition.catalog.namespace.required ? " NAMESPACE = 'default'" : '';
      ok(await lakefn('sql', `CREATE API CONNECTION conn TYPE CLOUD_FUNCTION PROVIDER = '${provider}' REGION = '${region}' ROLE_ARN = '${roleArn}'${namespace};
        CREATE EXTERNAL FUNCTION up(s VARCHAR) RETURNS VARCHAR CONNECTION conn AS 'upper' WITH PROPERTIES ('max_batch_rows'='2')`));
      const described = jsonOf(ok(await lakefn('connection', 'desc', 'conn', '--json'))) as { trust_policy: Record<string, unknown>; endpoints: Record<string, string> };
      assert.equal(described.endpoints['sts'], mock.env[endpointVariable(provider, 'sts')]);

      // no role yet: STS definitely refuses step 1
      expectCliError(await lakefn('connection', 'validate', 'conn'), { exit: 1, code: 'E_STS_DENIED', message: /^connection 'conn' did not validate \(FAILED: step 1 .*refused it \(E_STS_DENIED/ });
      // a role that trusts lakefn's broker without the external ID
      mock.putRole({ provider, roleArn, trustPolicy: JSON.stringify(withoutCondition(described.trust_policy)) });
      expectCliError(await lakefn('connection', 'validate', 'conn'), {
        exit: 1,
        code: 'E_INSECURE_TRUST_POLICY',
        message: /^connection 'conn' did not validate \(INSECURE_TRUST_POLICY: step 2 \(AssumeRole without an external ID\) succeeded, but it must be refused/,
      });
      // DESC's trust policy; STS unreachable first (proves nothing, changes nothing), then reached
      mock.putRole({ provider, roleArn, trustPolicy: JSON.stringify(described.trust_policy) });
      const unreachable = await lakefnWith({ [endpointVariable(provider, 'sts')]: 'http://127.0.0.1:9' }, 'connection', 'validate', 'conn', '--json');
      expectCliError(unreachable, { exit: 1, code: 'E_VALIDATION_INCONCLUSIVE', message: /^connection 'conn' did not validate \(INCONCLUSIVE: step 1 .*could not reach .*stored status is unchanged/ });
      const inconclusive = jsonOf(unreachable) as ValidatedJson;
      assert.deepEqual([inconclusive.validation.status, inconclusive.validation.code, inconclusive.connection.status], ['INCONCLUSIVE', 'E_VALIDATION_INCONCLUSIVE', 'INSECURE_TRUST_POLICY']);
      const verified = jsonOf(ok(await lakefn('connection', 'validate', 'conn', '--json'))) as ValidatedJson;
      assert.deepEqual([verified.validation.status, verified.validation.code, verified.connection.status], ['VERIFIED', null, 'VERIFIED']);

      mock.putFunction({ provider, accountId: mock.customerAccounts[provider].accountId, region, namespace: 'default', name: 'upper', builtin: 'upper' });
      const invoked = ok(await lakefn('invoke', 'up', '--rows', '[["a"], [null], ["ß"], ["x y"], ["é"]]'));
      assert.deepEqual(invoked.stdout.split('\n'), ['"A"', 'null', '"SS"', '"X Y"', '"É"', '']);
      assert.match(invoked.stderr, /^batches\s+3$/m);
    });
  }
});
