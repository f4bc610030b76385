/** A value in a printed table or key/value list: text, a number, or SQL NULL (printed empty). */
export type PrintableCell = string | number | boolean | null;

/**
 * An aligned plain-text table: header, a dashed rule, one line per row, columns separated by two
 * spaces, trailing spaces trimmed. Numbers are right-aligned. Control characters are made visible so a
 * value can never move the cursor or break the layout.
 */
export function formatTable(columns: readonly string[], rows: readonly (readonly PrintableCell[])[]): string {
  const texts = rows.map((row) => columns.map((_, index) => cellText(row[index] ?? null)));
  const widths = columns.map((column, index) => Math.max(column.length, ...texts.map((row) => (row[index] ?? '').length)));
  const numeric = columns.map((_, index) => rows.length > 0 && rows.every((row) => typeof row[index] === 'number' || row[index] === null));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, index) => (numeric[index] ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...texts.map(line)].join('\n') + '\n';
}

/** The text of one cell: NULL is empty; control characters become `\xNN`. */
export function cellText(value: PrintableCell): string {
  if (value === null) return '';
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[\u0000-\u001f\u007f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
