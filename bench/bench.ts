// `npm run bench [-- --quick] [--providers aws,aliyun,tencent] [--scenarios ceiling,lakefn,…] [--output FILE]
// [--cpu-prof DIR] [--mock-cpu-prof DIR]`; `--scenarios authz` alone runs only the authorization scenario (no mock):
// lakefn's performance measured as ratios within one run (shared machines are noisy). See README § Performance.
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { PROVIDER_NAMES, type ProviderName } from '../src/registry/providers.ts';
import { FULL_PLAN, PROVIDER_SCENARIOS, QUICK_PLAN, SCENARIOS, type BenchPlan, type ScenarioName } from './bench-plan.ts';
import { machineInfo, renderMarkdown, writeResults, type BenchResults, type ProviderResults } from './report.ts';
import { runAuthzScenario } from './scenarios/authz.ts';
import { runStoreBackedAuthz } from './scenarios/authz-store.ts';
import { runDuckDbScenario } from './scenarios/duckdb.ts';
import { runGoodputScenario } from './scenarios/goodput.ts';
import { runGovernanceScenario } from './scenarios/governance.ts';
import { runMemoryScenario } from './scenarios/memory.ts';
import { runNaiveScenario } from './scenarios/naive.ts';
import { runThroughputGrid } from './scenarios/throughput.ts';
import { MockProcess } from './support/mock-process.ts';
import { ProviderBench } from './support/provider-bench.ts';

const METHOD =
  'Mock cloud (`lakefn mock`) in its own process on 127.0.0.1, real signature verification. Ceiling = undici Pool ' +
  'POSTing the codec bytes of the same batches, pre-signed before the clock starts. lakefn = Dispatcher.evaluateWithStats ' +
  'with the vendor SDK adapters and credential broker. Per grid point: an unmeasured warm-up of each, then ceiling and lakefn runs alternate `repeats` times and the best of each counts.';

interface BenchOptions {
  readonly plan: BenchPlan;
  readonly providers: ProviderName[];
  readonly scenarios: Set<ScenarioName>;
  readonly output: string;
  /** `--cpu-prof DIR`: a CPU profile of the first measured lakefn (and undici) run of each grid point. */
  readonly profileDirectory: string | undefined;
  /** Node arguments of the mock process (`--mock-cpu-prof DIR` profiles it). */
  readonly mockNodeArguments: string[];
}

function parseOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      providers: { type: 'string', default: PROVIDER_NAMES.join(',') },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      output: { type: 'string', default: fileURLToPath(new URL('./results.json', import.meta.url)) },
      'cpu-prof': { type: 'string' },
      'mock-cpu-prof': { type: 'string' },
    },
  });
  const providers = values.providers.split(',').map((name) => name.trim());
  const unknownProvider = providers.find((name) => !(PROVIDER_NAMES as readonly string[]).includes(name));
  if (unknownProvider !== undefined) throw new Error(`--providers: unknown provider ${unknownProvider} (one of ${PROVIDER_NAMES.join(', ')})`);
  const scenarios = values.scenarios.split(',').map((name) => name.trim());
  const unknownScenario = scenarios.find((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknownScenario !== undefined) throw new Error(`--scenarios: unknown scenario ${unknownScenario} (one of ${SCENARIOS.join(', ')})`);
  const mockProfileDirectory = values['mock-cpu-prof'];
  return {
    plan: values.quick ? QUICK_PLAN : FULL_PLAN,
    providers: providers as ProviderName[],
    scenarios: new Set(scenarios as ScenarioName[]),
    output: values.output,
    profileDirectory: values['cpu-prof'],
    mockNodeArguments: mockProfileDirectory === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${mockProfileDirectory}`],
  };
}

async function benchProvider(bench: ProviderBench, options: BenchOptions): Promise<ProviderResults> {
  const { plan, scenarios } = options;
  const seconds: Record<string, number> = {};
  const timed = async <T>(name: string, enabled: boolean, empty: T, run: () => Promise<T>): Promise<T> => {
    if (!enabled) return empty;
    const startedAt = performance.now();
    const value = await run();
    seconds[name] = (performance.now() - startedAt) / 1000;
    bench.log(`${name}: ${seconds[name].toFixed(1)} s`);
    return value;
  };
  const gridOptions = { ceiling: scenarios.has('ceiling'), lakefn: scenarios.has('lakefn'), undici: scenarios.has('undici'), profileDirectory: options.profileDirectory };
  const grid = await timed('grid', gridOptions.ceiling || gridOptions.lakefn || gridOptions.undici, [], () => runThroughputGrid(bench, plan, gridOptions));
  return {
    provider: bench.provider,
    grid,
    naive: await timed('naive', scenarios.has('naive'), [], () => runNaiveScenario(bench, plan, grid)),
    duckdb: await timed('duckdb', scenarios.has('duckdb'), [], () => runDuckDbScenario(bench, plan)),
    memory: await timed('memory', scenarios.has('memory'), undefined, () => runMemoryScenario(bench, plan)),
    goodput: await timed('goodput', scenarios.has('goodput'), [], () => runGoodputScenario(bench, plan)),
    governance: await timed('governance', scenarios.has('governance'), [], () => runGovernanceScenario(bench, plan)),
    seconds,
  };
}

async function main(): Promise<void> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const options = parseOptions();
  const { plan, providers, scenarios, output } = options;
  if (options.profileDirectory !== undefined) await mkdir(options.profileDirectory, { recursive: true });
  const startedAt = performance.now();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`lakefn bench (${plan.mode}): ${providers.join(', ')}; scenarios ${[...scenarios].join(', ')}`);
  // First, while the machine is quiet: it needs no mock cloud.
  const authz = scenarios.has('authz') ? { ...runAuthzScenario(plan.authz, log), store: await runStoreBackedAuthz(plan.authz, log) } : undefined;
  const results: ProviderResults[] = [];
  if (PROVIDER_SCENARIOS.some((name) => scenarios.has(name))) await benchProviders(options, log, results);
  const report: BenchResults = { machine: machineInfo(), mode: plan.mode, durationSeconds: (performance.now() - startedAt) / 1000, method: METHOD, providers: results, ...(authz === undefined ? {} : { authz }) };
  await writeResults(output, report);
  process.stdout.write(`${renderMarkdown(report)}\n\nWrote ${output}\n`);
}

async function benchProviders(options: BenchOptions, log: (line: string) => void, results: ProviderResults[]): Promise<void> {
  const { plan, providers } = options;
  const mock = await MockProcess.start(options.mockNodeArguments);
  try {
    const settings = { goodputConcurrency: plan.goodput.functionConcurrency, goodputLatencyMs: plan.goodput.latencyMs, faultProbability: plan.goodput.faultProbability };
    for (const provider of providers) {
      const bench = await ProviderBench.create(provider, mock, settings, log);
      try {
        results.push(await benchProvider(bench, options));
      } finally {
        await bench.close();
      }
    }
  } finally {
    await mock.stop();
  }
}

await main();
