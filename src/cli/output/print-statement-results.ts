import type { StatementResult } from '../../sql/execute-result.ts';
import type { CliContext } from '../cli-context.ts';
import { noticesOf, renderStatementResult, statementResultJson } from './render-statement-result.ts';
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
 * VALIDATE that did not end VERIFIED is a rejected operation: exit code 1, with the status and failing
 * step on stderr (the result itself was printed and stored). INCONCLUSIVE too: nothing was proven, and the
 * stored status was left as it was.
 */
export function flagFailedValidations(context: CliContext, results: readonly StatementResult[]): void {
  for (const result of results) {
    if (result.kind !== 'change' || result.outcome !== 'validated' || result.connection === undefined) continue;
    const status = result.validation?.status ?? result.connection.status;
    if (status === 'VERIFIED') continue;
    const detailText = result.validation?.detail ?? result.connection.status_detail;
    const detail = detailText === null ? '' : `: ${detailText}`;
    context.stderr.write(`lakefn: connection '${result.name}' did not validate (${status}${detail})\n`);
    context.exitCode = 1;
  }
}
