/**
 * SQL types an EXTERNAL FUNCTION may take and return. JavaScript values used for each type, in rows
 * given to the dispatcher and in results it returns (the codec converts to/from the wire):
 *   BOOLEAN → boolean; INT, FLOAT, DOUBLE → number; BIGINT → bigint (number and decimal strings are
 *   accepted on input); DECIMAL → string (exact decimal text); VARCHAR → string; DATE → 'YYYY-MM-DD';
 *   TIMESTAMP → ISO-8601 string with zone (a Date is accepted on input); BINARY → Uint8Array;
 *   JSON → any JSON value; ARRAY → array; MAP → Map (string, number or bigint keys); STRUCT → plain object.
 *   SQL NULL is `null` for every type.
 */
export type SqlType =
  | { readonly kind: 'BOOLEAN' }
  | { readonly kind: 'INT' }
  | { readonly kind: 'BIGINT' }
  | { readonly kind: 'FLOAT' }
  | { readonly kind: 'DOUBLE' }
  | { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'VARCHAR' }
  | { readonly kind: 'DATE' }
  | { readonly kind: 'TIMESTAMP' }
  | { readonly kind: 'BINARY' }
  | { readonly kind: 'JSON' }
  | { readonly kind: 'ARRAY'; readonly element: SqlType }
  | { readonly kind: 'MAP'; readonly key: SqlType; readonly value: SqlType }
  | { readonly kind: 'STRUCT'; readonly fields: readonly { readonly name: string; readonly type: SqlType }[] };

export type SqlTypeKind = SqlType['kind'];

/** Canonical text of a type, e.g. `DECIMAL(38,10)`, `ARRAY<MAP<VARCHAR,BIGINT>>`, `STRUCT<a INT,b VARCHAR>`. */
export function formatSqlType(type: SqlType): string {
  switch (type.kind) {
    case 'DECIMAL':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatSqlType(type.element)}>`;
    case 'MAP':
      return `MAP<${formatSqlType(type.key)},${formatSqlType(type.value)}>`;
    case 'STRUCT':
      return `STRUCT<${type.fields.map((field) => `${field.name} ${formatSqlType(field.type)}`).join(',')}>`;
    default:
      return type.kind;
  }
}
