import type { ApiTokenRecord, GrantObjectKind, GrantRecord, OidcSubjectRecord, PrincipalKind, PrincipalRecord, ProjectRecord, RoleGrantRecord } from '../spec/governance-records.ts';
import {
  API_TOKEN_COLUMNS, API_TOKENS_TABLE, BOUNDARIES_TABLE, GRANT_COLUMNS, GRANTS_TABLE, OIDC_SUBJECT_COLUMNS, OIDC_SUBJECTS_TABLE, POLICY_ATTACHMENTS_TABLE,
  PRINCIPAL_COLUMNS, PRINCIPALS_TABLE, PROJECT_COLUMNS, PROJECT_SETTINGS_TABLE, PROJECTS_TABLE, ROLE_GRANT_COLUMNS, ROLE_GRANTS_TABLE,
} from './catalog-schema.ts';
import {
  apiTokenRowValues, grantRowValues, oidcSubjectRowValues, principalRowValues, projectRowValues, roleGrantRowValues, type GovernanceRowDecoder,
} from './governance-rows.ts';
import { readSignedRows, type DamagedRow } from './read-signed-rows.ts';
import type { SqlSession } from './sql-database.ts';
import type { SqlRow } from './sql-value.ts';
import type { StoreKeyring } from './store-keyring.ts';
import type { TransactionState } from './sql-catalog-session.ts';

const insert = (table: string, columns: readonly string[]): string => `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
const INSERT_PRINCIPAL = insert(PRINCIPALS_TABLE, PRINCIPAL_COLUMNS);
const INSERT_PROJECT = insert(PROJECTS_TABLE, PROJECT_COLUMNS);
const UPDATE_PROJECT = `UPDATE ${PROJECTS_TABLE} SET ${PROJECT_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE id = ?`;
const INSERT_ROLE_GRANT = insert(ROLE_GRANTS_TABLE, ROLE_GRANT_COLUMNS);
const INSERT_GRANT = insert(GRANTS_TABLE, GRANT_COLUMNS);
const INSERT_API_TOKEN = insert(API_TOKENS_TABLE, API_TOKEN_COLUMNS);
const UPDATE_API_TOKEN = `UPDATE ${API_TOKENS_TABLE} SET ${API_TOKEN_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE id = ?`;
const INSERT_OIDC_SUBJECT = insert(OIDC_SUBJECTS_TABLE, OIDC_SUBJECT_COLUMNS);

/**
 * Reads and writes of the governance tables inside one transaction. Reads verify every row; a row that fails is
 * left out (it grants nothing, fail closed) and remembered in `damaged`, so SHOW statements can report it. Writes
 * sign every row and mark the transaction changed (the store bumps the catalog version at commit).
 */
export class SqlGovernanceSession {
  readonly #sql: SqlSession;
  readonly #keyring: StoreKeyring;
  readonly #decoder: GovernanceRowDecoder;
  readonly #state: TransactionState;
  readonly damaged: DamagedRow[] = [];

  constructor(sql: SqlSession, keyring: StoreKeyring, decoder: GovernanceRowDecoder, state: TransactionState) {
    this.#sql = sql;
    this.#keyring = keyring;
    this.#decoder = decoder;
    this.#state = state;
  }

  // principals

  async principals(kind?: PrincipalKind): Promise<PrincipalRecord[]> {
    const rows = kind === undefined
      ? await this.#sql.all(`SELECT * FROM ${PRINCIPALS_TABLE}`)
      : await this.#sql.all(`SELECT * FROM ${PRINCIPALS_TABLE} WHERE kind = ?`, [kind]);
    return this.#decodeAll(PRINCIPALS_TABLE, rows, (row) => this.#decoder.principal(row)).sort(byName);
  }

  async principal(kind: PrincipalKind, name: string): Promise<PrincipalRecord | undefined> {
    const rows = await this.#sql.all(`SELECT * FROM ${PRINCIPALS_TABLE} WHERE kind = ? AND name = ?`, [kind, name]);
    return this.#decodeAll(PRINCIPALS_TABLE, rows, (row) => this.#decoder.principal(row))[0];
  }

  async principalById(id: string): Promise<PrincipalRecord | undefined> {
    const rows = await this.#sql.all(`SELECT * FROM ${PRINCIPALS_TABLE} WHERE id = ?`, [id]);
    return this.#decodeAll(PRINCIPALS_TABLE, rows, (row) => this.#decoder.principal(row))[0];
  }

  async insertPrincipal(record: PrincipalRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_PRINCIPAL, principalRowValues(record, this.#keyring.current()));
  }

  /**
   * Deletes a principal with its memberships (both ways), the grants it holds, the policies attached to it and its
   * boundary; grants it made are the caller's concern.
   */
  async deletePrincipal(id: string): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${POLICY_ATTACHMENTS_TABLE} WHERE principal_id = ?`, [id]);
    await this.#sql.run(`DELETE FROM ${BOUNDARIES_TABLE} WHERE target_kind IN ('user', 'role') AND target_id = ?`, [id]);
    await this.#sql.run(`DELETE FROM ${ROLE_GRANTS_TABLE} WHERE role_id = ? OR member_id = ?`, [id, id]);
    await this.#sql.run(`DELETE FROM ${API_TOKENS_TABLE} WHERE user_id = ?`, [id]);
    await this.#sql.run(`DELETE FROM ${OIDC_SUBJECTS_TABLE} WHERE user_id = ?`, [id]);
    await this.#sql.run(`DELETE FROM ${GRANTS_TABLE} WHERE grantee_id = ?`, [id]);
    await this.#sql.run(`DELETE FROM ${PRINCIPALS_TABLE} WHERE id = ?`, [id]);
  }

  // projects

  async projects(): Promise<ProjectRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${PROJECTS_TABLE}`);
    return this.#decodeAll(PROJECTS_TABLE, rows, (row) => this.#decoder.project(row)).sort(byName);
  }

  async project(name: string): Promise<ProjectRecord | undefined> {
    const rows = await this.#sql.all(`SELECT * FROM ${PROJECTS_TABLE} WHERE name = ?`, [name]);
    return this.#decodeAll(PROJECTS_TABLE, rows, (row) => this.#decoder.project(row))[0];
  }

  async projectById(id: string): Promise<ProjectRecord | undefined> {
    const rows = await this.#sql.all(`SELECT * FROM ${PROJECTS_TABLE} WHERE id = ?`, [id]);
    return this.#decodeAll(PROJECTS_TABLE, rows, (row) => this.#decoder.project(row))[0];
  }

  async insertProject(record: ProjectRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_PROJECT, projectRowValues(record, this.#keyring.current()));
  }

  /** Re-signs a project with a new owner (in place: its objects reference it). */
  async setProjectOwner(record: ProjectRecord, ownerId: string): Promise<void> {
    this.#changed();
    await this.#sql.run(UPDATE_PROJECT, [...projectRowValues({ ...record, ownerId }, this.#keyring.current()), record.id]);
  }

  /** The project row, the grants on it, its boundary and its settings; its objects must be gone first. */
  async deleteProject(id: string): Promise<void> {
    this.#changed();
    await this.deleteGrantsOn('project', id);
    await this.#sql.run(`DELETE FROM ${BOUNDARIES_TABLE} WHERE target_kind = 'project' AND target_id = ?`, [id]);
    await this.#sql.run(`DELETE FROM ${PROJECT_SETTINGS_TABLE} WHERE project_id = ?`, [id]);
    await this.#sql.run(`DELETE FROM ${PROJECTS_TABLE} WHERE id = ?`, [id]);
  }

  // role memberships

  async roleGrants(): Promise<RoleGrantRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${ROLE_GRANTS_TABLE}`);
    return this.#decodeAll(ROLE_GRANTS_TABLE, rows, (row) => this.#decoder.roleGrant(row));
  }

  async insertRoleGrant(record: RoleGrantRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_ROLE_GRANT, roleGrantRowValues(record, this.#keyring.current()));
  }

  /** True when a membership row was deleted. */
  async deleteRoleGrant(roleId: string, memberId: string): Promise<boolean> {
    this.#changed();
    return (await this.#sql.run(`DELETE FROM ${ROLE_GRANTS_TABLE} WHERE role_id = ? AND member_id = ?`, [roleId, memberId])) > 0;
  }

  // object grants

  async grantsOn(kind: GrantObjectKind, objectId: string): Promise<GrantRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${GRANTS_TABLE} WHERE object_kind = ? AND object_id = ?`, [kind, objectId]);
    return this.#decodeAll(GRANTS_TABLE, rows, (row) => this.#decoder.grant(row)).sort(byCreation);
  }

  /** The grants held by any of these principals. */
  async grantsTo(granteeIds: readonly string[]): Promise<GrantRecord[]> {
    if (granteeIds.length === 0) return [];
    const rows = await this.#sql.all(`SELECT * FROM ${GRANTS_TABLE} WHERE grantee_id IN (${granteeIds.map(() => '?').join(', ')})`, granteeIds);
    return this.#decodeAll(GRANTS_TABLE, rows, (row) => this.#decoder.grant(row)).sort(byCreation);
  }

  /** The grants a principal made on its own authority (grantor), on any object. */
  async grantsBy(grantorId: string): Promise<GrantRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${GRANTS_TABLE} WHERE grantor_id = ?`, [grantorId]);
    return this.#decodeAll(GRANTS_TABLE, rows, (row) => this.#decoder.grant(row)).sort(byCreation);
  }

  async insertGrant(record: GrantRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_GRANT, grantRowValues(record, this.#keyring.current()));
  }

  async deleteGrant(id: string): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${GRANTS_TABLE} WHERE id = ?`, [id]);
  }

  /** Every grant on an object, damaged rows included (DROP of the object). */
  async deleteGrantsOn(kind: GrantObjectKind, objectId: string): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${GRANTS_TABLE} WHERE object_kind = ? AND object_id = ?`, [kind, objectId]);
  }

  /** Re-points the grants of a replaced object at its replacement (CREATE OR REPLACE keeps the grants). */
  async moveGrants(kind: GrantObjectKind, fromId: string, toId: string): Promise<void> {
    const grants = await this.grantsOn(kind, fromId);
    await this.deleteGrantsOn(kind, fromId);
    for (const grant of grants) await this.insertGrant({ ...grant, objectId: toId });
  }

  /** Re-signs a grant with another grantor (ownership transfer: the new owner's authority carries the owner's grants). */
  async setGrantor(grant: GrantRecord, grantorId: string): Promise<void> {
    await this.deleteGrant(grant.id);
    await this.insertGrant({ ...grant, grantorId });
  }

  // API tokens and OIDC subjects (authentication on serve)

  /** The tokens of one user, or of every user; oldest first. */
  async apiTokens(userId?: string): Promise<ApiTokenRecord[]> {
    const rows = userId === undefined
      ? await this.#sql.all(`SELECT * FROM ${API_TOKENS_TABLE}`)
      : await this.#sql.all(`SELECT * FROM ${API_TOKENS_TABLE} WHERE user_id = ?`, [userId]);
    return this.#decodeAll(API_TOKENS_TABLE, rows, (row) => this.#decoder.apiToken(row)).sort((left, right) => compare(left.createdAt, right.createdAt) || compare(left.id, right.id));
  }

  /**
   * The token whose SHA-256 is `tokenHash`, verified. A row that fails its check is E_STORE_TAMPERED (thrown: a request
   * presenting that token must fail, and say so in the log, rather than pass as unknown).
   */
  async apiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const [row] = await this.#sql.all(`SELECT * FROM ${API_TOKENS_TABLE} WHERE token_hash = ?`, [tokenHash]);
    return row === undefined ? undefined : this.#decoder.apiToken(row);
  }

  async insertApiToken(record: ApiTokenRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_API_TOKEN, apiTokenRowValues(record, this.#keyring.current()));
  }

  /**
   * Re-signs a token with its new last-used time. Not a catalog change (no authorization decision depends on it), so the
   * version counter does not move and running calls are not re-decided.
   */
  async touchApiToken(record: ApiTokenRecord, lastUsedAt: string): Promise<void> {
    await this.#sql.run(UPDATE_API_TOKEN, [...apiTokenRowValues({ ...record, lastUsedAt }, this.#keyring.current()), record.id]);
  }

  /** True when the token existed (for that user). */
  async deleteApiToken(id: string, userId: string): Promise<boolean> {
    this.#changed();
    return (await this.#sql.run(`DELETE FROM ${API_TOKENS_TABLE} WHERE id = ? AND user_id = ?`, [id, userId])) > 0;
  }

  async oidcSubjects(): Promise<OidcSubjectRecord[]> {
    const rows = await this.#sql.all(`SELECT * FROM ${OIDC_SUBJECTS_TABLE}`);
    return this.#decodeAll(OIDC_SUBJECTS_TABLE, rows, (row) => this.#decoder.oidcSubject(row));
  }

  /** The binding of `issuer|sub`, verified (a damaged row throws E_STORE_TAMPERED: it authenticates no one). */
  async oidcSubject(subject: string): Promise<OidcSubjectRecord | undefined> {
    const [row] = await this.#sql.all(`SELECT * FROM ${OIDC_SUBJECTS_TABLE} WHERE subject = ?`, [subject]);
    return row === undefined ? undefined : this.#decoder.oidcSubject(row);
  }

  /** Binds a user to a subject (replacing its previous one), or unbinds it (`subject` null). */
  async setOidcSubject(userId: string, subject: string | null): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${OIDC_SUBJECTS_TABLE} WHERE user_id = ?`, [userId]);
    if (subject !== null) await this.#sql.run(INSERT_OIDC_SUBJECT, oidcSubjectRowValues({ userId, subject, createdAt: new Date().toISOString() }, this.#keyring.current()));
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

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function byCreation(left: GrantRecord, right: GrantRecord): number {
  return left.createdAt < right.createdAt ? -1 : left.createdAt > right.createdAt ? 1 : left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
}
