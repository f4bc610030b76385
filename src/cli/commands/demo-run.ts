import { Command } from 'commander';
import { DEFAULT_DEMO_ROWS } from '../../demo/demo-defaults.ts';
import { LakefnError } from '../../errors/index.ts';
import type { CliContext } from '../cli-context.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';
import { writeJson } from '../output/write-json.ts';

interface DemoOptions {
  readonly rows: string;
}

const MAX_DEMO_ROWS = 10_000_000;

/**
 * `lakefn demo` (and `npm start`): the whole product in one run against the in-process mock cloud. Exits 1 when a
 * result was wrong.
 */
export function demoCommand(context: CliContext): Command {
  const command = new Command('demo')
    .description('run the demo: mock cloud, one connection + function per provider, one DuckDB query over 100,000 rows')
    .option('--rows <n>', 'rows to generate in DuckDB', String(DEFAULT_DEMO_ROWS))
    .action(async (options: DemoOptions, self: Command) => {
      const common = globalOptions(self);
      const rows = Number(options.rows);
      if (!/^\d{1,8}$/.test(options.rows) || rows < 1 || rows > MAX_DEMO_ROWS) throw new LakefnError('E_USAGE', `--rows must be an integer from 1 to ${MAX_DEMO_ROWS}, got '${options.rows.slice(0, 20)}'`);
      // loaded on use: the mock cloud, DuckDB and the vendor SDKs cost seconds of start-up
      const { runDemo } = await import('../../demo/run-demo.ts');
      const outcome = await runDemo({ home: common.home, rows, json: common.json === true, stdout: context.stdout, stderr: context.stderr, environment: context.environment });
      if (common.json === true) writeJson(context.stdout, outcome.summary);
      if (!outcome.allCorrect) {
        context.stderr.write('lakefn: demo: some results did not match their expected values\n');
        context.exitCode = 1;
      }
    });
  return describeJsonOutput(command, 'only the per-provider summary, as one JSON object');
}
