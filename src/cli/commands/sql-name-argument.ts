import { LakefnError } from '../../errors/index.ts';
import { parseFunctionName } from '../../sql/function-parser.ts';
import { tokenize } from '../../sql/lexer.ts';
import { TokenCursor } from '../../sql/token-cursor.ts';

/**
 * Reads a connection or function name given on the command line with the SQL identifier rules, so
 * `lakefn connection desc Sales` and `DESC API CONNECTION Sales` name the same object: unquoted names fold
 * to lower case; `"Mixed Case"` or `` `x-y` `` (quoted) keep their text. Functions may be `schema.name`.
 */
export function parseNameArgument(text: string, kind: 'connection' | 'function'): string {
  try {
    const cursor = new TokenCursor(text, tokenize(text));
    const name = kind === 'function' ? parseFunctionName(cursor).name : cursor.expectIdentifier(`a ${kind} name`).name;
    if (cursor.peek().kind !== 'end') throw cursor.fail(`expected only a ${kind} name (quote it with "…" if it has special characters)`);
    return name;
  } catch (error) {
    if (!LakefnError.isInstance(error)) throw error;
    throw new LakefnError(error.code, `${kind} name argument: ${error.message}`, { cause: error, location: { field: `${kind} name` } });
  }
}
