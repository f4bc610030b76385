import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { describeJsonOutput } from '../global-options.ts';
import { parseNameArgument } from './sql-name-argument.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn function drop NAME [--if-exists]` = DROP FUNCTION. */
export function functionDropCommand(context: CliContext): Command {
  const command = new Command('drop')
    .description('drop an EXTERNAL FUNCTION')
    .argument('<name>', 'function name ([schema.]name)')
    .option('--if-exists', 'do nothing (with a notice) if it does not exist')
    .action(async (nameArgument: string, flags: { readonly ifExists?: boolean }, self: Command) => {
      const name = parseNameArgument(nameArgument, 'function');
      await runStatementCommand(context, self, { kind: 'drop-function', name, ifExists: flags.ifExists === true, ...cliOrigin(`lakefn function drop ${name}`) });
    });
  return describeJsonOutput(command, 'the statement result as one JSON object');
}
