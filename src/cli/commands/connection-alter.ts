import { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { describeJsonOutput } from '../global-options.ts';
import { addConnectionFieldOptions, connectionChangesFromFlags, type ConnectionFlagValues } from './connection-fields.ts';
import { parseNameArgument } from './sql-name-argument.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn connection alter NAME --role-arn …` = ALTER API CONNECTION … SET (keeps the external ID). */
export function connectionAlterCommand(context: CliContext): Command {
  const command = new Command('alter')
    .description('change connection fields (the external ID is kept; changing the role, region, provider or namespace resets the status to PENDING)')
    .argument('<name>', 'connection name');
  addConnectionFieldOptions(command, 'alter').action(async (nameArgument: string, flags: ConnectionFlagValues, self: Command) => {
    const name = parseNameArgument(nameArgument, 'connection');
    const changes = connectionChangesFromFlags(flags);
    await runStatementCommand(
      context,
      self,
      { kind: 'alter-connection-set', name, changes, ...cliOrigin(`lakefn connection alter ${name}`) },
      { allowUnknownRegion: flags.allowUnknownRegion === true },
    );
  });
  return describeJsonOutput(command, 'the statement result as one JSON object');
}
