import { LakefnError } from '../errors/index.ts';
import { DEFAULT_LABEL, type FunctionLabelRecord } from '../spec/package-records.ts';
import { FUNCTION_LABEL_COLUMNS, FUNCTION_LABELS_TABLE } from './catalog-schema.ts';
import { functionLabelRowValues, type PackageRowDecoder } from './package-rows.ts';
import type { TransactionState } from './sql-catalog-session.ts';
import type { SqlSession } from './sql-database.ts';
import type { DamagedRow } from './read-signed-rows.ts';
import type { StoreKeyring } from './store-keyring.ts';

const INSERT_LABEL = `INSERT INTO ${FUNCTION_LABELS_TABLE} (${FUNCTION_LABEL_COLUMNS.join(', ')}) VALUES (${FUNCTION_LABEL_COLUMNS.map(() => '?').join(', ')})`;

/** What the catalog says about a function's sensitivity label. */
export type StoredLabel =
  | { readonly state: 'default' }
  | { readonly state: 'set'; readonly record: FunctionLabelRecord }
  /** The row fails its integrity check: no label can be trusted, so the function is reached through no package. */
  | { readonly state: 'damaged'; readonly message: string };

/** The label a stored state means: the one set, 0 when none was, null when the row fails its check (no label is trusted). */
export function labelValue(stored: StoredLabel): number | null {
  return stored.state === 'set' ? stored.record.label : stored.state === 'default' ? DEFAULT_LABEL : null;
}

/**
 * Reads and writes of the function sensitivity labels (migration 7) inside one transaction. Like every catalog row, a
 * label is signed on write and verified on read; a label row that fails is never read as any label (a lowered label
 * written behind lakefn's back must not open a function to a consumer): it is reported as damaged, and the call path
 * treats the function as reachable through no package until the label is set again.
 */
export class SqlLabelSession {
  readonly #sql: SqlSession;
  readonly #keyring: StoreKeyring;
  readonly #decoder: PackageRowDecoder;
  readonly #state: TransactionState;
  readonly damaged: DamagedRow[] = [];

  constructor(sql: SqlSession, keyring: StoreKeyring, decoder: PackageRowDecoder, state: TransactionState) {
    this.#sql = sql;
    this.#keyring = keyring;
    this.#decoder = decoder;
    this.#state = state;
  }

  async functionLabel(functionId: string): Promise<StoredLabel> {
    const [row] = await this.#sql.all(`SELECT * FROM ${FUNCTION_LABELS_TABLE} WHERE function_id = ?`, [functionId]);
    if (row === undefined) return { state: 'default' };
    try {
      return { state: 'set', record: this.#decoder.functionLabel(row) };
    } catch (error) {
      if (!(LakefnError.isInstance(error) && error.code === 'E_STORE_TAMPERED')) throw error;
      this.damaged.push({ table: FUNCTION_LABELS_TABLE, message: error.message });
      return { state: 'damaged', message: error.message };
    }
  }

  /** Sets (inserts or replaces) a function's label; a damaged row is replaced too (SET LABEL is how it is repaired). */
  async putFunctionLabel(record: FunctionLabelRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${FUNCTION_LABELS_TABLE} WHERE function_id = ?`, [record.functionId]);
    await this.#sql.run(INSERT_LABEL, functionLabelRowValues(record, this.#keyring.current()));
  }

  /** A dropped function's label goes with it. */
  async deleteFunctionLabel(functionId: string): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${FUNCTION_LABELS_TABLE} WHERE function_id = ?`, [functionId]);
  }

  /** A replaced function keeps its label (CREATE OR REPLACE keeps grants and package membership alike). */
  async moveFunctionLabel(fromId: string, toId: string): Promise<void> {
    const stored = await this.functionLabel(fromId);
    if (stored.state === 'set') {
      await this.deleteFunctionLabel(fromId);
      await this.putFunctionLabel({ ...stored.record, functionId: toId });
    } else if (stored.state === 'damaged') {
      // moved as it is, still failing its check: re-signing would launder it, dropping it would lower the label to 0
      this.#changed();
      await this.#sql.run(`UPDATE ${FUNCTION_LABELS_TABLE} SET function_id = ? WHERE function_id = ?`, [toId, fromId]);
    }
  }

  #changed(): void {
    this.#state.changed = true;
  }
}
