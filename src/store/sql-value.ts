/** A value bound to, or read from, a catalog column: TEXT, INTEGER or NULL (both stores hold exactly these). */
export type SqlValue = string | number | null;
/** One row as the database returns it (column name to value); never trusted until decoded and verified. */
export type SqlRow = Readonly<Record<string, unknown>>;
