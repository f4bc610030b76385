import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { describeJsonOutput } from '../global-options.ts';
import { parseNameArgument } from './sql-name-argument.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn connection desc NAME` = DESC API CONNECTION: every field, the external ID and both policies. */
export function connectionDescCommand(context: CliContext): Command {
  const command = new Command('desc')
    .alias('describe')
    .description('show a connection: every field, external ID, status, and the trust and permission policies to paste')
    .argument('<name>', 'connection name')
    .action(async (nameArgument: string, _flags: unknown, self: Command) => {
      const name = parseNameArgument(nameArgument, 'connection');
      await runStatementCommand(context, self, { kind: 'describe-connection', name, ...cliOrigin(`lakefn connection desc ${name}`) });
    });
  return describeJsonOutput(command, 'one JSON object');
}
