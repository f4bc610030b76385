import { syntaxError } from './syntax-error.ts';

export type TokenKind = 'word' | 'quoted-identifier' | 'string' | 'number' | 'symbol' | 'end';

/**
 * One lexical token. `value` is: for a word, its lower-cased text (keywords and unquoted identifiers
 * fold case); for a quoted identifier or a string, the unescaped content; for a number or symbol, its text.
 */
export interface Token {
  readonly kind: TokenKind;
  readonly value: string;
  /** 1-based line and column (UTF-16 units) of the first character. */
  readonly line: number;
  readonly column: number;
  /** Offsets into the source: [start, end). */
  readonly start: number;
  readonly end: number;
}

const SYMBOLS = new Set(['(', ')', ',', ';', '=', '.', '<', '>', ':']);
const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;

/**
 * Splits DDL text into tokens, skipping whitespace, `-- …` line comments and `/* … *\/` block comments.
 * One left-to-right pass: every character is looked at a constant number of times.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;

  const advanceOver = (end: number): void => {
    for (let index = offset; index < end; index += 1) {
      const character = source[index];
      if (character === '\n' || (character === '\r' && source[index + 1] !== '\n')) {
        line += 1;
        lineStart = index + 1;
      }
    }
    offset = end;
  };

  while (offset < source.length) {
    const character = source[offset] ?? '';
    const column = offset - lineStart + 1;
    const push = (kind: TokenKind, value: string, end: number): void => {
      tokens.push({ kind, value, line, column, start: offset, end });
      advanceOver(end);
    };
    if (/\s/.test(character)) {
      advanceOver(offset + 1);
    } else if (character === '-' && source[offset + 1] === '-') {
      const newline = source.indexOf('\n', offset);
      advanceOver(newline === -1 ? source.length : newline);
    } else if (character === '/' && source[offset + 1] === '*') {
      const close = source.indexOf('*/', offset + 2);
      if (close === -1) throw syntaxError({ line, column }, 'unterminated /* comment');
      advanceOver(close + 2);
    } else if (WORD_START.test(character)) {
      let end = offset + 1;
      while (end < source.length && WORD_PART.test(source[end] ?? '')) end += 1;
      push('word', source.slice(offset, end).toLowerCase(), end);
    } else if (DIGIT.test(character)) {
      let end = offset + 1;
      while (end < source.length && DIGIT.test(source[end] ?? '')) end += 1;
      if (end < source.length && WORD_PART.test(source[end] ?? '')) {
        throw syntaxError({ line, column }, `unexpected character '${source[end] ?? ''}' in number`);
      }
      push('number', source.slice(offset, end), end);
    } else if (character === "'" || character === '"' || character === '`') {
      const { value, end } = readQuoted(source, offset, character, { line, column });
      push(character === "'" ? 'string' : 'quoted-identifier', value, end);
    } else if (SYMBOLS.has(character)) {
      push('symbol', character, offset + 1);
    } else {
      throw syntaxError({ line, column }, `unexpected character ${describeCharacter(character)}`);
    }
  }
  tokens.push({ kind: 'end', value: '', line, column: offset - lineStart + 1, start: offset, end: offset });
  return tokens;
}

/** Reads a quoted string or identifier; a doubled quote character stands for itself (`'it''s'`). */
function readQuoted(source: string, start: number, quote: string, position: { line: number; column: number }): { value: string; end: number } {
  const pieces: string[] = [];
  let pieceStart = start + 1;
  for (;;) {
    const close = source.indexOf(quote, pieceStart);
    if (close === -1) {
      throw syntaxError(position, quote === "'" ? 'unterminated string literal' : `unterminated quoted identifier (missing closing ${quote})`);
    }
    pieces.push(source.slice(pieceStart, close));
    if (source[close + 1] !== quote) return { value: pieces.join(''), end: close + 1 };
    pieces.push(quote);
    pieceStart = close + 2;
  }
}

function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : `'${character}'`;
}
