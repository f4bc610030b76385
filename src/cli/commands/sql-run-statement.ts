import type { Command } from 'commander';
import { executeStatement } from '../../sql/execute-statement.ts';
import type { Statement } from '../../sql/statement.ts';
import type { CliContext } from '../cli-context.ts';
import { withServices } from '../create-services.ts';
import { globalOptions } from '../global-options.ts';
import { flagFailedValidations, printJsonResults, printStatementResult } from '../output/print-statement-results.ts';

/**
 * Runs one statement built from command-line flags, exactly as the SQL path would (same executor, same
 * transaction), and prints its result (`--json`: one document).
 */
export async function runStatementCommand(
  context: CliContext,
  command: Command,
  statement: Statement,
  options: { readonly allowUnknownRegion?: boolean } = {},
): Promise<void> {
  await withServices(context, command, async (services) => {
    const result = await executeStatement(statement, services, options);
    if (globalOptions(command).json === true) printJsonResults(context, [result], false);
    else printStatementResult(context, result);
    flagFailedValidations(context, [result]);
  });
}
