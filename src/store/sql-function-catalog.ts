import type { FunctionRecord } from '../spec/function-record.ts';
import type { CreateOptions, CreateResult, DropFunctionOptions, DropResult, FunctionCatalog } from './catalog-store.ts';
import { existsNotice, functionExists, missingNotice, noSuchConnection, noSuchFunction } from './catalog-errors.ts';
import { functionFromRow, functionRowValues, type SqlRow } from './catalog-rows.ts';
import { CONNECTIONS_TABLE, FUNCTION_COLUMNS, FUNCTIONS_TABLE } from './catalog-schema.ts';
import { checkLikePattern, nameMatches } from './like-pattern.ts';
import type { SqlDatabase, SqlSession } from './sql-database.ts';
import { byName } from './sql-connection-catalog.ts';

const SELECT_BY_NAME = `SELECT * FROM ${FUNCTIONS_TABLE} WHERE name = ?`;
const INSERT = `INSERT INTO ${FUNCTIONS_TABLE} (${FUNCTION_COLUMNS.join(', ')}) VALUES (${FUNCTION_COLUMNS.map(() => '?').join(', ')})`;
const UPDATE = `UPDATE ${FUNCTIONS_TABLE} SET ${FUNCTION_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE name = ?`;

/** FunctionCatalog over any SqlDatabase; every method is one transaction. */
export class SqlFunctionCatalog implements FunctionCatalog {
  readonly #database: SqlDatabase;

  constructor(database: SqlDatabase) {
    this.#database = database;
  }

  async get(name: string): Promise<FunctionRecord | undefined> {
    return this.#database.transaction('read', async (session) => {
      const row = await selectByName(session, name);
      return row === undefined ? undefined : this.#decode(row);
    });
  }

  async list(like?: string | null): Promise<FunctionRecord[]> {
    if (like !== null && like !== undefined) checkLikePattern(like);
    const rows = await this.#database.transaction('read', (session) => session.all(`SELECT * FROM ${FUNCTIONS_TABLE}`));
    return rows
      .filter((row) => nameMatches(row['name'], like))
      .map((row) => this.#decode(row))
      .sort(byName);
  }

  async create(record: FunctionRecord, options: CreateOptions = {}): Promise<CreateResult<FunctionRecord>> {
    return this.#database.transaction('write', async (session) => {
      const connection = await session.all(`SELECT name FROM ${CONNECTIONS_TABLE} WHERE name = ?`, [record.connectionName]);
      if (connection.length === 0) throw noSuchConnection(record.connectionName);
      const existingRow = await selectByName(session, record.name);
      if (existingRow === undefined) {
        await session.run(INSERT, functionRowValues(record));
        return { record, outcome: 'created', previous: null, notice: null };
      }
      const existing = this.#decode(existingRow);
      if (options.ifNotExists === true) return { record: existing, outcome: 'existed', previous: null, notice: existsNotice('function', record.name) };
      if (options.orReplace !== true) throw functionExists(record.name);
      await session.run(UPDATE, [...functionRowValues(record), record.name]);
      return { record, outcome: 'replaced', previous: existing, notice: null };
    });
  }

  async drop(name: string, options: DropFunctionOptions = {}): Promise<DropResult<FunctionRecord>> {
    return this.#database.transaction('write', async (session) => {
      const row = await selectByName(session, name);
      if (row === undefined) {
        if (options.ifExists === true) return { dropped: null, droppedFunctions: [], notice: missingNotice('function', name) };
        throw noSuchFunction(name);
      }
      await session.run(`DELETE FROM ${FUNCTIONS_TABLE} WHERE name = ?`, [name]);
      return { dropped: this.#decode(row), droppedFunctions: [], notice: null };
    });
  }

  #decode(row: SqlRow): FunctionRecord {
    return functionFromRow(row, this.#database.location);
  }
}

async function selectByName(session: SqlSession, name: string): Promise<SqlRow | undefined> {
  const rows = await session.all(SELECT_BY_NAME, [name]);
  return rows[0];
}
