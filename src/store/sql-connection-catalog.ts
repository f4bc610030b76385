import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { ConnectionCatalog, ConnectionChanges, CreateOptions, CreateResult, DropConnectionOptions, DropResult } from './catalog-store.ts';
import {
  connectionConflict, connectionExists, connectionInUse, existsNotice, missingNotice, noSuchConnection,
} from './catalog-errors.ts';
import { connectionFromRow, connectionRowValues, type SqlRow } from './catalog-rows.ts';
import { CONNECTION_COLUMNS, CONNECTIONS_TABLE, FUNCTIONS_TABLE } from './catalog-schema.ts';
import { checkLikePattern, nameMatches } from './like-pattern.ts';
import type { SqlDatabase, SqlSession } from './sql-database.ts';

const SELECT_BY_NAME = `SELECT * FROM ${CONNECTIONS_TABLE} WHERE name = ?`;
const INSERT = `INSERT INTO ${CONNECTIONS_TABLE} (${CONNECTION_COLUMNS.join(', ')}) VALUES (${CONNECTION_COLUMNS.map(() => '?').join(', ')})`;
const UPDATE = `UPDATE ${CONNECTIONS_TABLE} SET ${CONNECTION_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE name = ? AND version = ?`;

/** ConnectionCatalog over any SqlDatabase; every method is one transaction. */
export class SqlConnectionCatalog implements ConnectionCatalog {
  readonly #database: SqlDatabase;
  readonly #key: () => Buffer;

  constructor(database: SqlDatabase, key: () => Buffer) {
    this.#database = database;
    this.#key = key;
  }

  async get(name: string): Promise<ConnectionRecord | undefined> {
    return this.#database.transaction('read', async (session) => {
      const row = await selectByName(session, name);
      return row === undefined ? undefined : this.#decode(row);
    });
  }

  async list(like?: string | null): Promise<ConnectionRecord[]> {
    if (like !== null && like !== undefined) checkLikePattern(like);
    const rows = await this.#database.transaction('read', (session) => session.all(`SELECT * FROM ${CONNECTIONS_TABLE}`));
    // filter before decoding: a tampered row outside the pattern does not break an unrelated SHOW
    return rows
      .filter((row) => nameMatches(row['name'], like))
      .map((row) => this.#decode(row))
      .sort(byName);
  }

  async create(record: ConnectionRecord, options: CreateOptions = {}): Promise<CreateResult<ConnectionRecord>> {
    return this.#database.transaction('write', async (session) => {
      const existingRow = await selectByName(session, record.name);
      if (existingRow === undefined) {
        await session.run(INSERT, connectionRowValues(record, this.#key()));
        return { record, outcome: 'created', previous: null, notice: null };
      }
      const existing = this.#decode(existingRow);
      if (options.ifNotExists === true) return { record: existing, outcome: 'existed', previous: null, notice: existsNotice('connection', record.name) };
      if (options.orReplace !== true) throw connectionExists(record.name);
      // versions keep counting up across a replace, so an update aimed at the old object fails
      const replacement: ConnectionRecord = { ...record, version: existing.version + 1 };
      await session.run(UPDATE, [...connectionRowValues(replacement, this.#key()), record.name, existing.version]);
      return { record: replacement, outcome: 'replaced', previous: existing, notice: null };
    });
  }

  async update(name: string, expectedVersion: number, changes: ConnectionChanges): Promise<ConnectionRecord> {
    return this.#database.transaction('write', async (session) => {
      const row = await selectByName(session, name);
      if (row === undefined) throw noSuchConnection(name);
      const current = this.#decode(row);
      if (current.version !== expectedVersion) throw connectionConflict(name, expectedVersion, current.version);
      const updated: ConnectionRecord = { ...current, ...changes, version: current.version + 1, updatedAt: new Date().toISOString() };
      const changed = await session.run(UPDATE, [...connectionRowValues(updated, this.#key()), name, expectedVersion]);
      if (changed !== 1) throw connectionConflict(name, expectedVersion, current.version);
      return updated;
    });
  }

  async drop(name: string, options: DropConnectionOptions = {}): Promise<DropResult<ConnectionRecord>> {
    return this.#database.transaction('write', async (session) => {
      const row = await selectByName(session, name);
      if (row === undefined) {
        if (options.ifExists === true) return { dropped: null, droppedFunctions: [], notice: missingNotice('connection', name) };
        throw noSuchConnection(name);
      }
      // no MAC check here: dropping is how an admin gets rid of a row that failed it
      const dropped = connectionFromRow(row, this.#key(), this.#database.location, { verify: false });
      const users = await session.all(`SELECT name FROM ${FUNCTIONS_TABLE} WHERE connection_name = ?`, [name]);
      const functionNames = users.map((user) => String(user['name'])).sort();
      if (functionNames.length > 0 && options.cascade !== true) throw connectionInUse(name, functionNames);
      if (functionNames.length > 0) await session.run(`DELETE FROM ${FUNCTIONS_TABLE} WHERE connection_name = ?`, [name]);
      await session.run(`DELETE FROM ${CONNECTIONS_TABLE} WHERE name = ?`, [name]);
      return { dropped, droppedFunctions: functionNames, notice: null };
    });
  }

  #decode(row: SqlRow): ConnectionRecord {
    return connectionFromRow(row, this.#key(), this.#database.location);
  }
}

async function selectByName(session: SqlSession, name: string): Promise<SqlRow | undefined> {
  const rows = await session.all(SELECT_BY_NAME, [name]);
  return rows[0];
}

/** Code-unit order, identical on SQLite and on PostgreSQL whatever the database collation. */
export function byName(left: { readonly name: string }, right: { readonly name: string }): number {
  return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
}
