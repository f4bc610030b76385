import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher } from '../../src/dispatcher/create-dispatcher.ts';
import type { Dispatcher } from '../../src/dispatcher/dispatcher-types.ts';
import { AuditWriter } from '../../src/governance/audit-writer.ts';
import { localPrincipal, userPrincipal } from '../../src/governance/authenticated-principal.ts';
import { CallAuthorizer } from '../../src/governance/call-authorizer.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import { openCatalogStore } from '../../src/store/open-catalog-store.ts';
import type { BenchPlan } from '../bench-plan.ts';
import { benchRows, expectedUpper, measure } from '../support/measure.ts';
import type { ProviderBench } from '../support/provider-bench.ts';
import { benchFunction } from '../support/provider-fixture.ts';

export interface GovernanceResult {
  readonly batchRows: number;
  readonly concurrency: number;
  readonly rows: number;
  readonly pairs: number;
  /** Medians over the pairs. */
  readonly ungovernedRowsPerSecond: number;
  readonly governedRowsPerSecond: number;
  /** Median of governed / ungoverned per pair (the bar: ≥ 0.95). */
  readonly ratio: number;
  /** INVOKE_SUMMARY records the governed runs wrote (one per call), and any the writer could not write. */
  readonly auditRecordsWritten: number;
  readonly auditRecordsFailed: number;
}

/**
 * Scenario 8, governance overhead: the same dispatch workload (same function, connection, adapter, credential broker)
 * by two dispatchers that differ only in `resolveFunction`: ungoverned (the records handed over, as the other scenarios
 * do) and governed (the runtime's CallAuthorizer over a real SQLite catalog: an authenticated non-admin user holding
 * EXECUTE through a role, definer rights on the owner's USAGE, the catalog-version check before every batch, and an
 * INVOKE_SUMMARY per call through the audit writer). Runs alternate in pairs, order flipping each pair; the ratio is
 * the median of the pairs' ratios.
 */
export async function runGovernanceScenario(bench: ProviderBench, plan: BenchPlan): Promise<GovernanceResult[]> {
  const { batchRows, concurrency, rows: rowCount, pairs } = plan.governance;
  const home = await mkdtemp(join(tmpdir(), 'lakefn-bench-governance-'));
  const store = await openCatalogStore({ home, environment: {} });
  const audit = new AuditWriter(store, { log: (line) => bench.log(line) });
  const dispatchers: Dispatcher[] = [];
  try {
    const connection = bench.stack.connection;
    const fn = { ...benchFunction('governed_upper', connection, bench.cloudFunction, { maxBatchRows: batchRows, maxConcurrency: concurrency }), id: randomUUID() };
    await store.write(async (session) => {
      await session.insertConnection(connection);
      await session.insertFunction(fn);
    });
    await executeStatements(
      'CREATE ROLE analyst; GRANT EXECUTE ON FUNCTION governed_upper TO ROLE analyst; CREATE USER bench_user; GRANT ROLE analyst TO USER bench_user',
      { store, principal: localPrincipal('bench') },
    );
    const authorizer = new CallAuthorizer({ store, audit, principal: localPrincipal('bench', 'in-process') });
    const shared = { adapterFor: bench.stack.registry.adapterFor.bind(bench.stack.registry), credentialsFor: bench.stack.broker.credentialsFor.bind(bench.stack.broker) };
    const ungoverned = createDispatcher({ ...shared, resolveFunction: async () => ({ function: fn, connection }) });
    const governed = createDispatcher({ ...shared, resolveFunction: (name, context) => authorizer.resolve(name, context), onQueryEnd: (queryId) => authorizer.endQuery(queryId) });
    dispatchers.push(ungoverned, governed);
    const principal = userPrincipal('bench_user', 'token', '127.0.0.1');
    const rows = benchRows(rowCount);
    let sequence = 0;
    const run = async (dispatcher: Dispatcher, asUser: boolean): Promise<number> => {
      const queryId = `governance${(sequence += 1)}`;
      const measured = await measure(() => dispatcher.evaluateWithStats(fn.name, rows, { queryId, user: 'bench', ...(asUser ? { principal } : {}) }));
      measured.value.results.forEach((value, index) => {
        if (value !== expectedUpper(rows[index] as string[])) throw new Error(`governance scenario: row ${index} came back as ${String(value)}`);
      });
      return rowCount / (measured.elapsedMs / 1000);
    };
    // warm-up: connections, credentials, the decision cache
    await run(ungoverned, false);
    await run(governed, true);
    const ratios: number[] = [];
    const ungovernedRates: number[] = [];
    const governedRates: number[] = [];
    for (let pair = 0; pair < pairs; pair += 1) {
      let ungovernedRate: number;
      let governedRate: number;
      if (pair % 2 === 0) {
        ungovernedRate = await run(ungoverned, false);
        governedRate = await run(governed, true);
      } else {
        governedRate = await run(governed, true);
        ungovernedRate = await run(ungoverned, false);
      }
      ungovernedRates.push(ungovernedRate);
      governedRates.push(governedRate);
      ratios.push(governedRate / ungovernedRate);
    }
    await audit.flush();
    const stats = audit.stats();
    const result: GovernanceResult = {
      batchRows,
      concurrency,
      rows: rowCount,
      pairs,
      ungovernedRowsPerSecond: median(ungovernedRates),
      governedRowsPerSecond: median(governedRates),
      ratio: median(ratios),
      auditRecordsWritten: stats.written,
      auditRecordsFailed: stats.failed,
    };
    bench.log(`governance: ratio ${result.ratio.toFixed(3)} (governed ${Math.round(result.governedRowsPerSecond)} rows/s vs ${Math.round(result.ungovernedRowsPerSecond)}; ${pairs} pairs)`);
    return [result];
  } finally {
    for (const dispatcher of dispatchers) await dispatcher.close();
    await audit.close();
    await store.close();
    await rm(home, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
