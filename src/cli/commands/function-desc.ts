import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { functionGroup } from './function-group.ts';
import { parseNameArgument } from './sql-name-argument.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn function desc NAME` = DESC FUNCTION. */
export function register(program: Command, context: CliContext): void {
  functionGroup(program)
    .command('desc')
    .alias('describe')
    .description('show a function: signature, connection, cloud function and dispatch properties')
    .argument('<name>', 'function name ([schema.]name)')
    .option('--json', 'print one JSON object')
    .configureHelp({ showGlobalOptions: true })
    .action(async (nameArgument: string, _flags: unknown, self: Command) => {
      const name = parseNameArgument(nameArgument, 'function');
      await runStatementCommand(context, self, { kind: 'describe-function', name, ...cliOrigin(`lakefn function desc ${name}`) });
    });
}
