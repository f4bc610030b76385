import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { describeJsonOutput } from '../global-options.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn function list [--like PATTERN]` = SHOW EXTERNAL FUNCTIONS [LIKE …]. */
export function functionListCommand(context: CliContext): Command {
  const command = new Command('list')
    .description('list EXTERNAL FUNCTIONs')
    .option('--like <pattern>', 'only names matching this SQL LIKE pattern (% any run, _ one character; case-insensitive)')
    .action(async (flags: { readonly like?: string }, self: Command) => {
      await runStatementCommand(context, self, { kind: 'show-functions', like: flags.like ?? null, ...cliOrigin('lakefn function list') });
    });
  return describeJsonOutput(command, 'a JSON array');
}
