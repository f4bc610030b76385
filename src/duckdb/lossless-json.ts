/**
 * A JSON parser/serializer that keeps numbers as their source text. DuckDB's `json_serialize_sql` writes uint64
 * query locations and 64-bit constants that `JSON.parse` would round, and the prefetch planner feeds a modified
 * tree back to `json_deserialize_sql`, so the round trip must be exact. Linear time, iterative over input text.
 */

/** A JSON number kept verbatim. */
export class JsonNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

export function parseLosslessJson(text: string): JsonValue {
  const parser = { text, position: 0 };
  const value = parseValue(parser);
  skipWhitespace(parser);
  if (parser.position !== text.length) throw new SyntaxError(`unexpected text at offset ${parser.position}`);
  return value;
}

export function stringifyLosslessJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stringifyLosslessJson).join(',')}]`;
  return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${stringifyLosslessJson(item)}`).join(',')}}`;
}

interface Parser {
  readonly text: string;
  position: number;
}

function parseValue(parser: Parser): JsonValue {
  skipWhitespace(parser);
  const character = parser.text[parser.position];
  if (character === '{') return parseObject(parser);
  if (character === '[') return parseArray(parser);
  if (character === '"') return parseString(parser);
  if (parser.text.startsWith('true', parser.position)) return advance(parser, 4, true);
  if (parser.text.startsWith('false', parser.position)) return advance(parser, 5, false);
  if (parser.text.startsWith('null', parser.position)) return advance(parser, 4, null);
  return parseNumber(parser);
}

function parseObject(parser: Parser): JsonValue {
  const result: Record<string, JsonValue> = {};
  parser.position += 1;
  skipWhitespace(parser);
  if (parser.text[parser.position] === '}') return advance(parser, 1, result);
  for (;;) {
    skipWhitespace(parser);
    const key = parseString(parser);
    skipWhitespace(parser);
    expect(parser, ':');
    result[key] = parseValue(parser);
    skipWhitespace(parser);
    if (parser.text[parser.position] === '}') return advance(parser, 1, result);
    expect(parser, ',');
  }
}

function parseArray(parser: Parser): JsonValue {
  const result: JsonValue[] = [];
  parser.position += 1;
  skipWhitespace(parser);
  if (parser.text[parser.position] === ']') return advance(parser, 1, result);
  for (;;) {
    result.push(parseValue(parser));
    skipWhitespace(parser);
    if (parser.text[parser.position] === ']') return advance(parser, 1, result);
    expect(parser, ',');
  }
}

function parseString(parser: Parser): string {
  expect(parser, '"');
  const start = parser.position - 1;
  while (parser.position < parser.text.length) {
    const character = parser.text[parser.position];
    if (character === '\\') parser.position += 2;
    else if (character === '"') {
      parser.position += 1;
      return JSON.parse(parser.text.slice(start, parser.position)) as string;
    } else parser.position += 1;
  }
  throw new SyntaxError('unterminated string');
}

function parseNumber(parser: Parser): JsonNumber {
  const start = parser.position;
  while (parser.position < parser.text.length && '+-0123456789.eE'.includes(parser.text[parser.position] ?? '')) parser.position += 1;
  const text = parser.text.slice(start, parser.position);
  if (text === '' || Number.isNaN(Number(text))) throw new SyntaxError(`unexpected token at offset ${start}`);
  return new JsonNumber(text);
}

function skipWhitespace(parser: Parser): void {
  while (' \t\n\r'.includes(parser.text[parser.position] ?? 'x')) parser.position += 1;
}

function expect(parser: Parser, character: string): void {
  if (parser.text[parser.position] !== character) throw new SyntaxError(`expected '${character}' at offset ${parser.position}`);
  parser.position += 1;
}

function advance<T>(parser: Parser, length: number, value: T): T {
  parser.position += length;
  return value;
}
