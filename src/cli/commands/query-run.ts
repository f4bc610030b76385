import type { Command } from 'commander';
import type { QueryOutputFormat } from '../../duckdb/format-query-result.ts';
import { LakefnError } from '../../errors/index.ts';
import type { CliContext } from '../cli-context.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';
import { SqlTextCommand } from '../sql-text-command.ts';

interface QueryOptions {
  readonly csv?: boolean;
  readonly prefetch: boolean;
  readonly user?: string;
}

/**
 * `lakefn query "SELECT upper_fn(name) FROM read_csv('people.csv')"`: runs SQL in an in-memory DuckDB in which
 * every EXTERNAL FUNCTION of the catalog is a scalar function, and prints the last statement's rows.
 */
export function queryCommand(context: CliContext): Command {
  const command = new SqlTextCommand('query')
    .description('run SQL in DuckDB with every EXTERNAL FUNCTION callable (the last statement’s rows are printed)')
    .argument('<sql>', "SQL text; several statements separated by ';' share one in-memory database (may start with a -- comment)")
    .option('--csv', 'print CSV with a header line')
    .option('--no-prefetch', 'do not evaluate DISTINCT argument tuples before the query (chunk by chunk only)')
    .option('--user <name>', 'the principal passed to functions with each call')
    .action(async (sql: string, options: QueryOptions, self: Command) => {
      const common = globalOptions(self);
      // --json is global, and commander's conflicts() only compares options of one command
      if (common.json === true && options.csv === true) throw new LakefnError('E_USAGE', 'choose one of --json and --csv');
      const format: QueryOutputFormat = common.json === true ? 'json' : options.csv === true ? 'csv' : 'table';
      // loaded on use: DuckDB and the vendor SDKs cost seconds of start-up that other commands must not pay
      const [{ createUdfHook }, { createDuckDbSession }, { formatQueryResult }] = await Promise.all([
        import('../../udf/create-udf-hook.ts'),
        import('../../duckdb/create-duckdb-session.ts'),
        import('../../duckdb/format-query-result.ts'),
      ]);
      const hook = await createUdfHook({ home: common.home, environment: context.environment });
      try {
        const session = await createDuckDbSession({ hook });
        try {
          for (const skipped of session.skipped) context.stderr.write(`lakefn: warning: function ${skipped.name} is not callable in DuckDB: ${skipped.reason}\n`);
          const result = await session.query(sql, { prefetch: options.prefetch, ...(options.user === undefined ? {} : { user: options.user }) });
          context.stdout.write(formatQueryResult(result, format));
        } finally {
          await session.close();
        }
      } finally {
        await hook.close();
      }
    });
  return describeJsonOutput(command, 'a JSON array of row objects');
}
