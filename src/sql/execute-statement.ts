import { LakefnError, type LakefnErrorOptions, toLakefnError } from '../errors/index.ts';
import {
  alterConnection, createConnection, describeConnectionStatement, dropConnection, rotateExternalId, showConnections, validateConnectionStatement,
} from './execute-connection-statement.ts';
import { createFunction, describeFunctionStatement, dropFunction, showFunctions } from './execute-function-statement.ts';
import type { StatementResult } from './execute-result.ts';
import type { ExecuteOptions, ExecutionServices } from './execute-services.ts';
import { parseStatements } from './parse-statements.ts';
import type { Statement } from './statement.ts';

/**
 * Parses and runs a DDL script. The whole script is parsed first (a syntax error anywhere runs nothing);
 * then each statement runs in its own transaction, in order. The first failing statement stops the
 * script: statements before it stay committed, and the error says how many were applied and where the
 * failing statement starts (`statement 2 of 3 failed; 1 statement applied: … at 4:1`).
 */
export async function executeStatements(text: string, services: ExecutionServices, options: ExecuteOptions = {}): Promise<StatementResult[]> {
  const statements = parseStatements(text, { allowUnknownRegion: options.allowUnknownRegion ?? false });
  const results: StatementResult[] = [];
  for (const [index, statement] of statements.entries()) {
    let result: StatementResult;
    try {
      result = await executeStatement(statement, services, options);
    } catch (error) {
      throw locateFailure(error, statement, index, statements.length);
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

/** Runs one parsed (or CLI-built) statement in its own transaction. Errors are not given a position. */
export async function executeStatement(statement: Statement, services: ExecutionServices, options: ExecuteOptions = {}): Promise<StatementResult> {
  switch (statement.kind) {
    case 'create-connection':
      return createConnection(statement, services);
    case 'describe-connection':
      return describeConnectionStatement(statement, services);
    case 'show-connections':
      return showConnections(statement, services);
    case 'alter-connection-set':
      return alterConnection(statement, services, options);
    case 'rotate-external-id':
      return rotateExternalId(statement, services);
    case 'validate-connection':
      return validateConnectionStatement(statement, services);
    case 'drop-connection':
      return dropConnection(statement, services);
    case 'create-function':
      return createFunction(statement, services);
    case 'describe-function':
      return describeFunctionStatement(statement, services);
    case 'show-functions':
      return showFunctions(statement, services);
    case 'drop-function':
      return dropFunction(statement, services);
  }
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
