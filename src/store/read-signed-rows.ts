import { LakefnError } from '../errors/index.ts';
import type { SqlRow } from './sql-value.ts';

/** A governance row that failed its MAC or its checks: it grants nothing, and statements that list rows report it. */
export interface DamagedRow {
  readonly table: string;
  readonly message: string;
}

/**
 * The records of rows read from one table, each through `decode` (a row decoder's method: it verifies the row's MAC
 * and validates its values again). A row that fails with E_STORE_TAMPERED is left out, so it grants or shares nothing
 * (fail closed), and listed in `damaged` for the statements that report it; any other error is thrown.
 */
export function readSignedRows<T>(table: string, rows: readonly SqlRow[], decode: (row: SqlRow) => T, damaged: DamagedRow[]): T[] {
  const records: T[] = [];
  for (const row of rows) {
    try {
      records.push(decode(row));
    } catch (error) {
      if (!(LakefnError.isInstance(error) && error.code === 'E_STORE_TAMPERED')) throw error;
      damaged.push({ table, message: error.message });
    }
  }
  return records;
}
