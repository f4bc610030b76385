/**
 * A canonical string for an argument tuple of lakefn values, used as the key of the per-query result cache:
 * two tuples get the same key exactly when they hold the same values of the same JS types (1 and 1n differ,
 * bytes compare by content, maps and structs by entries in order).
 */
export function tupleKey(row: readonly unknown[]): string {
  const parts: string[] = [];
  appendValue(parts, row);
  return parts.join('');
}

function appendValue(parts: string[], value: unknown): void {
  if (value === null || value === undefined) {
    parts.push('z');
  } else if (typeof value === 'string') {
    parts.push('s', JSON.stringify(value));
  } else if (typeof value === 'number') {
    parts.push('d', Object.is(value, -0) ? '-0' : String(value), ';');
  } else if (typeof value === 'bigint') {
    parts.push('n', String(value), ';');
  } else if (typeof value === 'boolean') {
    parts.push(value ? 't' : 'f');
  } else if (value instanceof Uint8Array) {
    parts.push('b', Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'), ';');
  } else if (Array.isArray(value)) {
    parts.push('[');
    for (const item of value) appendValue(parts, item);
    parts.push(']');
  } else if (value instanceof Map) {
    parts.push('m{');
    for (const [key, item] of value as Map<unknown, unknown>) {
      appendValue(parts, key);
      appendValue(parts, item);
    }
    parts.push('}');
  } else if (typeof value === 'object') {
    parts.push('{');
    for (const [key, item] of Object.entries(value)) {
      parts.push(JSON.stringify(key));
      appendValue(parts, item);
    }
    parts.push('}');
  } else {
    throw new Error(`cannot key a ${typeof value} argument`);
  }
}
