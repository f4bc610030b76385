import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { functionGroup } from './function-group.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn function list [--like PATTERN]` = SHOW EXTERNAL FUNCTIONS [LIKE …]. */
export function register(program: Command, context: CliContext): void {
  functionGroup(program)
    .command('list')
    .description('list EXTERNAL FUNCTIONs')
    .option('--like <pattern>', 'only names matching this SQL LIKE pattern (% any run, _ one character; case-insensitive)')
    .option('--json', 'print a JSON array')
    .configureHelp({ showGlobalOptions: true })
    .action(async (flags: { readonly like?: string }, self: Command) => {
      await runStatementCommand(context, self, { kind: 'show-functions', like: flags.like ?? null, ...cliOrigin('lakefn function list') });
    });
}
