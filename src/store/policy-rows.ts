import { isManagedPolicyName, validatePolicyDocument } from '../governance/policy/index.ts';
import { BOUNDARY_TARGET_KINDS, type BoundaryRecord, type BoundaryTargetKind, type PolicyAttachmentRecord, type PolicyRecord, type ProjectSettingRecord } from '../spec/policy-records.ts';
import { checked, integer, invalid, optionalText, signedValues, text, verifyRow } from './catalog-rows.ts';
import { BOUNDARY_COLUMNS, POLICY_ATTACHMENT_COLUMNS, POLICY_COLUMNS, PROJECT_SETTING_COLUMNS } from './catalog-schema.ts';
import { checkIdentifier, timestamp, uuid } from './governance-rows.ts';
import type { SqlRow, SqlValue } from './sql-value.ts';
import type { StoreKey, StoreKeyring } from './store-keyring.ts';

/**
 * Signed values and verified decoding of Governance II's rows. Like every catalog row, nothing is used before its MAC
 * verifies and its values pass the rules CREATE applies: a policy's document is validated again (the same zod rules
 * as CREATE POLICY), a name must read back as itself, a managed policy name is never stored.
 */

export function policyRowValues(record: PolicyRecord, key: StoreKey): SqlValue[] {
  return signedValues('policy', POLICY_COLUMNS, {
    id: record.id,
    name: record.name,
    document: record.document,
    comment: record.comment,
    owner_id: record.ownerId,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  }, key);
}

export function policyAttachmentRowValues(record: PolicyAttachmentRecord, key: StoreKey): SqlValue[] {
  return signedValues('policy-attachment', POLICY_ATTACHMENT_COLUMNS, {
    id: record.id,
    policy_name: record.policyName,
    principal_id: record.principalId,
    attached_by: record.attachedBy,
    created_at: record.createdAt,
  }, key);
}

export function boundaryRowValues(record: BoundaryRecord, key: StoreKey): SqlValue[] {
  return signedValues('boundary', BOUNDARY_COLUMNS, {
    id: record.id,
    target_kind: record.targetKind,
    target_id: record.targetId,
    policy_name: record.policyName,
    set_by: record.setBy,
    created_at: record.createdAt,
  }, key);
}

export function projectSettingRowValues(record: ProjectSettingRecord, key: StoreKey): SqlValue[] {
  return signedValues('project-setting', PROJECT_SETTING_COLUMNS, {
    project_id: record.projectId,
    object_privileges: record.objectPrivileges ? 1 : 0,
    changed_by: record.changedBy,
    changed_at: record.changedAt,
  }, key);
}

/** Decodes Governance II rows for one store. */
export class PolicyRowDecoder {
  readonly #keyring: StoreKeyring;
  readonly #location: string;

  constructor(keyring: StoreKeyring, location: string) {
    this.#keyring = keyring;
    this.#location = location;
  }

  policy(row: SqlRow): PolicyRecord {
    const name = typeof row['name'] === 'string' ? row['name'] : '(a row without a name)';
    verifyRow('policy', row, name, this.#keyring, this.#location);
    return checked('policy', name, this.#location, () => {
      const record: PolicyRecord = {
        id: uuid(row, 'id'),
        name: text(row, 'name'),
        document: text(row, 'document'),
        comment: optionalText(row, 'comment'),
        ownerId: uuid(row, 'owner_id'),
        createdAt: timestamp(row, 'created_at'),
        updatedAt: timestamp(row, 'updated_at'),
      };
      checkPolicyName(record.name);
      const validation = validatePolicyDocument(record.document);
      if (!validation.ok) throw invalid(`its document is invalid: ${validation.errors.map((issue) => `${issue.path}: ${issue.message}`).slice(0, 3).join('; ')}`);
      return record;
    });
  }

  attachment(row: SqlRow): PolicyAttachmentRecord {
    const name = `of policy ${String(row['policy_name'])} to ${String(row['principal_id'])}`;
    verifyRow('policy-attachment', row, name, this.#keyring, this.#location);
    return checked('policy-attachment', name, this.#location, () => {
      const record: PolicyAttachmentRecord = {
        id: uuid(row, 'id'),
        policyName: text(row, 'policy_name'),
        principalId: uuid(row, 'principal_id'),
        attachedBy: text(row, 'attached_by'),
        createdAt: timestamp(row, 'created_at'),
      };
      checkPolicyReference(record.policyName);
      return record;
    });
  }

  boundary(row: SqlRow): BoundaryRecord {
    const name = `on ${String(row['target_kind'])} ${String(row['target_id'])}`;
    verifyRow('boundary', row, name, this.#keyring, this.#location);
    return checked('boundary', name, this.#location, () => {
      const targetKind = text(row, 'target_kind');
      if (!(BOUNDARY_TARGET_KINDS as readonly string[]).includes(targetKind)) throw invalid(`target_kind '${targetKind}' is not project, user or role`);
      const record: BoundaryRecord = {
        id: uuid(row, 'id'),
        targetKind: targetKind as BoundaryTargetKind,
        targetId: uuid(row, 'target_id'),
        policyName: text(row, 'policy_name'),
        setBy: text(row, 'set_by'),
        createdAt: timestamp(row, 'created_at'),
      };
      checkPolicyReference(record.policyName);
      return record;
    });
  }

  projectSetting(row: SqlRow): ProjectSettingRecord {
    const name = `of project ${String(row['project_id'])}`;
    verifyRow('project-setting', row, name, this.#keyring, this.#location);
    return checked('project-setting', name, this.#location, () => {
      const objectPrivileges = integer(row, 'object_privileges');
      if (objectPrivileges !== 0 && objectPrivileges !== 1) throw invalid('object_privileges is neither 0 nor 1');
      return { projectId: uuid(row, 'project_id'), objectPrivileges: objectPrivileges === 1, changedBy: text(row, 'changed_by'), changedAt: timestamp(row, 'changed_at') };
    });
  }
}

/** A stored policy name: an identifier that reads back as itself, never a managed policy's name. */
export function checkPolicyName(name: string): void {
  if (isManagedPolicyName(name)) throw invalid(`'${name}' is a managed policy's name, which is never stored`);
  checkIdentifier(name, 'policy');
}

/** The policy an attachment or boundary names: a managed policy, or a name a stored policy may have. */
function checkPolicyReference(name: string): void {
  if (!isManagedPolicyName(name)) checkPolicyName(name);
}
