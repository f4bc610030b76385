import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { functionGroup } from './function-group.ts';
import { parseNameArgument } from './sql-name-argument.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn function drop NAME [--if-exists]` = DROP FUNCTION. */
export function register(program: Command, context: CliContext): void {
  functionGroup(program)
    .command('drop')
    .description('drop an EXTERNAL FUNCTION')
    .argument('<name>', 'function name ([schema.]name)')
    .option('--if-exists', 'do nothing (with a notice) if it does not exist')
    .option('--json', 'print one JSON document')
    .configureHelp({ showGlobalOptions: true })
    .action(async (nameArgument: string, flags: { readonly ifExists?: boolean }, self: Command) => {
      const name = parseNameArgument(nameArgument, 'function');
      await runStatementCommand(context, self, { kind: 'drop-function', name, ifExists: flags.ifExists === true, ...cliOrigin(`lakefn function drop ${name}`) });
    });
}
