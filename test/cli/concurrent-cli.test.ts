// Several `lakefn` processes writing the same catalog at the same time, on both stores, starting from a
// catalog that does not exist yet (so migrations and store.key creation race too).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storeDescriptors } from '../store/store-descriptors.ts';
import { expectCliError, jsonOf, runCli } from './run-cli.ts';

const AWS_DDL = "TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/lakefn-udf'";

for (const descriptor of storeDescriptors()) {
  describe(`concurrent CLI processes on ${descriptor.name}`, { skip: descriptor.skip }, () => {
    before(() => descriptor.start());
    after(() => descriptor.stop());

    it('processes creating different connections all succeed; the same name twice → exactly one E_CONNECTION_EXISTS', async () => {
      const fixture = await descriptor.fixture();
      const names = ['alpha', 'bravo', 'charlie', 'delta'];
      const runs = await Promise.all([
        ...names.map((name) => runCli(['sql', `CREATE API CONNECTION ${name} ${AWS_DDL}`], { environment: fixture.environment })),
        ...[1, 2].map(() => runCli(['connection', 'create', 'echo', '--provider', 'aws', '--region', 'us-east-1', '--role-arn', 'arn:aws:iam::123456789012:role/e'], { environment: fixture.environment })),
      ]);
      for (const [index, run] of runs.slice(0, names.length).entries()) {
        assert.equal(run.code, 0, `${names[index]}: ${run.stderr}`);
      }
      const echo = runs.slice(names.length);
      assert.deepEqual(echo.map((run) => run.code).sort(), [0, 1], echo.map((run) => run.stderr).join('\n'));
      const refused = echo.find((run) => run.code === 1);
      assert.ok(refused !== undefined);
      expectCliError(refused, { exit: 1, code: 'E_CONNECTION_EXISTS', message: /^connection 'echo' already exists/ });
      const listed = jsonOf(await runCli(['connection', 'list', '--json'], { environment: fixture.environment })) as { name: string }[];
      assert.deepEqual(listed.map((row) => row.name), [...names, 'echo']);
      const store = await fixture.open();
      const external = new Set((await store.connections.list()).map((record) => record.externalId));
      await store.close();
      assert.equal(external.size, 5, 'every connection has its own external ID');
      await fixture.cleanup();
    });
  });
}
