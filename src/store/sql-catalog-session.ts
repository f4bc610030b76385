import { LakefnError } from '../errors/index.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import type { ObjectPlacement, Placed } from '../spec/governance-records.ts';
import { AuditLog } from './audit-log.ts';
import { connectionConflict, tamperedRow } from './catalog-errors.ts';
import { connectionRowValues, functionRowValues, type RowDecoder, rowName } from './catalog-rows.ts';
import { CATALOG_STATE_TABLE, CONNECTION_COLUMNS, CONNECTIONS_TABLE, FUNCTION_COLUMNS, FUNCTIONS_TABLE } from './catalog-schema.ts';
import type { CatalogWriteSession, DroppedObject, ObjectScope } from './catalog-store.ts';
import type { GovernanceRowDecoder } from './governance-rows.ts';
import { checkLikePattern, nameMatches } from './like-pattern.ts';
import { SqlGovernanceSession } from './sql-governance-session.ts';
import type { PolicyRowDecoder } from './policy-rows.ts';
import { SqlPolicySession, type PolicyStateCache } from './sql-policy-session.ts';
import type { PackageRowDecoder } from './package-rows.ts';
import { SqlPackageSession } from './sql-package-session.ts';
import { SqlLabelSession } from './sql-label-session.ts';
import type { SqlSession } from './sql-database.ts';
import type { SqlRow } from './sql-value.ts';
import type { StoreKeyring } from './store-keyring.ts';

const INSERT_CONNECTION = `INSERT INTO ${CONNECTIONS_TABLE} (${CONNECTION_COLUMNS.join(', ')}) VALUES (${CONNECTION_COLUMNS.map(() => '?').join(', ')})`;
const UPDATE_CONNECTION = `UPDATE ${CONNECTIONS_TABLE} SET ${CONNECTION_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE id = ? AND version = ?`;
const INSERT_FUNCTION = `INSERT INTO ${FUNCTIONS_TABLE} (${FUNCTION_COLUMNS.join(', ')}) VALUES (${FUNCTION_COLUMNS.map(() => '?').join(', ')})`;

/** What every session of one transaction shares: decoded connections, placements, and whether anything changed. */
export class TransactionState {
  /** Connections this transaction has decoded, by id; forgotten on every write (a function read decodes its connection). */
  readonly connections = new Map<string, Placed<ConnectionRecord>>();
  /** Placements of the objects this transaction has read, by id (an update or a re-bind keeps them). */
  readonly placements = new Map<string, ObjectPlacement>();
  /** Set by every write except audit appends: the store bumps the catalog version once at commit. */
  changed = false;
}

/** Everything a session is built from besides its scope. */
export interface SessionParts {
  readonly sql: SqlSession;
  readonly keyring: StoreKeyring;
  readonly decoder: RowDecoder;
  readonly governanceDecoder: GovernanceRowDecoder;
  readonly policyDecoder: PolicyRowDecoder;
  /** The store's kept policy state (shared by its transactions while the catalog version stands). */
  readonly policyCache: PolicyStateCache;
  readonly packageDecoder: PackageRowDecoder;
  readonly location: string;
  readonly state: TransactionState;
}

/**
 * The typed catalog operations over one SQL transaction. Reads decode and verify every row they return;
 * writes sign every row with the keyring's current key (the store made sure it is the catalog's key).
 * Names resolve in the session's project (`scope`); ids resolve anywhere. Used for reads only when the
 * transaction is read-only (the store hands it out as a CatalogReadSession).
 */
export class SqlCatalogSession implements CatalogWriteSession {
  readonly scope: ObjectScope;
  readonly governance: SqlGovernanceSession;
  readonly policies: SqlPolicySession;
  readonly packages: SqlPackageSession;
  readonly labels: SqlLabelSession;
  readonly audit: AuditLog;
  readonly #parts: SessionParts;

  constructor(parts: SessionParts, scope: ObjectScope) {
    this.#parts = parts;
    this.scope = scope;
    this.governance = new SqlGovernanceSession(parts.sql, parts.keyring, parts.governanceDecoder, parts.state);
    this.policies = new SqlPolicySession(parts.sql, parts.keyring, parts.policyDecoder, parts.state, parts.policyCache);
    this.packages = new SqlPackageSession(parts.sql, parts.keyring, parts.packageDecoder, parts.state);
    this.labels = new SqlLabelSession(parts.sql, parts.keyring, parts.packageDecoder, parts.state);
    this.audit = new AuditLog(parts.sql, parts.keyring, parts.location);
  }

  get #sql(): SqlSession {
    return this.#parts.sql;
  }

  get #state(): TransactionState {
    return this.#parts.state;
  }

  inScope(scope: ObjectScope): SqlCatalogSession {
    return new SqlCatalogSession(this.#parts, scope);
  }

  async catalogVersion(): Promise<number> {
    const [row] = await this.#sql.all(`SELECT version FROM ${CATALOG_STATE_TABLE} WHERE id = 1`);
    return Number(row?.['version'] ?? 0);
  }

  async connection(name: string): Promise<ConnectionRecord | undefined> {
    return (await this.placedConnection(this.scope.projectId, name))?.record;
  }

  async placedConnection(projectId: string, name: string): Promise<Placed<ConnectionRecord> | undefined> {
    const row = await this.#one(`SELECT * FROM ${CONNECTIONS_TABLE} WHERE project_id = ? AND name = ?`, projectId, name);
    return row === undefined ? undefined : this.#decodeConnection(row);
  }

  async connectionById(id: string): Promise<ConnectionRecord | undefined> {
    return (await this.placedConnectionById(id))?.record;
  }

  async placedConnectionById(id: string): Promise<Placed<ConnectionRecord> | undefined> {
    const known = this.#state.connections.get(id);
    if (known !== undefined) return known;
    const row = await this.#one(`SELECT * FROM ${CONNECTIONS_TABLE} WHERE id = ?`, id);
    return row === undefined ? undefined : this.#decodeConnection(row);
  }

  async connections(like?: string | null): Promise<ConnectionRecord[]> {
    return (await this.placedConnections(this.scope.projectId, like)).map((placed) => placed.record);
  }

  async placedConnections(projectId: string | null, like?: string | null): Promise<Placed<ConnectionRecord>[]> {
    if (like !== null && like !== undefined) checkLikePattern(like);
    const rows = projectId === null
      ? await this.#sql.all(`SELECT * FROM ${CONNECTIONS_TABLE}`)
      : await this.#sql.all(`SELECT * FROM ${CONNECTIONS_TABLE} WHERE project_id = ?`, [projectId]);
    // filter before decoding: a tampered row outside the pattern does not break an unrelated SHOW
    return rows.filter((row) => nameMatches(row['name'], like)).map((row) => this.#decodeConnection(row)).sort(byRecordName);
  }

  async function(name: string): Promise<FunctionRecord | undefined> {
    return (await this.placedFunction(this.scope.projectId, name))?.record;
  }

  async placedFunction(projectId: string, name: string): Promise<Placed<FunctionRecord> | undefined> {
    const row = await this.#one(`SELECT * FROM ${FUNCTIONS_TABLE} WHERE project_id = ? AND name = ?`, projectId, name);
    return row === undefined ? undefined : this.#decodeFunction(row, new Map());
  }

  async placedFunctionById(id: string): Promise<Placed<FunctionRecord> | undefined> {
    const row = await this.#one(`SELECT * FROM ${FUNCTIONS_TABLE} WHERE id = ?`, id);
    return row === undefined ? undefined : this.#decodeFunction(row, new Map());
  }

  async functions(like?: string | null): Promise<FunctionRecord[]> {
    return (await this.placedFunctions(this.scope.projectId, like)).map((placed) => placed.record);
  }

  async placedFunctions(projectId: string | null, like?: string | null): Promise<Placed<FunctionRecord>[]> {
    if (like !== null && like !== undefined) checkLikePattern(like);
    const rows = projectId === null
      ? await this.#sql.all(`SELECT * FROM ${FUNCTIONS_TABLE}`)
      : await this.#sql.all(`SELECT * FROM ${FUNCTIONS_TABLE} WHERE project_id = ?`, [projectId]);
    const connections = new Map<string, Promise<ConnectionRecord>>();
    const matching = rows.filter((row) => nameMatches(row['name'], like));
    return (await Promise.all(matching.map((row) => this.#decodeFunction(row, connections)))).sort(byRecordName);
  }

  async functionsUsing(connectionId: string): Promise<FunctionRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${FUNCTIONS_TABLE} WHERE connection_id = ?`, [connectionId]);
    const connections = new Map<string, Promise<ConnectionRecord>>();
    return (await Promise.all(rows.map((row) => this.#decodeFunction(row, connections)))).map((placed) => placed.record).sort(byName);
  }

  /** How many connections and functions a project holds (DROP PROJECT without CASCADE), without decoding them. */
  async objectNamesIn(projectId: string): Promise<{ connections: string[]; functions: string[] }> {
    const names = async (table: string): Promise<string[]> => (await this.#sql.all(`SELECT name FROM ${table} WHERE project_id = ?`, [projectId])).map((row) => String(row['name'])).sort();
    return { connections: await names(CONNECTIONS_TABLE), functions: await names(FUNCTIONS_TABLE) };
  }

  /** Ids and names of the objects a principal owns, across projects, without decoding them (DROP USER / ROLE). */
  async objectsOwnedBy(ownerId: string): Promise<{ kind: 'connection' | 'function'; id: string; name: string; projectId: string }[]> {
    const owned = async (table: string, kind: 'connection' | 'function') =>
      (await this.#sql.all(`SELECT id, name, project_id FROM ${table} WHERE owner_id = ?`, [ownerId])).map((row) => ({
        kind, id: String(row['id']), name: String(row['name']), projectId: String(row['project_id']),
      }));
    return [...(await owned(CONNECTIONS_TABLE, 'connection')), ...(await owned(FUNCTIONS_TABLE, 'function'))];
  }

  /** The placement of an object this transaction has read (undefined when it has not). */
  placementOf(id: string): ObjectPlacement | undefined {
    return this.#state.placements.get(id);
  }

  async insertConnection(record: ConnectionRecord, placement: ObjectPlacement = this.#placementFor(record.id)): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_CONNECTION, connectionRowValues(record, placement, this.#parts.keyring.current()));
    this.#state.placements.set(record.id, placement);
  }

  async updateConnection(current: ConnectionRecord, next: ConnectionRecord, placement?: ObjectPlacement): Promise<void> {
    this.#changed();
    const kept = placement ?? this.#state.placements.get(current.id) ?? (await this.#storedPlacement(CONNECTIONS_TABLE, current.id));
    const values = connectionRowValues({ ...next, id: current.id }, kept, this.#parts.keyring.current());
    const changed = await this.#sql.run(UPDATE_CONNECTION, [...values, current.id, current.version]);
    if (changed === 1) {
      this.#state.placements.set(current.id, kept);
      return;
    }
    const [row] = await this.#sql.all(`SELECT version FROM ${CONNECTIONS_TABLE} WHERE id = ?`, [current.id]);
    throw connectionConflict(current.name, current.version, Number(row?.['version'] ?? Number.NaN));
  }

  async deleteConnection(id: string): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${CONNECTIONS_TABLE} WHERE id = ?`, [id]);
    await this.governance.deleteGrantsOn('connection', id);
  }

  async insertFunction(record: FunctionRecord, placement: ObjectPlacement = this.#placementFor(record.id)): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_FUNCTION, functionRowValues(record, placement, this.#parts.keyring.current()));
    this.#state.placements.set(record.id, placement);
  }

  /** Re-signs a function row with a new owner (GRANT OWNERSHIP); the function must have been read in this transaction. */
  async setFunctionOwner(record: FunctionRecord, ownerId: string): Promise<void> {
    const placement = this.#state.placements.get(record.id) ?? (await this.#storedPlacement(FUNCTIONS_TABLE, record.id));
    await this.deleteFunctionRow(record.id);
    await this.insertFunction(record, { ...placement, ownerId });
  }

  async deleteFunction(id: string): Promise<void> {
    await this.deleteFunctionRow(id);
    await this.governance.deleteGrantsOn('function', id);
    await this.packages.deleteFunction(id);
    await this.labels.deleteFunctionLabel(id);
  }

  /** Deletes the row only, keeping the grants on it (replacing or re-binding a function keeps its id or moves them). */
  async deleteFunctionRow(id: string): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${FUNCTIONS_TABLE} WHERE id = ?`, [id]);
  }

  async connectionForDrop(name: string): Promise<DroppedObject<ConnectionRecord> | undefined> {
    const row = await this.#one(`SELECT * FROM ${CONNECTIONS_TABLE} WHERE project_id = ? AND name = ?`, this.scope.projectId, name);
    if (row === undefined) return undefined;
    let record: ConnectionRecord | null;
    try {
      record = this.#decodeConnection(row).record;
    } catch (error) {
      record = untrusted(error);
    }
    return { id: String(row['id']), name, record };
  }

  async functionForDrop(name: string): Promise<DroppedObject<FunctionRecord> | undefined> {
    const row = await this.#one(`SELECT * FROM ${FUNCTIONS_TABLE} WHERE project_id = ? AND name = ?`, this.scope.projectId, name);
    if (row === undefined) return undefined;
    let record: FunctionRecord | null;
    try {
      record = (await this.#decodeFunction(row, new Map())).record;
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
    this.#changed();
    const rows = await this.#sql.all(`SELECT id FROM ${FUNCTIONS_TABLE} WHERE connection_id = ?`, [connectionId]);
    await this.#sql.run(`DELETE FROM ${FUNCTIONS_TABLE} WHERE connection_id = ?`, [connectionId]);
    for (const row of rows) {
      await this.governance.deleteGrantsOn('function', String(row['id']));
      await this.packages.deleteFunction(String(row['id']));
      await this.labels.deleteFunctionLabel(String(row['id']));
    }
  }

  /**
   * Deletes every object of a project with the grants on them (DROP PROJECT … CASCADE), and the functions of other
   * projects bound to its connections; returns their names (other projects' functions as `<project id>:name`).
   */
  async deleteObjectsIn(projectId: string): Promise<{ connections: string[]; functions: string[] }> {
    this.#changed();
    const connections = await this.#sql.all(`SELECT id, name FROM ${CONNECTIONS_TABLE} WHERE project_id = ?`, [projectId]);
    const functions = await this.#sql.all(
      `SELECT id, name, project_id FROM ${FUNCTIONS_TABLE} WHERE project_id = ? OR connection_id IN (SELECT id FROM ${CONNECTIONS_TABLE} WHERE project_id = ?)`,
      [projectId, projectId],
    );
    for (const row of functions) await this.deleteFunction(String(row['id']));
    for (const row of connections) await this.deleteConnection(String(row['id']));
    return {
      connections: connections.map((row) => String(row['name'])).sort(),
      functions: functions.map((row) => (row['project_id'] === projectId ? String(row['name']) : `${String(row['project_id'])}:${String(row['name'])}`)).sort(),
    };
  }

  #changed(): void {
    this.#state.changed = true;
    this.#state.connections.clear();
  }

  /** A record read in this transaction keeps its placement (re-binding, re-signing); a new one gets the scope's. */
  #placementFor(id: string): ObjectPlacement {
    return this.#state.placements.get(id) ?? { projectId: this.scope.projectId, ownerId: this.scope.ownerId };
  }

  async #storedPlacement(table: string, id: string): Promise<ObjectPlacement> {
    const [row] = await this.#sql.all(`SELECT project_id, owner_id FROM ${table} WHERE id = ?`, [id]);
    if (row === undefined) throw new LakefnError('E_INTERNAL', `object ${id} was updated without being read`);
    return { projectId: String(row['project_id']), ownerId: String(row['owner_id']) };
  }

  #decodeConnection(row: SqlRow): Placed<ConnectionRecord> {
    const placed = this.#parts.decoder.connection(row);
    this.#state.connections.set(placed.record.id, placed);
    this.#state.placements.set(placed.record.id, { projectId: placed.projectId, ownerId: placed.ownerId });
    return placed;
  }

  /** Decodes a function row with its connection, which is read and verified once per call (`connections` caches it). */
  async #decodeFunction(row: SqlRow, connections: Map<string, Promise<ConnectionRecord>>): Promise<Placed<FunctionRecord>> {
    const connectionId = row['connection_id'];
    if (typeof connectionId !== 'string') throw tamperedRow('function', rowName(row), this.#parts.location, { kind: 'mac' });
    let connection = connections.get(connectionId);
    if (connection === undefined) {
      connection = this.placedConnectionById(connectionId).then((found) => {
        if (found === undefined) throw tamperedRow('function', rowName(row), this.#parts.location, { kind: 'invalid', detail: 'its connection does not exist' });
        return found.record;
      });
      connections.set(connectionId, connection);
    }
    const placed = this.#parts.decoder.function(row, await connection);
    this.#state.placements.set(placed.record.id, { projectId: placed.projectId, ownerId: placed.ownerId });
    return placed;
  }

  async #one(sql: string, ...parameters: string[]): Promise<SqlRow | undefined> {
    const rows = await this.#sql.all(sql, parameters);
    return rows[0];
  }
}

/** Code-unit order, identical on SQLite and on PostgreSQL whatever the database collation. */
export function byName(left: { readonly name: string }, right: { readonly name: string }): number {
  return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
}

function byRecordName<T extends { readonly name: string }>(left: Placed<T>, right: Placed<T>): number {
  return byName(left.record, right.record);
}

/** null for a row that failed its integrity checks (DROP removes it anyway); any other error propagates. */
function untrusted(error: unknown): null {
  if (LakefnError.isInstance(error) && error.code === 'E_STORE_TAMPERED') return null;
  throw error;
}
