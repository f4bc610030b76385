import { LakefnError, type LakefnErrorOptions, toLakefnError } from '../errors/index.ts';
import { executeGovernedStatement, initialScriptState } from '../governance/execute-governed-statement.ts';
import type { StatementResult } from './execute-result.ts';
import type { ExecuteOptions, ExecutionServices } from './execute-services.ts';
import { parseStatements } from './parse-statements.ts';
import type { Statement } from './statement.ts';

/**
 * Parses and runs a DDL script. The whole script is parsed first (a syntax error anywhere runs nothing);
 * then each statement runs in its own transaction, in order, under governance: the authorization function decides it
 * as `services.principal` and the audit log records it (src/governance/execute-governed-statement.ts). `USE PROJECT`
 * changes the current project for the statements after it. The first failing statement stops the script: statements
 * before it stay committed, and the error says how many were applied and where the failing statement starts
 * (`statement 2 of 3 failed; 1 statement applied: … at 4:1`).
 */
export async function executeStatements(text: string, services: ExecutionServices, options: ExecuteOptions = {}): Promise<StatementResult[]> {
  const statements = parseStatements(text, { allowUnknownRegion: options.allowUnknownRegion ?? false });
  const results: StatementResult[] = [];
  const script = initialScriptState(services);
  for (const [index, statement] of statements.entries()) {
    let result: StatementResult;
    try {
      result = await executeGovernedStatement(statement, services, options, script);
    } catch (error) {
      throw locateFailure(error, statement, index, statements.length);
    }
    if (statement.kind === 'use-project' && result.kind === 'change') {
      script.project = result.name;
      script.explicit = true;
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

/** Runs one parsed (or CLI-built) statement in its own transaction, under governance. Errors are not given a position. */
export async function executeStatement(statement: Statement, services: ExecutionServices, options: ExecuteOptions = {}): Promise<StatementResult> {
  return executeGovernedStatement(statement, services, options, initialScriptState(services));
}

/** Re-throws a statement's error with its position and, in a script, how far the script got. */
function locateFailure(error: unknown, statement: Statement, index: number, total: number): LakefnError {
  const original = toLakefnError(error);
  let detail = original.message;
  const positioned = original.location.line !== undefined;
  if (!positioned) detail = `${detail} at ${statement.position.line}:${statement.position.column}`;
  if (total > 1) detail = `statement ${index + 1} of ${total} failed; ${index} statement${index === 1 ? '' : 's'} applied: ${detail}`;
  const options: LakefnErrorOptions = {
    cause: original,
    retryable: original.retryable,
    location: positioned ? original.location : { ...original.location, line: statement.position.line, column: statement.position.column },
    data: { ...original.data, statement: index + 1, statements: total, applied: index },
    ...(original.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: original.retryAfterSeconds }),
    ...(original.provider === undefined ? {} : { provider: original.provider }),
  };
  return new LakefnError(original.code, detail, options);
}
