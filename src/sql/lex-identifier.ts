import { LakefnError } from '../errors/index.ts';
import { tokenize } from './lexer.ts';
import { TokenCursor } from './token-cursor.ts';

/** One SQL identifier (unquoted: folded to lower case; `"Quoted"` kept), or undefined when `text` is anything else. */
export function lexIdentifier(text: string): string | undefined {
  try {
    const cursor = new TokenCursor(text, tokenize(text));
    const { name } = cursor.expectIdentifier('a name');
    return cursor.peek().kind === 'end' ? name : undefined;
  } catch (error) {
    if (LakefnError.isInstance(error)) return undefined;
    throw error;
  }
}
