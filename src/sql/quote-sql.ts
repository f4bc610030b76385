/**
 * Quoting by the lexer's own rules, for SQL that lakefn prints for users to copy ("next: VALIDATE API
 * CONNECTION …") or builds itself: whatever a name contains (`;`, quotes, spaces, `--`), the quoted form reads
 * back as exactly that one identifier or string, so a copied hint can never run a second statement.
 */

/** An unquoted word that reads back as itself: the lexer folds words to lower case, so only lower-case ones do. */
const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** `name` as written in SQL: bare when it reads back unchanged, otherwise `"…"` with `"` doubled. */
export function quoteIdentifier(name: string): string {
  return PLAIN_IDENTIFIER.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** A function name `schema.name` (its parts never contain `.`): each part quoted on its own. */
export function quoteFunctionName(name: string): string {
  return name.split('.').map(quoteIdentifier).join('.');
}

/** A string literal: `'…'` with `'` doubled. */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
