import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchPlan } from '../bench-plan.ts';
import type { ProviderBench } from '../support/provider-bench.ts';
import type { MemoryChildConfig, MemoryFigures } from './memory-child.ts';

export type { MemoryFigures };

/**
 * Scenario 5: streams `plan.memory.rows` rows through `evaluateStream` in a fresh child process (so its RSS measures
 * lakefn, not the bench's own state) and reports peak RSS and its growth over the post-warm-up baseline.
 */
export async function runMemoryScenario(bench: ProviderBench, plan: BenchPlan): Promise<MemoryFigures> {
  const config: MemoryChildConfig = {
    connection: bench.stack.connection,
    cloudFunction: bench.cloudFunction,
    rows: plan.memory.rows,
    batchRows: plan.memory.batchRows,
    concurrency: plan.memory.concurrency,
  };
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./memory-child.ts', import.meta.url)), JSON.stringify(config)], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
    // the mock's endpoints and broker keys travel in the environment, never on the command line
    env: { ...process.env, ...bench.mock.info.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 8192) stderr += text;
  });
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (exitCode !== 0) throw new Error(`the memory scenario's child process failed (exit ${String(exitCode)}): ${stderr.trim().slice(0, 2000)}`);
  const figures = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as MemoryFigures;
  const megabytes = (bytes: number): string => (bytes / 1048576).toFixed(0);
  bench.log(`memory: ${plan.memory.rows.toLocaleString('en-US')} rows streamed at ${Math.round(figures.rowsPerSecond).toLocaleString('en-US')} rows/s, peak RSS ${megabytes(figures.peakRssBytes)} MB (+${megabytes(figures.rssGrowthBytes)} MB)`);
  return figures;
}
