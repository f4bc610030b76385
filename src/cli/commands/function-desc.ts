import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { describeJsonOutput } from '../global-options.ts';
import { parseNameArgument } from './sql-name-argument.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn function desc NAME` = DESC FUNCTION. */
export function functionDescCommand(context: CliContext): Command {
  const command = new Command('desc')
    .alias('describe')
    .description('show a function: signature, connection, cloud function and dispatch properties')
    .argument('<name>', 'function name ([schema.]name)')
    .action(async (nameArgument: string, _flags: unknown, self: Command) => {
      const name = parseNameArgument(nameArgument, 'function');
      await runStatementCommand(context, self, { kind: 'describe-function', name, ...cliOrigin(`lakefn function desc ${name}`) });
    });
  return describeJsonOutput(command, 'one JSON object');
}
