import type { PackageAllowRecord, PackageGrantRecord, PackageInstallRecord, PackageObjectRecord, PackageRecord } from '../spec/package-records.ts';
import {
  PACKAGE_ALLOWED_COLUMNS, PACKAGE_ALLOWED_TABLE, PACKAGE_COLUMNS, PACKAGE_GRANT_COLUMNS, PACKAGE_GRANTS_TABLE, PACKAGE_INSTALL_COLUMNS, PACKAGE_INSTALLS_TABLE,
  PACKAGE_OBJECT_COLUMNS, PACKAGE_OBJECTS_TABLE, PACKAGES_TABLE,
} from './catalog-schema.ts';
import {
  packageAllowRowValues, packageGrantRowValues, packageInstallRowValues, packageObjectRowValues, packageRowValues, type PackageRowDecoder,
} from './package-rows.ts';
import { readSignedRows, type DamagedRow } from './read-signed-rows.ts';
import type { SqlSession } from './sql-database.ts';
import type { SqlRow } from './sql-value.ts';
import type { StoreKeyring } from './store-keyring.ts';
import type { TransactionState } from './sql-catalog-session.ts';

const insert = (table: string, columns: readonly string[]): string => `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
const INSERT_PACKAGE = insert(PACKAGES_TABLE, PACKAGE_COLUMNS);
const UPDATE_PACKAGE = `UPDATE ${PACKAGES_TABLE} SET ${PACKAGE_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE id = ?`;
const INSERT_OBJECT = insert(PACKAGE_OBJECTS_TABLE, PACKAGE_OBJECT_COLUMNS);
const INSERT_ALLOWED = insert(PACKAGE_ALLOWED_TABLE, PACKAGE_ALLOWED_COLUMNS);
const INSERT_INSTALL = insert(PACKAGE_INSTALLS_TABLE, PACKAGE_INSTALL_COLUMNS);
const INSERT_GRANT = insert(PACKAGE_GRANTS_TABLE, PACKAGE_GRANT_COLUMNS);

/**
 * Reads and writes of the package tables inside one transaction. Reads verify every row; a row that fails is left out
 * (it shares nothing: fail closed) and remembered in `damaged`. Writes sign every row and mark the transaction changed,
 * so the store bumps the catalog version at commit and running calls decide again at their next batch.
 */
export class SqlPackageSession {
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

  // packages

  async package(projectId: string, name: string): Promise<PackageRecord | undefined> {
    return this.#decodeAll(PACKAGES_TABLE, await this.#sql.all(`SELECT * FROM ${PACKAGES_TABLE} WHERE project_id = ? AND name = ?`, [projectId, name]), (row) => this.#decoder.package(row))[0];
  }

  /** The id of a package row by name, without its integrity checks (DROP removes a damaged row too). */
  async packageIdForDrop(projectId: string, name: string): Promise<string | undefined> {
    const [row] = await this.#sql.all(`SELECT id FROM ${PACKAGES_TABLE} WHERE project_id = ? AND name = ?`, [projectId, name]);
    return row === undefined ? undefined : String(row['id']);
  }

  async packageById(id: string): Promise<PackageRecord | undefined> {
    return this.#decodeAll(PACKAGES_TABLE, await this.#sql.all(`SELECT * FROM ${PACKAGES_TABLE} WHERE id = ?`, [id]), (row) => this.#decoder.package(row))[0];
  }

  /** The packages of a project, by name. */
  async packagesIn(projectId: string): Promise<PackageRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGES_TABLE} WHERE project_id = ?`, [projectId]);
    return this.#decodeAll(PACKAGES_TABLE, rows, (row) => this.#decoder.package(row)).sort(byName);
  }

  /** The packages a principal created (DROP USER / ROLE hands them to the project's owner). */
  async packagesOwnedBy(ownerId: string): Promise<PackageRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGES_TABLE} WHERE owner_id = ?`, [ownerId]);
    return this.#decodeAll(PACKAGES_TABLE, rows, (row) => this.#decoder.package(row)).sort(byName);
  }

  async insertPackage(record: PackageRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_PACKAGE, packageRowValues(record, this.#keyring.current()));
  }

  async setPackageOwner(record: PackageRecord, ownerId: string): Promise<void> {
    this.#changed();
    await this.#sql.run(UPDATE_PACKAGE, [...packageRowValues({ ...record, ownerId }, this.#keyring.current()), record.id]);
  }

  /** A package with everything that hangs on it: its objects, permissions, installations and the READ grants on them. */
  async deletePackage(id: string): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${PACKAGE_GRANTS_TABLE} WHERE install_id IN (SELECT id FROM ${PACKAGE_INSTALLS_TABLE} WHERE package_id = ?)`, [id]);
    await this.#sql.run(`DELETE FROM ${PACKAGE_INSTALLS_TABLE} WHERE package_id = ?`, [id]);
    await this.#sql.run(`DELETE FROM ${PACKAGE_ALLOWED_TABLE} WHERE package_id = ?`, [id]);
    await this.#sql.run(`DELETE FROM ${PACKAGE_OBJECTS_TABLE} WHERE package_id = ?`, [id]);
    await this.#sql.run(`DELETE FROM ${PACKAGES_TABLE} WHERE id = ?`, [id]);
  }

  /**
   * Everything of a project about to be dropped: its packages (with what hangs on them), the packages installed in it
   * (with their READ grants) and the permissions naming it. Returns the names of its own packages.
   */
  async deleteProject(projectId: string): Promise<string[]> {
    const own = await this.#sql.all(`SELECT id, name FROM ${PACKAGES_TABLE} WHERE project_id = ?`, [projectId]);
    for (const row of own) await this.deletePackage(String(row['id']));
    this.#changed();
    await this.#sql.run(`DELETE FROM ${PACKAGE_GRANTS_TABLE} WHERE install_id IN (SELECT id FROM ${PACKAGE_INSTALLS_TABLE} WHERE project_id = ?)`, [projectId]);
    await this.#sql.run(`DELETE FROM ${PACKAGE_INSTALLS_TABLE} WHERE project_id = ?`, [projectId]);
    await this.#sql.run(`DELETE FROM ${PACKAGE_ALLOWED_TABLE} WHERE project_id = ?`, [projectId]);
    return own.map((row) => String(row['name'])).sort();
  }

  // objects

  async objectsOf(packageId: string): Promise<PackageObjectRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGE_OBJECTS_TABLE} WHERE package_id = ?`, [packageId]);
    return this.#decodeAll(PACKAGE_OBJECTS_TABLE, rows, (row) => this.#decoder.object(row)).sort(byCreation);
  }

  /** How many objects a package holds, damaged rows included (the limit counts rows, verified or not). */
  async countObjects(packageId: string): Promise<number> {
    return this.#count(`SELECT COUNT(*) AS n FROM ${PACKAGE_OBJECTS_TABLE} WHERE package_id = ?`, [packageId]);
  }

  /** The package objects that share a function, in any package. */
  async objectsSharing(functionId: string): Promise<PackageObjectRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGE_OBJECTS_TABLE} WHERE function_id = ?`, [functionId]);
    return this.#decodeAll(PACKAGE_OBJECTS_TABLE, rows, (row) => this.#decoder.object(row)).sort(byCreation);
  }

  async insertObject(record: PackageObjectRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_OBJECT, packageObjectRowValues(record, this.#keyring.current()));
  }

  /** True when the function was in the package. */
  async deleteObject(packageId: string, functionId: string): Promise<boolean> {
    this.#changed();
    return (await this.#sql.run(`DELETE FROM ${PACKAGE_OBJECTS_TABLE} WHERE package_id = ? AND function_id = ?`, [packageId, functionId])) > 0;
  }

  /** A dropped function leaves every package. */
  async deleteFunction(functionId: string): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${PACKAGE_OBJECTS_TABLE} WHERE function_id = ?`, [functionId]);
  }

  /** A replaced function stays in its packages as its replacement (CREATE OR REPLACE keeps grants, and sharing, alike). */
  async moveFunction(fromId: string, toId: string): Promise<void> {
    const objects = await this.objectsSharing(fromId);
    await this.deleteFunction(fromId);
    for (const object of objects) await this.insertObject({ ...object, functionId: toId });
  }

  // install permissions

  async allowedOf(packageId: string): Promise<PackageAllowRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGE_ALLOWED_TABLE} WHERE package_id = ?`, [packageId]);
    return this.#decodeAll(PACKAGE_ALLOWED_TABLE, rows, (row) => this.#decoder.allow(row)).sort(byCreation);
  }

  async allowed(packageId: string, projectId: string): Promise<PackageAllowRecord | undefined> {
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGE_ALLOWED_TABLE} WHERE package_id = ? AND project_id = ?`, [packageId, projectId]);
    return this.#decodeAll(PACKAGE_ALLOWED_TABLE, rows, (row) => this.#decoder.allow(row))[0];
  }

  /** Inserts or replaces (a new label) the permission of a project. */
  async putAllowed(record: PackageAllowRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${PACKAGE_ALLOWED_TABLE} WHERE package_id = ? AND project_id = ?`, [record.packageId, record.projectId]);
    await this.#sql.run(INSERT_ALLOWED, packageAllowRowValues(record, this.#keyring.current()));
  }

  /** True when the project was allowed. */
  async deleteAllowed(packageId: string, projectId: string): Promise<boolean> {
    this.#changed();
    return (await this.#sql.run(`DELETE FROM ${PACKAGE_ALLOWED_TABLE} WHERE package_id = ? AND project_id = ?`, [packageId, projectId])) > 0;
  }

  // installations

  async installsOf(packageId: string): Promise<PackageInstallRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGE_INSTALLS_TABLE} WHERE package_id = ?`, [packageId]);
    return this.#decodeAll(PACKAGE_INSTALLS_TABLE, rows, (row) => this.#decoder.install(row)).sort(byCreation);
  }

  /** The packages installed in a (consumer) project. */
  async installsIn(projectId: string): Promise<PackageInstallRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGE_INSTALLS_TABLE} WHERE project_id = ?`, [projectId]);
    return this.#decodeAll(PACKAGE_INSTALLS_TABLE, rows, (row) => this.#decoder.install(row)).sort(byCreation);
  }

  async install(packageId: string, projectId: string): Promise<PackageInstallRecord | undefined> {
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGE_INSTALLS_TABLE} WHERE package_id = ? AND project_id = ?`, [packageId, projectId]);
    return this.#decodeAll(PACKAGE_INSTALLS_TABLE, rows, (row) => this.#decoder.install(row))[0];
  }

  /** How many packages of one provider project a consumer project has installed (damaged rows included). */
  async countInstalls(consumerProjectId: string, providerProjectId: string): Promise<number> {
    return this.#count(
      `SELECT COUNT(*) AS n FROM ${PACKAGE_INSTALLS_TABLE} i JOIN ${PACKAGES_TABLE} p ON p.id = i.package_id WHERE i.project_id = ? AND p.project_id = ?`,
      [consumerProjectId, providerProjectId],
    );
  }

  async insertInstall(record: PackageInstallRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_INSTALL, packageInstallRowValues(record, this.#keyring.current()));
  }

  /** An installation with the READ grants on it (damaged rows included). */
  async deleteInstall(id: string): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${PACKAGE_GRANTS_TABLE} WHERE install_id = ?`, [id]);
    await this.#sql.run(`DELETE FROM ${PACKAGE_INSTALLS_TABLE} WHERE id = ?`, [id]);
  }

  // READ grants on installations

  async grantsOn(installId: string): Promise<PackageGrantRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGE_GRANTS_TABLE} WHERE install_id = ?`, [installId]);
    return this.#decodeAll(PACKAGE_GRANTS_TABLE, rows, (row) => this.#decoder.grant(row)).sort(byCreation);
  }

  /** The READ grants held by any of these principals. */
  async grantsTo(granteeIds: readonly string[]): Promise<PackageGrantRecord[]> {
    if (granteeIds.length === 0) return [];
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGE_GRANTS_TABLE} WHERE grantee_id IN (${granteeIds.map(() => '?').join(', ')})`, granteeIds);
    return this.#decodeAll(PACKAGE_GRANTS_TABLE, rows, (row) => this.#decoder.grant(row)).sort(byCreation);
  }

  async installById(id: string): Promise<PackageInstallRecord | undefined> {
    const rows = await this.#sql.all(`SELECT * FROM ${PACKAGE_INSTALLS_TABLE} WHERE id = ?`, [id]);
    return this.#decodeAll(PACKAGE_INSTALLS_TABLE, rows, (row) => this.#decoder.install(row))[0];
  }

  async insertGrant(record: PackageGrantRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_GRANT, packageGrantRowValues(record, this.#keyring.current()));
  }

  /** True when the grant existed. */
  async deleteGrant(installId: string, granteeId: string): Promise<boolean> {
    this.#changed();
    return (await this.#sql.run(`DELETE FROM ${PACKAGE_GRANTS_TABLE} WHERE install_id = ? AND grantee_id = ?`, [installId, granteeId])) > 0;
  }

  /** Every READ grant a principal holds (DROP USER / ROLE). */
  async deleteGrantsTo(granteeId: string): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${PACKAGE_GRANTS_TABLE} WHERE grantee_id = ?`, [granteeId]);
  }

  async #count(query: string, parameters: readonly string[]): Promise<number> {
    const [row] = await this.#sql.all(query, parameters);
    return Number(row?.['n'] ?? 0);
  }

  #decodeAll<T>(table: string, rows: readonly SqlRow[], decode: (row: SqlRow) => T): T[] {
    return readSignedRows(table, rows, decode, this.damaged);
  }

  #changed(): void {
    this.#state.changed = true;
  }
}

function byName(left: { readonly name: string }, right: { readonly name: string }): number {
  return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
}

function byCreation(left: { readonly createdAt: string }, right: { readonly createdAt: string }): number {
  return left.createdAt < right.createdAt ? -1 : left.createdAt > right.createdAt ? 1 : 0;
}
