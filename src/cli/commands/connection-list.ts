import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { connectionGroup } from './connection-group.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn connection list [--like PATTERN]` = SHOW API CONNECTIONS [LIKE …]. */
export function register(program: Command, context: CliContext): void {
  connectionGroup(program)
    .command('list')
    .description('list API CONNECTIONs')
    .option('--like <pattern>', 'only names matching this SQL LIKE pattern (% any run, _ one character; case-insensitive)')
    .option('--json', 'print a JSON array')
    .configureHelp({ showGlobalOptions: true })
    .action(async (flags: { readonly like?: string }, self: Command) => {
      await runStatementCommand(context, self, { kind: 'show-connections', like: flags.like ?? null, ...cliOrigin('lakefn connection list') });
    });
}
