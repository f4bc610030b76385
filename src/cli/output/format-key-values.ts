import { cellText, type PrintableCell } from './format-table.ts';

/** One line of a key/value listing; `block` values (e.g. pretty-printed JSON) go on the lines below the key. */
export type KeyValueEntry = readonly [key: string, value: PrintableCell] | readonly [key: string, value: string, kind: 'block'];

/**
 * `key  value` lines with the values aligned, as DESC prints them. A block value starts on the next line,
 * indented by two spaces, so multi-line JSON stays copy-pasteable.
 */
export function formatKeyValues(entries: readonly KeyValueEntry[]): string {
  const width = Math.max(0, ...entries.filter((entry) => entry.length === 2).map(([key]) => key.length));
  return entries
    .map((entry) => {
      if (entry.length === 3) return `${entry[0]}:\n${entry[1].split('\n').map((line) => `  ${line}`).join('\n')}`;
      return `${entry[0].padEnd(width)}  ${cellText(entry[1])}`.trimEnd();
    })
    .join('\n') + '\n';
}
