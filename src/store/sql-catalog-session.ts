import { LakefnError } from '../errors/index.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import { connectionConflict, tamperedRow } from './catalog-errors.ts';
import { connectionRowValues, functionRowValues, type RowDecoder, rowName } from './catalog-rows.ts';
import { CONNECTION_COLUMNS, CONNECTIONS_TABLE, FUNCTION_COLUMNS, FUNCTIONS_TABLE } from './catalog-schema.ts';
import type { CatalogWriteSession, DroppedObject } from './catalog-store.ts';
import { checkLikePattern, nameMatches } from './like-pattern.ts';
import type { SqlSession } from './sql-database.ts';
import type { SqlRow } from './sql-value.ts';
import type { StoreKeyring } from './store-keyring.ts';

const INSERT_CONNECTION = `INSERT INTO ${CONNECTIONS_TABLE} (${CONNECTION_COLUMNS.join(', ')}) VALUES (${CONNECTION_COLUMNS.map(() => '?').join(', ')})`;
const UPDATE_CONNECTION = `UPDATE ${CONNECTIONS_TABLE} SET ${CONNECTION_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE id = ? AND version = ?`;
const INSERT_FUNCTION = `INSERT INTO ${FUNCTIONS_TABLE} (${FUNCTION_COLUMNS.join(', ')}) VALUES (${FUNCTION_COLUMNS.map(() => '?').join(', ')})`;

/**
 * The typed catalog operations over one SQL transaction. Reads decode and verify every row they return;
 * writes sign every row with the keyring's current key (the store made sure it is the catalog's key).
 * Used for reads only when the transaction is read-only (the store hands it out as a CatalogReadSession).
 */
export class SqlCatalogSession implements CatalogWriteSession {
  readonly #sql: SqlSession;
  readonly #keyring: StoreKeyring;
  readonly #decoder: RowDecoder;
  readonly #location: string;
  /** Connections this transaction has decoded, by id; forgotten on every write (a function read decodes its connection). */
  readonly #connections = new Map<string, ConnectionRecord>();

  constructor(sql: SqlSession, keyring: StoreKeyring, decoder: RowDecoder, location: string) {
    this.#sql = sql;
    this.#keyring = keyring;
    this.#decoder = decoder;
    this.#location = location;
  }

  async connection(name: string): Promise<ConnectionRecord | undefined> {
    const row = await this.#one(`SELECT * FROM ${CONNECTIONS_TABLE} WHERE name = ?`, name);
    return row === undefined ? undefined : this.#decodeConnection(row);
  }

  async connectionById(id: string): Promise<ConnectionRecord | undefined> {
    const known = this.#connections.get(id);
    if (known !== undefined) return known;
    const row = await this.#one(`SELECT * FROM ${CONNECTIONS_TABLE} WHERE id = ?`, id);
    return row === undefined ? undefined : this.#decodeConnection(row);
  }

  async connections(like?: string | null): Promise<ConnectionRecord[]> {
    if (like !== null && like !== undefined) checkLikePattern(like);
    const rows = await this.#sql.all(`SELECT * FROM ${CONNECTIONS_TABLE}`);
    // filter before decoding: a tampered row outside the pattern does not break an unrelated SHOW
    return rows.filter((row) => nameMatches(row['name'], like)).map((row) => this.#decodeConnection(row)).sort(byName);
  }

  async function(name: string): Promise<FunctionRecord | undefined> {
    const row = await this.#one(`SELECT * FROM ${FUNCTIONS_TABLE} WHERE name = ?`, name);
    return row === undefined ? undefined : this.#decodeFunction(row, new Map());
  }

  async functions(like?: string | null): Promise<FunctionRecord[]> {
    if (like !== null && like !== undefined) checkLikePattern(like);
    const rows = await this.#sql.all(`SELECT * FROM ${FUNCTIONS_TABLE}`);
    const connections = new Map<string, Promise<ConnectionRecord>>();
    const matching = rows.filter((row) => nameMatches(row['name'], like));
    return (await Promise.all(matching.map((row) => this.#decodeFunction(row, connections)))).sort(byName);
  }

  async functionsUsing(connectionId: string): Promise<FunctionRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${FUNCTIONS_TABLE} WHERE connection_id = ?`, [connectionId]);
    const connections = new Map<string, Promise<ConnectionRecord>>();
    return (await Promise.all(rows.map((row) => this.#decodeFunction(row, connections)))).sort(byName);
  }

  async insertConnection(record: ConnectionRecord): Promise<void> {
    this.#connections.clear();
    await this.#sql.run(INSERT_CONNECTION, connectionRowValues(record, this.#keyring.current()));
  }

  async updateConnection(current: ConnectionRecord, next: ConnectionRecord): Promise<void> {
    this.#connections.clear();
    const changed = await this.#sql.run(UPDATE_CONNECTION, [...connectionRowValues({ ...next, id: current.id }, this.#keyring.current()), current.id, current.version]);
    if (changed === 1) return;
    const [row] = await this.#sql.all(`SELECT version FROM ${CONNECTIONS_TABLE} WHERE id = ?`, [current.id]);
    throw connectionConflict(current.name, current.version, Number(row?.['version'] ?? Number.NaN));
  }

  async deleteConnection(id: string): Promise<void> {
    this.#connections.clear();
    await this.#sql.run(`DELETE FROM ${CONNECTIONS_TABLE} WHERE id = ?`, [id]);
  }

  async insertFunction(record: FunctionRecord): Promise<void> {
    this.#connections.clear();
    await this.#sql.run(INSERT_FUNCTION, functionRowValues(record, this.#keyring.current()));
  }

  async deleteFunction(id: string): Promise<void> {
    this.#connections.clear();
    await this.#sql.run(`DELETE FROM ${FUNCTIONS_TABLE} WHERE id = ?`, [id]);
  }

  async connectionForDrop(name: string): Promise<DroppedObject<ConnectionRecord> | undefined> {
    const row = await this.#one(`SELECT * FROM ${CONNECTIONS_TABLE} WHERE name = ?`, name);
    if (row === undefined) return undefined;
    let record: ConnectionRecord | null;
    try {
      record = this.#decodeConnection(row);
    } catch (error) {
      record = untrusted(error);
    }
    return { id: String(row['id']), name, record };
  }

  async functionForDrop(name: string): Promise<DroppedObject<FunctionRecord> | undefined> {
    const row = await this.#one(`SELECT * FROM ${FUNCTIONS_TABLE} WHERE name = ?`, name);
    if (row === undefined) return undefined;
    let record: FunctionRecord | null;
    try {
      record = await this.#decodeFunction(row, new Map());
    } catch (error) {
      record = untrusted(error);
    }
    return { id: String(row['id']), name, record };
  }

  async functionNamesUsing(connectionId: string): Promise<string[]> {
    const rows = await this.#sql.all(`SELECT name FROM ${FUNCTIONS_TABLE} WHERE connection_id = ?`, [connectionId]);
    return rows.map((row) => String(row['name'])).sort();
  }

  async deleteFunctionsUsing(connectionId: string): Promise<void> {
    this.#connections.clear();
    await this.#sql.run(`DELETE FROM ${FUNCTIONS_TABLE} WHERE connection_id = ?`, [connectionId]);
  }

  #decodeConnection(row: SqlRow): ConnectionRecord {
    const record = this.#decoder.connection(row);
    this.#connections.set(record.id, record);
    return record;
  }

  /** Decodes a function row with its connection, which is read and verified once per call (`connections` caches it). */
  async #decodeFunction(row: SqlRow, connections: Map<string, Promise<ConnectionRecord>>): Promise<FunctionRecord> {
    const connectionId = row['connection_id'];
    if (typeof connectionId !== 'string') throw tamperedRow('function', rowName(row), this.#location, { kind: 'mac' });
    let connection = connections.get(connectionId);
    if (connection === undefined) {
      connection = this.connectionById(connectionId).then((found) => {
        if (found === undefined) throw tamperedRow('function', rowName(row), this.#location, { kind: 'invalid', detail: 'its connection does not exist' });
        return found;
      });
      connections.set(connectionId, connection);
    }
    return this.#decoder.function(row, await connection);
  }

  async #one(sql: string, parameter: string): Promise<SqlRow | undefined> {
    const rows = await this.#sql.all(sql, [parameter]);
    return rows[0];
  }
}

/** Code-unit order, identical on SQLite and on PostgreSQL whatever the database collation. */
export function byName(left: { readonly name: string }, right: { readonly name: string }): number {
  return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
}

/** null for a row that failed its integrity checks (DROP removes it anyway); any other error propagates. */
function untrusted(error: unknown): null {
  if (LakefnError.isInstance(error) && error.code === 'E_STORE_TAMPERED') return null;
  throw error;
}
