import type { BoundaryRecord, BoundaryTargetKind, PolicyAttachmentRecord, PolicyRecord, ProjectSettingRecord } from '../spec/policy-records.ts';
import {
  BOUNDARIES_TABLE, BOUNDARY_COLUMNS, CATALOG_STATE_TABLE, POLICIES_TABLE, POLICY_ATTACHMENT_COLUMNS, POLICY_ATTACHMENTS_TABLE, POLICY_COLUMNS,
  PROJECT_SETTING_COLUMNS, PROJECT_SETTINGS_TABLE,
} from './catalog-schema.ts';
import { boundaryRowValues, policyAttachmentRowValues, policyRowValues, projectSettingRowValues, type PolicyRowDecoder } from './policy-rows.ts';
import { readSignedRows, type DamagedRow } from './read-signed-rows.ts';
import type { SqlSession } from './sql-database.ts';
import type { StoreKeyring } from './store-keyring.ts';
import type { TransactionState } from './sql-catalog-session.ts';

const insert = (table: string, columns: readonly string[]): string => `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
const INSERT_POLICY = insert(POLICIES_TABLE, POLICY_COLUMNS);
const UPDATE_POLICY = `UPDATE ${POLICIES_TABLE} SET ${POLICY_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE id = ?`;
const INSERT_ATTACHMENT = insert(POLICY_ATTACHMENTS_TABLE, POLICY_ATTACHMENT_COLUMNS);
const INSERT_BOUNDARY = insert(BOUNDARIES_TABLE, BOUNDARY_COLUMNS);
const INSERT_PROJECT_SETTING = insert(PROJECT_SETTINGS_TABLE, PROJECT_SETTING_COLUMNS);

/**
 * Every verified policy, attachment, boundary and project setting of one catalog version: what a decision needs
 * besides principals and grants. Damaged rows are left out (an attachment or boundary that fails its check applies
 * nothing) and listed in `damaged` for the SHOW statements.
 */
export interface PolicyState {
  readonly version: number;
  readonly policies: readonly PolicyRecord[];
  readonly attachments: readonly PolicyAttachmentRecord[];
  readonly boundaries: readonly BoundaryRecord[];
  readonly settings: readonly ProjectSettingRecord[];
  readonly damaged: readonly DamagedRow[];
}

/**
 * The last PolicyState a store read, kept while the catalog version stands (every change moves it). The version only
 * grows: one below the highest seen means it was rewound outside lakefn, and the kept state is dropped.
 */
export class PolicyStateCache {
  #state: PolicyState | undefined;
  #highestVersion = 0;

  get(version: number): PolicyState | undefined {
    if (version < this.#highestVersion) this.#state = undefined;
    this.#highestVersion = Math.max(this.#highestVersion, version);
    return this.#state?.version === version ? this.#state : undefined;
  }

  put(state: PolicyState): void {
    if (state.version >= this.#highestVersion) this.#state = state;
  }
}

/**
 * Reads and writes of Governance II's tables inside one transaction. Reads verify every row (a failing row is left out
 * and listed as damaged); writes sign every row and mark the transaction changed (the store bumps the version).
 */
export class SqlPolicySession {
  readonly #sql: SqlSession;
  readonly #keyring: StoreKeyring;
  readonly #decoder: PolicyRowDecoder;
  readonly #state: TransactionState;
  readonly #cache: PolicyStateCache;

  constructor(sql: SqlSession, keyring: StoreKeyring, decoder: PolicyRowDecoder, state: TransactionState, cache: PolicyStateCache) {
    this.#sql = sql;
    this.#keyring = keyring;
    this.#decoder = decoder;
    this.#state = state;
    this.#cache = cache;
  }

  /**
   * The whole state as of this transaction: one version read when it is the kept one, else every row read and
   * verified (and kept, unless this transaction has changed something not yet committed).
   */
  async state(): Promise<PolicyState> {
    const [row] = await this.#sql.all(`SELECT version FROM ${CATALOG_STATE_TABLE} WHERE id = 1`);
    const version = Number(row?.['version'] ?? 0);
    if (!this.#state.changed) {
      const kept = this.#cache.get(version);
      if (kept !== undefined) return kept;
    }
    const damaged: DamagedRow[] = [];
    const state: PolicyState = {
      version,
      policies: readSignedRows(POLICIES_TABLE, await this.#sql.all(`SELECT * FROM ${POLICIES_TABLE}`), (one) => this.#decoder.policy(one), damaged).sort(byName),
      attachments: readSignedRows(POLICY_ATTACHMENTS_TABLE, await this.#sql.all(`SELECT * FROM ${POLICY_ATTACHMENTS_TABLE}`), (one) => this.#decoder.attachment(one), damaged),
      boundaries: readSignedRows(BOUNDARIES_TABLE, await this.#sql.all(`SELECT * FROM ${BOUNDARIES_TABLE}`), (one) => this.#decoder.boundary(one), damaged),
      settings: readSignedRows(PROJECT_SETTINGS_TABLE, await this.#sql.all(`SELECT * FROM ${PROJECT_SETTINGS_TABLE}`), (one) => this.#decoder.projectSetting(one), damaged),
      damaged,
    };
    if (!this.#state.changed) this.#cache.put(state);
    return state;
  }

  // policies

  async insertPolicy(record: PolicyRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_POLICY, policyRowValues(record, this.#keyring.current()));
  }

  /** CREATE OR REPLACE: the row keeps its id (attachments and boundaries name the policy). */
  async replacePolicy(record: PolicyRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(UPDATE_POLICY, [...policyRowValues(record, this.#keyring.current()), record.id]);
  }

  /** Deletes a policy row by name, damaged or not; true when a row was deleted. */
  async deletePolicy(name: string): Promise<boolean> {
    this.#changed();
    return (await this.#sql.run(`DELETE FROM ${POLICIES_TABLE} WHERE name = ?`, [name])) > 0;
  }

  /** Whether a row of that name exists, damaged or not (CREATE must not take the name of a damaged row). */
  async policyRowExists(name: string): Promise<boolean> {
    return (await this.#sql.all(`SELECT id FROM ${POLICIES_TABLE} WHERE name = ?`, [name])).length > 0;
  }

  // attachments

  async insertAttachment(record: PolicyAttachmentRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(INSERT_ATTACHMENT, policyAttachmentRowValues(record, this.#keyring.current()));
  }

  /** True when an attachment row (damaged or not) was deleted. */
  async deleteAttachment(policyName: string, principalId: string): Promise<boolean> {
    this.#changed();
    return (await this.#sql.run(`DELETE FROM ${POLICY_ATTACHMENTS_TABLE} WHERE policy_name = ? AND principal_id = ?`, [policyName, principalId])) > 0;
  }

  /** Rows naming a policy, damaged ones included (DROP POLICY refuses while any exists). */
  async attachmentRowCount(policyName: string): Promise<number> {
    return (await this.#sql.all(`SELECT id FROM ${POLICY_ATTACHMENTS_TABLE} WHERE policy_name = ?`, [policyName])).length;
  }

  async deleteAttachmentsOf(policyName: string): Promise<number> {
    this.#changed();
    return this.#sql.run(`DELETE FROM ${POLICY_ATTACHMENTS_TABLE} WHERE policy_name = ?`, [policyName]);
  }

  // boundaries

  /** Sets the one boundary of a target (replacing the one it had). */
  async setBoundary(record: BoundaryRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${BOUNDARIES_TABLE} WHERE target_kind = ? AND target_id = ?`, [record.targetKind, record.targetId]);
    await this.#sql.run(INSERT_BOUNDARY, boundaryRowValues(record, this.#keyring.current()));
  }

  /** True when a boundary row (damaged or not) was deleted. */
  async unsetBoundary(targetKind: BoundaryTargetKind, targetId: string): Promise<boolean> {
    this.#changed();
    return (await this.#sql.run(`DELETE FROM ${BOUNDARIES_TABLE} WHERE target_kind = ? AND target_id = ?`, [targetKind, targetId])) > 0;
  }

  async boundaryRowCount(policyName: string): Promise<number> {
    return (await this.#sql.all(`SELECT id FROM ${BOUNDARIES_TABLE} WHERE policy_name = ?`, [policyName])).length;
  }

  async deleteBoundariesUsing(policyName: string): Promise<number> {
    this.#changed();
    return this.#sql.run(`DELETE FROM ${BOUNDARIES_TABLE} WHERE policy_name = ?`, [policyName]);
  }

  // project settings

  async setProjectSetting(record: ProjectSettingRecord): Promise<void> {
    this.#changed();
    await this.#sql.run(`DELETE FROM ${PROJECT_SETTINGS_TABLE} WHERE project_id = ?`, [record.projectId]);
    await this.#sql.run(INSERT_PROJECT_SETTING, projectSettingRowValues(record, this.#keyring.current()));
  }

  #changed(): void {
    this.#state.changed = true;
  }
}

function byName(left: PolicyRecord, right: PolicyRecord): number {
  return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
}
