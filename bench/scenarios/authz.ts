import os from 'node:os';
import { authorize, type AuthorizationInput } from '../../src/governance/policy/index.ts';
import type { BenchPlan } from '../bench-plan.ts';
import type { StoreAuthzResult } from './authz-store.ts';
import { quantile } from '../support/measure.ts';
import { AUTHZ_SHAPE, buildAuthzFixture, inputFor, type AuthzFixture } from '../support/authz-fixture.ts';

export interface LatencyFigures {
  readonly p50Micros: number;
  readonly p99Micros: number;
  readonly meanMicros: number;
}

export interface AuthzResult {
  readonly shape: typeof AUTHZ_SHAPE;
  readonly decisions: number;
  readonly compileMs: number;
  /** Build the resource name, context and input, then `authorize`. */
  readonly decision: LatencyFigures;
  /** The same minus `authorize`: building the resource name, the context and the input. */
  readonly baseline: LatencyFigures;
  readonly ratioP50: number;
  readonly ratioP99: number;
  /** The slowest request kind's p99 (the mix is round-robin over the templates). */
  readonly slowest: { readonly label: string; readonly p99Micros: number };
  /** Process CPU time per decision and per baseline over untimed loops: unlike wall time, not inflated by other processes. */
  readonly cpuMicrosPerDecision: number;
  readonly cpuMicrosPerBaseline: number;
  /** The 1-minute load average when the scenario started (2 cores busy = 2): a high one inflates the tail. */
  readonly loadAverage: number;
  /** The same shape through the real path: authorizeRequest on an AccessModel loaded from a SQLite catalog. */
  readonly store?: StoreAuthzResult;
}

function figures(samples: Float64Array): LatencyFigures {
  const sorted = [...samples].sort((left, right) => left - right);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return { p50Micros: quantile(sorted, 0.5), p99Micros: quantile(sorted, 0.99), meanMicros: sum / sorted.length };
}

const NANOS_PER_MICRO = 1000;

/**
 * One decision at a time, each timed on its own (process.hrtime.bigint, ~30 ns of overhead included in both series),
 * decision and baseline interleaved so both see the same machine noise. The request mix cycles through templates that
 * end at every step (allowed with a dependency, explicit Deny, no Allow after scanning every policy, boundary).
 */
export function runAuthzScenario(plan: BenchPlan['authz'], log: (line: string) => void): AuthzResult {
  const loadAverage = os.loadavg()[0] ?? Number.NaN;
  const fixture = buildAuthzFixture();
  checkExpectations(fixture);
  const templates = fixture.templates;
  let sink = 0;
  const decide = (index: number): void => {
    const template = templates[index % templates.length]!;
    if (authorize(inputFor(fixture, template, template.build())).allowed) sink += 1;
  };
  const baseline = (index: number): void => {
    const template = templates[index % templates.length]!;
    const input: AuthorizationInput = inputFor(fixture, template, template.build());
    sink += input.request.resource?.name.length ?? 0;
  };
  for (let index = 0; index < plan.warmupDecisions; index += 1) {
    decide(index);
    baseline(index);
  }
  const decisionSamples = new Float64Array(plan.decisions);
  const baselineSamples = new Float64Array(plan.decisions);
  const perTemplate = templates.map(() => [] as number[]);
  for (let index = 0; index < plan.decisions; index += 1) {
    let startedAt = process.hrtime.bigint();
    decide(index);
    const decisionMicros = Number(process.hrtime.bigint() - startedAt) / NANOS_PER_MICRO;
    startedAt = process.hrtime.bigint();
    baseline(index);
    baselineSamples[index] = Number(process.hrtime.bigint() - startedAt) / NANOS_PER_MICRO;
    decisionSamples[index] = decisionMicros;
    perTemplate[index % templates.length]?.push(decisionMicros);
  }
  const cpuMicros = (work: (index: number) => void): number => {
    const before = process.cpuUsage();
    for (let index = 0; index < plan.decisions; index += 1) work(index);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / plan.decisions;
  };
  const cpuMicrosPerDecision = cpuMicros(decide);
  const cpuMicrosPerBaseline = cpuMicros(baseline);
  const decision = figures(decisionSamples);
  const base = figures(baselineSamples);
  const slowest = perTemplate
    .map((samples, index) => ({ label: templates[index]?.label ?? '', p99Micros: quantile(samples.sort((left, right) => left - right), 0.99) }))
    .reduce((worst, entry) => (entry.p99Micros > worst.p99Micros ? entry : worst));
  log(`authz: ${plan.decisions} decisions, p50 ${decision.p50Micros.toFixed(2)} µs, p99 ${decision.p99Micros.toFixed(2)} µs, CPU ${cpuMicrosPerDecision.toFixed(2)} µs (baseline p50 ${base.p50Micros.toFixed(2)} µs; load ${loadAverage.toFixed(1)})${sink > 0 ? '' : '; nothing was allowed'}`);
  return {
    shape: AUTHZ_SHAPE,
    decisions: plan.decisions,
    compileMs: fixture.compileMs,
    decision,
    baseline: base,
    ratioP50: decision.p50Micros / base.p50Micros,
    ratioP99: decision.p99Micros / base.p99Micros,
    slowest,
    cpuMicrosPerDecision,
    cpuMicrosPerBaseline,
    loadAverage,
  };
}

/** The mix must decide as designed, or the timings measure something else. */
function checkExpectations(fixture: AuthzFixture): void {
  for (const template of fixture.templates) {
    const decision = authorize(inputFor(fixture, template, template.build()));
    if (decision.allowed !== template.expectAllowed) throw new Error(`authz bench: "${template.label}" was ${decision.allowed ? 'allowed' : `denied (${decision.reason})`}`);
  }
}
