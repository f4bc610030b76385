import type { Command } from 'commander';
import { localPrincipal } from '../../governance/authenticated-principal.ts';
import type { StatementResult } from '../../sql/execute-result.ts';
import { executeStatements } from '../../sql/execute-statement.ts';
import { quoteIdentifier } from '../../sql/quote-sql.ts';
import type { CliContext } from '../cli-context.ts';
import { commandPrincipal } from '../command-principal.ts';
import { withServices } from '../create-services.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';
import { printJsonResults, printStatementResult } from '../output/print-statement-results.ts';
import { SqlTextCommand } from '../sql-text-command.ts';

/**
 * `lakefn authz explain [--as USER] "<statement>"`: `EXPLAIN AUTHORIZATION [FOR USER u] <statement>` from the command
 * line. With `--as`, the local super administrator explains the statement for that user (FOR USER), so a denial can be
 * explained even when the user may not run EXPLAIN. Exit 0 when the decision is ALLOW, 1 when it is DENY.
 */
export function authzExplainCommand(context: CliContext): Command {
  const command = new SqlTextCommand('explain')
    .description('print how the authorization function would decide a statement, step by step (boundary, Deny, API layer, data layer, dependencies), without running it')
    .argument('<statement>', 'one statement (may start with a -- comment)')
    .action(async (statement: string, _options: unknown, self: Command) => {
      // --as is checked like everywhere (only the local super administrator may), then used as FOR USER
      const acting = commandPrincipal(self);
      const forUser = acting.actor === undefined ? '' : `FOR USER ${quoteIdentifier(acting.name)} `;
      const json = globalOptions(self).json === true;
      await withServices(context, self, async (services) => {
        const results: StatementResult[] = [];
        await executeStatements(`EXPLAIN AUTHORIZATION ${forUser}${statement}`, { ...services, principal: localPrincipal(undefined, 'local') }, {
          onResult: (result) => {
            results.push(result);
            if (!json) printStatementResult(context, result);
          },
        });
        if (json) printJsonResults(context, results, false);
        if (results.some((result) => result.kind === 'authorization-explanation' && !result.allowed)) context.exitCode = 1;
      });
    });
  return describeJsonOutput(command, 'one JSON object: statement, principal, allowed, would_fail and the decisions with every step');
}
