import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROVIDER_NAMES, providerDefinition } from '../../src/registry/providers.ts';
import { jsonOf, runCli } from '../cli/run-cli.ts';

const PROVIDERS = PROVIDER_NAMES;

interface ProviderSummary {
  readonly function: string;
  readonly rows: number;
  readonly correct: number;
  readonly batches: number;
  readonly retries: number;
  readonly throttles: number;
  readonly rows_per_second: number;
}

// The demo exactly as `npm start` runs it (bin/lakefn.js demo), as a child process.
describe('lakefn demo', () => {
  it('--json: every provider answered every row correctly, in batches, with throttling handled', async () => {
    const run = await runCli(['demo', '--json', '--rows', '20000']);
    assert.equal(run.code, 0, run.stderr);
    const summary = jsonOf(run) as Record<string, ProviderSummary>;
    assert.deepEqual(Object.keys(summary).sort(), [...PROVIDERS].sort());
    for (const provider of PROVIDERS) {
      const entry = summary[provider];
      assert.ok(entry !== undefined);
      assert.equal(entry.rows, 20000, provider);
      assert.equal(entry.correct, entry.rows, `${provider}: every result checked equal to its expected value`);
      assert.ok(entry.batches >= 40, `${provider}: 20,000 rows in batches of at most 500`);
      assert.ok(entry.retries >= entry.throttles, provider);
      assert.ok(entry.rows_per_second > 0, provider);
    }
  });

  it('tells the story: DESC with external ID and trust policy, VALIDATE, first rows, summary', async () => {
    const run = await runCli(['demo', '--rows', '300']);
    assert.equal(run.code, 0, run.stderr);
    // a connection per provider, named after its invoke API (demo_fc, demo_scf, demo_lambda…)
    for (const connection of PROVIDERS.map((provider) => `demo_${providerDefinition(provider).endpoints.apis.invoke}`)) {
      assert.match(run.stdout, new RegExp(`lakefn> DESC API CONNECTION ${connection};\\n    external_id   [A-Za-z0-9]{32,}`));
      assert.match(run.stdout, new RegExp(`lakefn> VALIDATE API CONNECTION ${connection};  → VERIFIED`));
    }
    assert.match(run.stdout, /"sts:ExternalId"/);
    assert.match(run.stdout, /"sts:external_id"/);
    assert.match(run.stdout, /first 5 of 300 rows:\nid {2}name/);
    assert.match(run.stdout, /provider +function +rows +correct +batches +retries +throttles +rows\/s/);
    assert.match(run.stdout, /aws +add_lambda +300 +300 /);
    assert.match(run.stdout, /all results correct\.\n$/);
  });
});
