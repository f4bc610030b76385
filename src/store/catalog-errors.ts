import { LakefnError } from '../errors/index.ts';

/** The catalog's "what is wrong and what to do" messages, shared by both stores and the executor. */

export function noSuchConnection(name: string): LakefnError {
  return new LakefnError('E_NO_SUCH_CONNECTION', `connection '${name}' does not exist (SHOW API CONNECTIONS lists them)`, {
    location: { connection: name },
  });
}

export function connectionExists(name: string): LakefnError {
  return new LakefnError(
    'E_CONNECTION_EXISTS',
    `connection '${name}' already exists; use CREATE OR REPLACE to replace it (it gets a new external ID) or IF NOT EXISTS to keep it`,
    { location: { connection: name } },
  );
}

export function connectionInUse(name: string, functionNames: readonly string[]): LakefnError {
  const shown = functionNames.slice(0, 10).map((functionName) => `'${functionName}'`).join(', ');
  const more = functionNames.length > 10 ? ` and ${functionNames.length - 10} more` : '';
  return new LakefnError(
    'E_CONNECTION_IN_USE',
    `connection '${name}' is used by ${functionNames.length} function(s): ${shown}${more}; drop them first, or drop the connection with CASCADE to drop them too`,
    { location: { connection: name }, data: { functions: [...functionNames] } },
  );
}

export function connectionConflict(name: string, expectedVersion: number, actualVersion: number): LakefnError {
  return new LakefnError(
    'E_STORE_CONFLICT',
    `connection '${name}' was changed concurrently (expected version ${expectedVersion}, found ${actualVersion}); retry the statement`,
    { location: { connection: name } },
  );
}

export function noSuchFunction(name: string): LakefnError {
  return new LakefnError('E_NO_SUCH_FUNCTION', `function '${name}' does not exist (SHOW EXTERNAL FUNCTIONS lists them)`, {
    location: { function: name },
  });
}

export function functionExists(name: string): LakefnError {
  return new LakefnError(
    'E_FUNCTION_EXISTS',
    `function '${name}' already exists; use CREATE OR REPLACE EXTERNAL FUNCTION to replace it or IF NOT EXISTS to keep it`,
    { location: { function: name } },
  );
}

export function existsNotice(kind: 'connection' | 'function', name: string): string {
  return `${kind} '${name}' already exists; IF NOT EXISTS left it unchanged`;
}

export function missingNotice(kind: 'connection' | 'function', name: string): string {
  return `${kind} '${name}' does not exist; IF EXISTS made this a no-op`;
}
