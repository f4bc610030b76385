import { Command, Option } from 'commander';
import { LakefnError } from '../../errors/index.ts';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { describeJsonOutput } from '../global-options.ts';
import { addConnectionFieldOptions, connectionFieldsFromFlags, type ConnectionFlagValues } from './connection-fields.ts';
import { parseNameArgument } from './sql-name-argument.ts';
import { runStatementCommand } from './sql-run-statement.ts';

interface CreateFlags extends ConnectionFlagValues {
  readonly orReplace?: boolean;
  readonly ifNotExists?: boolean;
  readonly cascade?: boolean;
}

/** `lakefn connection create NAME --provider … --region … --role-arn …` = CREATE API CONNECTION. */
export function connectionCreateCommand(context: CliContext): Command {
  const command = new Command('create')
    .description('create an API CONNECTION (lakefn generates its external ID)')
    .argument('<name>', 'connection name (SQL identifier rules: unquoted names fold to lower case)');
  addConnectionFieldOptions(command, 'create')
    .addOption(new Option('--or-replace', 'replace an existing connection of that name (it gets a new external ID)').conflicts('ifNotExists'))
    .option('--if-not-exists', 'do nothing (with a notice) if the connection exists')
    .addOption(new Option('--cascade', 'with --or-replace: drop the functions the replacement does not fit (e.g. a new provider) instead of refusing').conflicts('ifNotExists'))
    .action(async (nameArgument: string, flags: CreateFlags, self: Command) => {
      // commander relates options by conflicts() and implies(), not by "only with"
      if (flags.cascade === true && flags.orReplace !== true) throw new LakefnError('E_USAGE', '--cascade applies only with --or-replace');
      const { name, project } = parseNameArgument(nameArgument, 'connection');
      await runStatementCommand(context, self, {
        kind: 'create-connection',
        name,
        project,
        orReplace: flags.orReplace === true,
        ifNotExists: flags.ifNotExists === true,
        cascade: flags.cascade === true,
        fields: connectionFieldsFromFlags(flags),
        ...cliOrigin(`lakefn connection create ${nameArgument}`),
      }, { allowUnknownRegion: flags.allowUnknownRegion === true });
    });
  return describeJsonOutput(command, 'the statement result as one JSON object');
}
