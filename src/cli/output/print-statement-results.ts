import { type StatementResult, validationFailureCode } from '../../sql/execute-result.ts';
import { statementResultJson } from '../../sql/statement-result-json.ts';
import type { CliContext } from '../cli-context.ts';
import { noticesOf, renderStatementResult } from './render-statement-result.ts';
import { writeJson } from './write-json.ts';

/** Human output of one result: the result on stdout, its notices on stderr. */
export function printStatementResult(context: CliContext, result: StatementResult): void {
  context.stdout.write(renderStatementResult(result));
  context.stderr.write(noticesOf(result));
}

/** `--json`: one document for one statement, an array of documents for a script of several. */
export function printJsonResults(context: CliContext, results: readonly StatementResult[], script: boolean): void {
  const documents = results.map(statementResultJson);
  writeJson(context.stdout, script ? documents : (documents[0] ?? null));
}

/**
 * VALIDATE that did not end VERIFIED is a rejected operation: exit code 1, with its code, the status and the failing
 * step on stderr (the result itself was printed and stored), in the `lakefn: CODE: message` form of every other
 * error. INCONCLUSIVE too: nothing was proven, and the stored status was left as it was.
 */
export function flagFailedValidations(context: CliContext, results: readonly StatementResult[]): void {
  for (const result of results) {
    // every VALIDATE result carries its finding (src/sql/execute-connection-statement.ts)
    if (result.kind !== 'change' || result.outcome !== 'validated' || result.validation === undefined) continue;
    const { status, detail } = result.validation;
    const code = validationFailureCode(status);
    if (code === null) continue;
    context.stderr.write(`lakefn: ${code}: connection '${result.name}' did not validate (${status}${detail === null ? '' : `: ${detail}`})\n`);
    context.exitCode = 1;
  }
}
