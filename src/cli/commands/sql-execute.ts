import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { decodeUtf8Exactly, InvalidUtf8Error } from '../../codec/utf8-text.ts';
import { LakefnError } from '../../errors/index.ts';
import type { StatementResult } from '../../sql/execute-result.ts';
import { executeStatements } from '../../sql/execute-statement.ts';
import type { CliContext } from '../cli-context.ts';
import { commandProject } from '../command-principal.ts';
import { withServices } from '../create-services.ts';
import { remoteServer, runSqlRemotely } from '../remote/remote-server.ts';
import { describeJsonOutput, globalOptions } from '../global-options.ts';
import { SqlTextCommand } from '../sql-text-command.ts';
import { flagFailedValidations, printJsonResults, printStatementResult } from '../output/print-statement-results.ts';

interface SqlOptions {
  readonly file?: string;
  readonly allowUnknownRegion?: boolean;
}

/**
 * `lakefn sql "<statements>"` / `lakefn sql -f file.sql`: runs DDL, each statement in its own transaction. The
 * statements may start with a `--` comment (see SqlTextCommand).
 */
export function sqlCommand(context: CliContext): Command {
  const command = new SqlTextCommand('sql')
    .description('run DDL statements (API CONNECTION, EXTERNAL FUNCTION); each statement is one transaction, a script stops at the first failure')
    .argument('[statements]', "statements separated by ';' (may start with a -- comment)")
    .option('-f, --file <path>', "read the statements from a file ('-' for standard input)")
    .option('--allow-unknown-region', 'accept a syntactically valid region missing from the known-region lists')
    .action(async (statements: string | undefined, options: SqlOptions, self: Command) => {
      const text = await readStatements(statements, options.file, context.stdin);
      const json = globalOptions(self).json === true;
      const server = remoteServer(context, self);
      if (server !== undefined) {
        const results = await runSqlRemotely(server, text, { project: commandProject(context, self), allowUnknownRegion: options.allowUnknownRegion }, (applied) => {
          if (json && applied.length > 0) printJsonResults(context, applied, true);
          else if (!json) for (const result of applied) printStatementResult(context, result);
        });
        if (json) printJsonResults(context, results, results.length !== 1);
        else for (const result of results) printStatementResult(context, result);
        flagFailedValidations(context, results);
        return;
      }
      await withServices(context, self, async (services) => {
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
  return describeJsonOutput(command, 'one JSON document (an array when the script has several statements)');
}

/** The statements argument, or the file's text (`-`: standard input), read as UTF-8 and never altered. */
async function readStatements(statements: string | undefined, file: string | undefined, stdin: NodeJS.ReadableStream): Promise<string> {
  // an argument and an option: commander's conflicts() only relates options to each other
  if ((statements === undefined) === (file === undefined)) {
    throw new LakefnError('E_USAGE', 'give the statements either as one argument or with -f FILE (not both, not neither)');
  }
  if (statements !== undefined) return statements;
  const source = file === '-' ? 'standard input' : `file ${file}`;
  let bytes: Uint8Array;
  try {
    bytes = file === '-' ? await readAll(stdin) : await readFile(file ?? '');
  } catch (error) {
    throw new LakefnError('E_USAGE', `cannot read ${source}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  try {
    return decodeUtf8Exactly(bytes);
  } catch (error) {
    if (!(error instanceof InvalidUtf8Error)) throw error;
    throw new LakefnError('E_SYNTAX', `${source}: line ${error.line} is not valid UTF-8 (byte offset ${error.offset}); save the script as UTF-8`, { location: { line: error.line } });
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(chunks);
}
