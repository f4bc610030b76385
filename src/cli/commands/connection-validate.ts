import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { describeJsonOutput } from '../global-options.ts';
import { parseNameArgument } from './sql-name-argument.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn connection validate NAME` = VALIDATE API CONNECTION (exit 1 unless the result is VERIFIED). */
export function connectionValidateCommand(context: CliContext): Command {
  const command = new Command('validate')
    .description('check the role: AssumeRole with the external ID must succeed and without it must be refused; stores the status')
    .argument('<name>', 'connection name')
    .action(async (nameArgument: string, _flags: unknown, self: Command) => {
      const name = parseNameArgument(nameArgument, 'connection');
      await runStatementCommand(context, self, { kind: 'validate-connection', name, ...cliOrigin(`lakefn connection validate ${name}`) });
    });
  return describeJsonOutput(command, 'the statement result as one JSON object');
}
