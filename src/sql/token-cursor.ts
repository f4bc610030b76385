import type { LakefnError } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { checkPlainText } from '../catalog/text-rules.ts';
import type { Token } from './lexer.ts';
import { syntaxError } from './syntax-error.ts';

/** Longest identifier (connection, function, schema, argument or field name). */
export const MAX_IDENTIFIER_LENGTH = 128;

/** An identifier as written: unquoted words are lower-cased, quoted ones keep their case. */
export interface Identifier {
  readonly name: string;
  readonly token: Token;
}

/** A read position over the token list of one source text, with the helpers recursive descent needs. */
export class TokenCursor {
  readonly source: string;
  private readonly tokens: readonly Token[];
  private index = 0;

  constructor(source: string, tokens: readonly Token[]) {
    this.source = source;
    this.tokens = tokens;
  }

  peek(ahead = 0): Token {
    const last = this.tokens[this.tokens.length - 1];
    const token = this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)] ?? last;
    if (token === undefined) throw new Error('token list must end with an end token');
    return token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  /** The token just consumed (the last one of a statement, for its source text). */
  previous(): Token {
    return this.tokens[Math.max(this.index - 1, 0)] ?? this.peek();
  }

  isKeyword(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'word' && token.value === word;
  }

  /** Consumes the keywords if they all come next (e.g. `IF NOT EXISTS`); otherwise consumes nothing. */
  acceptKeywords(...words: string[]): boolean {
    if (!words.every((word, offset) => this.isKeyword(word, offset))) return false;
    this.index += words.length;
    return true;
  }

  expectKeyword(word: string, context: string): Token {
    if (!this.isKeyword(word)) throw this.fail(`expected ${word.toUpperCase()} ${context}`);
    return this.next();
  }

  isSymbol(symbol: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'symbol' && token.value === symbol;
  }

  acceptSymbol(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.index += 1;
    return true;
  }

  expectSymbol(symbol: string, context: string): Token {
    if (!this.isSymbol(symbol)) throw this.fail(`expected '${symbol}' ${context}`);
    return this.next();
  }

  expectString(context: string): Token {
    if (this.peek().kind !== 'string') throw this.fail(`expected a string literal ${context}`);
    return this.next();
  }

  /** An unquoted word or a quoted identifier, length- and character-checked. */
  expectIdentifier(what: string): Identifier {
    const token = this.peek();
    if (token.kind !== 'word' && token.kind !== 'quoted-identifier') throw this.fail(`expected ${what}`);
    this.next();
    const location = { line: token.line, column: token.column };
    checkPlainText(token.value, { field: what, code: 'E_INVALID_NAME', maxLength: MAX_IDENTIFIER_LENGTH, location });
    return { name: token.value, token };
  }

  /** `expected X, found Y` at the current token. */
  fail(expected: string, token: Token = this.peek()): LakefnError {
    return syntaxError(token, `${expected}, found ${this.describe(token)}`);
  }

  describe(token: Token): string {
    if (token.kind === 'end') return 'end of input';
    if (token.kind === 'string') return `string ${quoteValue(token.value, 40)}`;
    return quoteValue(this.source.slice(token.start, token.end), 40);
  }
}
