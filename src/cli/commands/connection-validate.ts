import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { cliOrigin } from '../create-services.ts';
import { connectionGroup } from './connection-group.ts';
import { parseNameArgument } from './sql-name-argument.ts';
import { runStatementCommand } from './sql-run-statement.ts';

/** `lakefn connection validate NAME` = VALIDATE API CONNECTION (exit 1 unless the result is VERIFIED). */
export function register(program: Command, context: CliContext): void {
  connectionGroup(program)
    .command('validate')
    .description('check the role: AssumeRole with the external ID must succeed and without it must be refused; stores the status')
    .argument('<name>', 'connection name')
    .option('--json', 'print one JSON document')
    .configureHelp({ showGlobalOptions: true })
    .action(async (nameArgument: string, _flags: unknown, self: Command) => {
      const name = parseNameArgument(nameArgument, 'connection');
      await runStatementCommand(context, self, { kind: 'validate-connection', name, ...cliOrigin(`lakefn connection validate ${name}`) });
    });
}
