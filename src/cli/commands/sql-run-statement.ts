import type { Command } from 'commander';
import { LakefnError } from '../../errors/index.ts';
import { executeStatement } from '../../sql/execute-statement.ts';
import { statementSqlText } from '../../sql/statement-sql-text.ts';
import { commandProject } from '../command-principal.ts';
import { remoteServer, runSqlRemotely } from '../remote/remote-server.ts';
import type { Statement } from '../../sql/statement.ts';
import type { CliContext } from '../cli-context.ts';
import { withServices } from '../create-services.ts';
import { globalOptions } from '../global-options.ts';
import { flagFailedValidations, printJsonResults, printStatementResult } from '../output/print-statement-results.ts';

/**
 * Runs one statement built from command-line flags, exactly as the SQL path would (same executor, same
 * transaction), and prints its result (`--json`: one document). With `--server`, the statement's SQL text runs on the
 * server (`POST /v1/sql`), as the principal LAKEFN_TOKEN authenticates.
 */
export async function runStatementCommand(
  context: CliContext,
  command: Command,
  statement: Statement,
  options: { readonly allowUnknownRegion?: boolean } = {},
): Promise<void> {
  const server = remoteServer(context, command);
  if (server !== undefined) {
    const results = await runSqlRemotely(server, statementSqlText(statement), { project: commandProject(context, command), allowUnknownRegion: options.allowUnknownRegion, single: true }, () => undefined);
    const result = results[0];
    if (result === undefined) throw new LakefnError('E_REMOTE_PROTOCOL', `${server.url.origin}/v1/sql answered without a result for one statement`);
    if (globalOptions(command).json === true) printJsonResults(context, [result], false);
    else printStatementResult(context, result);
    flagFailedValidations(context, [result]);
    return;
  }
  await withServices(context, command, async (services) => {
    const result = await executeStatement(statement, services, options);
    if (globalOptions(command).json === true) printJsonResults(context, [result], false);
    else printStatementResult(context, result);
    flagFailedValidations(context, [result]);
  });
}
