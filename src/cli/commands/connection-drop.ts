import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { describeJsonOutput } from '../global-options.ts';
import { parseNameArgument } from './sql-name-argument.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn connection drop NAME [--if-exists] [--cascade]` = DROP API CONNECTION. */
export function connectionDropCommand(context: CliContext): Command {
  const command = new Command('drop')
    .description('drop a connection (refused while functions use it, unless --cascade)')
    .argument('<name>', 'connection name')
    .option('--if-exists', 'do nothing (with a notice) if it does not exist')
    .option('--cascade', 'also drop the functions that use it, in the same transaction')
    .action(async (nameArgument: string, flags: { readonly ifExists?: boolean; readonly cascade?: boolean }, self: Command) => {
      const name = parseNameArgument(nameArgument, 'connection');
      await runStatementCommand(context, self, {
        kind: 'drop-connection',
        name,
        ifExists: flags.ifExists === true,
        cascade: flags.cascade === true,
        ...cliOrigin(`lakefn connection drop ${name}`),
      });
    });
  return describeJsonOutput(command, 'the statement result as one JSON object');
}
