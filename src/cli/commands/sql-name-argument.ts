import { LakefnError } from '../../errors/index.ts';
import { parseConnectionName, parseFunctionName } from '../../sql/function-parser.ts';
import { tokenize } from '../../sql/lexer.ts';
import { TokenCursor } from '../../sql/token-cursor.ts';

/** A name as given on the command line: the object's name and the project it was qualified with (null: none). */
export interface QualifiedNameArgument {
  readonly name: string;
  readonly project: string | null;
}

/**
 * Reads a connection or function name given on the command line with the SQL identifier rules, so
 * `lakefn connection desc Sales` and `DESC API CONNECTION Sales` name the same object: unquoted names fold
 * to lower case; `"Mixed Case"` or `` `x-y` `` (quoted) keep their text. Connections may be `project.name`, functions
 * `[project.][schema.]name` (resolved like SQL: see ProjectQualified in statement.ts).
 */
export function parseNameArgument(text: string, kind: 'connection' | 'function'): QualifiedNameArgument {
  try {
    const cursor = new TokenCursor(text, tokenize(text));
    const qualified = kind === 'function' ? parseFunctionName(cursor) : parseConnectionName(cursor);
    if (cursor.peek().kind !== 'end') throw cursor.fail(`expected only a ${kind} name (quote it with "…" if it has special characters)`);
    return { name: qualified.name, project: qualified.project };
  } catch (error) {
    if (!LakefnError.isInstance(error)) throw error;
    throw new LakefnError(error.code, `${kind} name argument: ${error.message}`, { cause: error, location: { field: `${kind} name` } });
  }
}
