import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { describeJsonOutput } from '../global-options.ts';
import { parseNameArgument } from './sql-name-argument.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn connection rotate NAME` = ALTER API CONNECTION … ROTATE EXTERNAL_ID. */
export function connectionRotateCommand(context: CliContext): Command {
  const command = new Command('rotate')
    .description("give the connection a new external ID (the role's trust policy must then be updated)")
    .argument('<name>', 'connection name')
    .action(async (nameArgument: string, _flags: unknown, self: Command) => {
      const name = parseNameArgument(nameArgument, 'connection');
      await runStatementCommand(context, self, { kind: 'rotate-external-id', name, ...cliOrigin(`lakefn connection rotate ${name}`) });
    });
  return describeJsonOutput(command, 'the statement result as one JSON object');
}
