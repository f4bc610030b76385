/**
 * Writes one JSON document (2-space indented, newline-terminated). BigInt values are written as JSON
 * numbers with all their digits (never rounded through a double); a Map becomes an object.
 */
export function writeJson(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${toJson(value)}\n`);
}

/** JSON.stringify's rules (toJSON, undefined/function members skipped, non-finite → null) plus BigInt and Map. */
export function toJson(value: unknown, indent = ''): string {
  const item = hasToJson(value) ? value.toJSON() : value;
  if (item === null || item === undefined || typeof item === 'function' || typeof item === 'symbol') return 'null';
  if (typeof item === 'bigint') return item.toString();
  if (typeof item === 'number') return Number.isFinite(item) ? String(item) : 'null';
  if (typeof item === 'string' || typeof item === 'boolean') return JSON.stringify(item);
  const inner = `${indent}  `;
  if (Array.isArray(item)) {
    if (item.length === 0) return '[]';
    return `[\n${item.map((element: unknown) => `${inner}${toJson(element, inner)}`).join(',\n')}\n${indent}]`;
  }
  const entries = item instanceof Map ? [...(item as Map<unknown, unknown>).entries()].map(([key, entry]) => [String(key), entry] as const) : Object.entries(item);
  const members = entries.filter(([, entry]) => entry !== undefined && typeof entry !== 'function' && typeof entry !== 'symbol');
  if (members.length === 0) return '{}';
  return `{\n${members.map(([key, entry]) => `${inner}${JSON.stringify(key)}: ${toJson(entry, inner)}`).join(',\n')}\n${indent}}`;
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
