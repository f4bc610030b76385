import { type StatementResult, type TableCell, validationFailureCode } from './execute-result.ts';

/**
 * The JSON document of one result: SHOW → array of row objects, DESC → the description object, changes → a summary object.
 * One form for both: `lakefn sql --json` prints it and serve's POST /v1/sql answers it.
 */
export function statementResultJson(result: StatementResult): unknown {
  switch (result.kind) {
    case 'table':
      return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index): [string, TableCell] => [column, row[index] ?? null])));
    case 'connection-description':
    case 'function-description':
    case 'policy-description':
      return result.description;
    case 'authorization-explanation':
      return { statement: result.explained, principal: result.principal, allowed: result.allowed, would_fail: result.wouldFail, decisions: result.decisions };
    case 'change':
      return {
        statement: result.statement,
        object: result.object,
        name: result.name,
        outcome: result.outcome,
        message: result.message,
        notices: result.notices,
        ...(result.connection === undefined ? {} : { connection: result.connection }),
        ...(result.function === undefined ? {} : { function: result.function }),
        ...(result.droppedFunctions === undefined ? {} : { dropped_functions: result.droppedFunctions }),
        ...(result.validation === undefined ? {} : { validation: { ...result.validation, code: validationFailureCode(result.validation.status) } }),
        ...(result.token === undefined ? {} : { token: result.token }),
      };
  }
}
