/** One point of the throughput grid (scenarios 1–3). */
export interface GridPoint {
  readonly batchRows: number;
  readonly concurrency: number;
}

/** What one `npm run bench` run measures; `--quick` keeps the whole run under two minutes on 2 cores. */
export interface BenchPlan {
  readonly mode: 'quick' | 'full';
  readonly grid: readonly GridPoint[];
  /** Invocations per measured run (rows = batch × invocations, capped by `maxRowsPerRun`). */
  readonly invocationsPerRun: number;
  readonly maxRowsPerRun: number;
  /** Each grid point starts with an unmeasured run of this fraction of its rows (JIT, sockets). */
  readonly warmupFraction: number;
  /** Ceiling and lakefn runs alternate this many times per grid point; the best of each counts. */
  readonly repeats: number;
  readonly naive: { readonly concurrencies: readonly number[]; readonly rows: number };
  readonly duckdb: { readonly rows: number; readonly latenciesMs: readonly number[]; readonly batchRows: number; readonly concurrency: number };
  readonly memory: { readonly rows: number; readonly batchRows: number; readonly concurrency: number };
  readonly goodput: {
    readonly rows: number;
    /** The mock function's concurrency limit N. */
    readonly functionConcurrency: number;
    readonly latencyMs: number;
    readonly batchRows: number;
    /** lakefn's max_concurrency for the function: above N, so adaptive concurrency has to find N. */
    readonly maxConcurrency: number;
    readonly faultProbability: number;
  };
  /** Authorization decisions timed one by one (scenario 7), after an untimed warm-up. */
  readonly authz: { readonly decisions: number; readonly warmupDecisions: number };
  /** Governance overhead (scenario 8): the same workload ungoverned and governed, `pairs` alternating runs of `rows`. */
  readonly governance: { readonly rows: number; readonly batchRows: number; readonly concurrency: number; readonly pairs: number };
}

const FULL_GRID: GridPoint[] = [1, 100, 1000].flatMap((batchRows) => [1, 8, 32].map((concurrency) => ({ batchRows, concurrency })));

export const FULL_PLAN: BenchPlan = {
  mode: 'full',
  grid: FULL_GRID,
  invocationsPerRun: 2000,
  maxRowsPerRun: 500_000,
  warmupFraction: 0.2,
  repeats: 3,
  naive: { concurrencies: [1, 8, 32], rows: 3000 },
  duckdb: { rows: 500_000, latenciesMs: [0, 20], batchRows: 100, concurrency: 32 },
  memory: { rows: 5_000_000, batchRows: 1000, concurrency: 32 },
  goodput: { rows: 100_000, functionConcurrency: 4, latencyMs: 20, batchRows: 100, maxConcurrency: 16, faultProbability: 0.05 },
  authz: { decisions: 400_000, warmupDecisions: 50_000 },
  governance: { rows: 200_000, batchRows: 100, concurrency: 32, pairs: 7 },
};

export const QUICK_PLAN: BenchPlan = {
  mode: 'quick',
  grid: [
    { batchRows: 100, concurrency: 8 },
    { batchRows: 100, concurrency: 32 },
    { batchRows: 1, concurrency: 32 },
  ],
  invocationsPerRun: 400,
  maxRowsPerRun: 40_000,
  warmupFraction: 0.25,
  repeats: 2,
  naive: { concurrencies: [32], rows: 400 },
  duckdb: { rows: 30_000, latenciesMs: [0, 20], batchRows: 100, concurrency: 32 },
  memory: { rows: 1_000_000, batchRows: 1000, concurrency: 32 },
  goodput: { rows: 12_000, functionConcurrency: 4, latencyMs: 20, batchRows: 100, maxConcurrency: 16, faultProbability: 0.05 },
  authz: { decisions: 100_000, warmupDecisions: 20_000 },
  governance: { rows: 40_000, batchRows: 100, concurrency: 32, pairs: 5 },
};

/**
 * `undici` is the experiment next to scenario 2: lakefn with invocations signed and sent over undici. `authz` runs in
 * this process without the mock cloud, once (not per provider).
 */
export const SCENARIOS = ['ceiling', 'lakefn', 'undici', 'naive', 'duckdb', 'memory', 'goodput', 'governance', 'authz'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** The scenarios that need the mock cloud and run per provider. */
export const PROVIDER_SCENARIOS: readonly ScenarioName[] = SCENARIOS.filter((name) => name !== 'authz');
