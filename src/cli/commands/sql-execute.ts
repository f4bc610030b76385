import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LakefnError } from '../../errors/index.ts';
import type { StatementResult } from '../../sql/execute-result.ts';
import { executeStatements } from '../../sql/execute-statement.ts';
import type { CliContext } from '../cli-context.ts';
import { commonOptions, ensureGlobalOptions, withServices } from '../create-services.ts';
import { flagFailedValidations, printJsonResults, printStatementResult } from '../output/print-statement-results.ts';

interface SqlOptions {
  readonly file?: string;
  readonly allowUnknownRegion?: boolean;
}

/** `lakefn sql "<statements>"` / `lakefn sql -f file.sql`: runs DDL, each statement in its own transaction. */
export function register(program: Command, context: CliContext): void {
  ensureGlobalOptions(program);
  program
    .command('sql')
    .description('run DDL statements (API CONNECTION, EXTERNAL FUNCTION); each statement is one transaction, a script stops at the first failure')
    .argument('[statements]', "statements separated by ';'")
    .option('-f, --file <path>', "read the statements from a file ('-' for standard input)")
    .option('--json', 'print one JSON document (an array when the script has several statements)')
    .option('--allow-unknown-region', 'accept a syntactically valid region missing from the known-region lists')
    .configureHelp({ showGlobalOptions: true })
    .action(async (statements: string | undefined, options: SqlOptions, command: Command) => {
      const text = readStatements(statements, options.file);
      const json = commonOptions(command).json === true;
      await withServices(context, command, async (services) => {
        const results: StatementResult[] = [];
        try {
          await executeStatements(text, services, {
            allowUnknownRegion: options.allowUnknownRegion === true,
            onResult: (result) => {
              results.push(result);
              if (!json) printStatementResult(context, result);
            },
          });
        } catch (error) {
          // what was applied before the failure is still reported, so nothing done goes unseen
          const total = LakefnError.isInstance(error) ? error.data?.['statements'] : undefined;
          if (json && results.length > 0) printJsonResults(context, results, typeof total === 'number' && total > 1);
          throw error;
        }
        if (json) printJsonResults(context, results, results.length !== 1);
        flagFailedValidations(context, results);
      });
    });
}

function readStatements(statements: string | undefined, file: string | undefined): string {
  if ((statements === undefined) === (file === undefined)) {
    throw new LakefnError('E_USAGE', 'give the statements either as one argument or with -f FILE (not both, not neither)');
  }
  if (statements !== undefined) return statements;
  try {
    return readFileSync(file === '-' ? 0 : (file ?? ''), 'utf8');
  } catch (error) {
    throw new LakefnError('E_USAGE', `cannot read ${file === '-' ? 'standard input' : `file ${file}`}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
