import { cellText, formatTable, type PrintableCell } from '../cli/output/format-table.ts';
import { toJson } from '../cli/output/write-json.ts';
import type { ResultValue } from './duckdb-worker-protocol.ts';
import type { QueryResult } from './create-duckdb-session.ts';

/** Output formats of `lakefn query`. */
export type QueryOutputFormat = 'table' | 'json' | 'csv';

/**
 * Renders a query result: an aligned table (NULL empty, nested values as JSON), a JSON array of row objects
 * (BIGINT with all its digits), or RFC 4180 CSV with a header line (NULL as an empty field).
 */
export function formatQueryResult(result: QueryResult, format: QueryOutputFormat): string {
  const names = result.columns.map((column) => column.name);
  switch (format) {
    case 'table':
      return formatTable(names, result.rows.map((row) => row.map(printableCell)));
    case 'json':
      return `${toJson(result.rows.map((row) => Object.fromEntries(names.map((name, index) => [name, row[index] ?? null]))))}\n`;
    case 'csv':
      return [names.map(csvField), ...result.rows.map((row) => row.map((value) => (value === null ? '' : csvField(plainText(value)))))].map((fields) => `${fields.join(',')}\r\n`).join('');
  }
}

function printableCell(value: ResultValue): PrintableCell {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  return cellText(plainText(value));
}

function plainText(value: ResultValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return compactJson(value);
}

/** One-line JSON for nested values in a cell; bigint digits kept exactly. */
function compactJson(value: ResultValue): string {
  if (value === null || typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly ResultValue[]).map(compactJson).join(',')}]`;
  return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${compactJson(item)}`).join(',')}}`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text.trim() !== text ? `"${text.replaceAll('"', '""')}"` : text;
}
