import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { describeJsonOutput } from '../global-options.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn connection list [--like PATTERN]` = SHOW API CONNECTIONS [LIKE …]. */
export function connectionListCommand(context: CliContext): Command {
  const command = new Command('list')
    .description('list API CONNECTIONs')
    .option('--like <pattern>', 'only names matching this SQL LIKE pattern (% any run, _ one character; case-insensitive)')
    .action(async (flags: { readonly like?: string }, self: Command) => {
      await runStatementCommand(context, self, { kind: 'show-connections', like: flags.like ?? null, ...cliOrigin('lakefn connection list') });
    });
  return describeJsonOutput(command, 'a JSON array');
}
