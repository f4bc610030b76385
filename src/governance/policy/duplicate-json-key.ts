import { findClosingQuote } from '../../codec/exact-json-parser.ts';
import type { JsonPath } from './json-path.ts';

interface ObjectFrame {
  readonly kind: 'object';
  readonly path: JsonPath;
  readonly keys: Set<string>;
  expectingKey: boolean;
  key: string;
}

interface ArrayFrame {
  readonly kind: 'array';
  readonly path: JsonPath;
  index: number;
}

/**
 * The path of the first key that appears twice in one object of a JSON text already accepted by JSON.parse, or
 * undefined. JSON.parse keeps the last duplicate silently, so `{"Effect": "Deny", "Effect": "Allow"}` would read as
 * an Allow to lakefn and as a Deny to a human: such documents are refused. One linear pass.
 */
export function findDuplicateJsonKey(text: string): JsonPath | undefined {
  const stack: (ObjectFrame | ArrayFrame)[] = [];
  const valuePath = (): JsonPath => {
    const frame = stack[stack.length - 1];
    if (frame === undefined) return [];
    return frame.kind === 'object' ? [...frame.path, frame.key] : [...frame.path, frame.index];
  };
  let index = 0;
  while (index < text.length) {
    const character = text[index];
    const frame = stack[stack.length - 1];
    if (character === '{') stack.push({ kind: 'object', path: valuePath(), keys: new Set(), expectingKey: true, key: '' });
    else if (character === '[') stack.push({ kind: 'array', path: valuePath(), index: 0 });
    else if (character === '}' || character === ']') stack.pop();
    else if (character === ',') {
      if (frame?.kind === 'object') frame.expectingKey = true;
      else if (frame?.kind === 'array') frame.index += 1;
    } else if (character === ':' && frame?.kind === 'object') frame.expectingKey = false;
    else if (character === '"') {
      const close = findClosingQuote(text, index);
      if (frame?.kind === 'object' && frame.expectingKey) {
        const key = JSON.parse(text.slice(index, close + 1)) as string;
        if (frame.keys.has(key)) return [...frame.path, key];
        frame.keys.add(key);
        frame.key = key;
      }
      index = close;
    }
    index += 1;
  }
  return undefined;
}
