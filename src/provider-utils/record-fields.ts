/** Lenient readers for vendor SDK objects, whose runtime shape is wider than their typings. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The field as a non-empty string (numbers are converted), else undefined. */
export function stringField(record: unknown, name: string): string | undefined {
  if (!isRecord(record)) return undefined;
  const value = record[name];
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

/** The field as a finite number (numeric strings are converted), else undefined. */
export function numberField(record: unknown, name: string): number | undefined {
  if (!isRecord(record)) return undefined;
  const value = record[name];
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}
