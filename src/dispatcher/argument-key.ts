/**
 * A string that is equal for two argument tuples exactly when they hold the same values (for in-batch
 * dedup of immutable functions). Types are tagged so that 1, 1n, '1' and true stay distinct: treating
 * two SQL-equal spellings as different only costs a missed dedup, never a wrong result. (A Date reaches the
 * replacer already as its ISO text, via Date#toJSON, so it shares a key with that text: both encode alike.)
 */
export function argumentKey(row: readonly unknown[]): string {
  // fast path: one scalar argument, the common case for dedup-worthy functions
  if (row.length === 1) {
    const value = row[0];
    if (typeof value === 'string') return `s${value}`;
    if (typeof value === 'number') return `n${value}`;
  }
  return JSON.stringify(row, replaceValue);
}

function replaceValue(_key: string, value: unknown): unknown {
  switch (typeof value) {
    case 'bigint':
      return { $bigint: value.toString() };
    case 'number':
      // JSON.stringify turns NaN/±Infinity into null, which would merge them with SQL NULL
      return Number.isFinite(value) ? value : { $number: String(value) };
    case 'undefined':
      return null;
    default:
      break;
  }
  if (value instanceof Uint8Array) return { $binary: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Map) return { $map: [...(value as Map<unknown, unknown>).entries()] };
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype) {
    // a plain object: tag it so that {"$bigint": …} written by a user cannot collide with a tagged value
    return { $object: Object.entries(value as Record<string, unknown>) };
  }
  return value;
}
