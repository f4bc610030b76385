import {
  GRANT_OBJECT_KINDS, PRIVILEGES_BY_KIND, type GrantObjectKind, type GrantRecord, type PrincipalRecord, type Privilege, type ProjectRecord,
  type RoleGrantRecord,
} from '../spec/governance-records.ts';
import { parseStatements } from '../sql/parse-statements.ts';
import { quoteIdentifier } from '../sql/quote-sql.ts';
import { checked, integer, invalid, optionalText, signedValues, text, verifyRow } from './catalog-rows.ts';
import { GRANT_COLUMNS, PRINCIPAL_COLUMNS, PROJECT_COLUMNS, ROLE_GRANT_COLUMNS } from './catalog-schema.ts';
import type { SqlRow, SqlValue } from './sql-value.ts';
import type { StoreKey, StoreKeyring } from './store-keyring.ts';

/**
 * Signed values and verified decoding of the governance rows. Like connections and functions, nothing is trusted
 * before its MAC verifies (with the key its key id names) and its values pass the rules the statements apply: a
 * grant inserted with SQL behind lakefn's back is E_STORE_TAMPERED and grants nothing.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

export function principalRowValues(record: PrincipalRecord, key: StoreKey): SqlValue[] {
  return signedValues('principal', PRINCIPAL_COLUMNS, {
    id: record.id,
    kind: record.kind,
    name: record.name,
    built_in: record.builtIn ? 1 : 0,
    comment: record.comment,
    created_at: record.createdAt,
  }, key);
}

export function projectRowValues(record: ProjectRecord, key: StoreKey): SqlValue[] {
  return signedValues('project', PROJECT_COLUMNS, {
    id: record.id,
    name: record.name,
    owner_id: record.ownerId,
    comment: record.comment,
    created_at: record.createdAt,
  }, key);
}

export function roleGrantRowValues(record: RoleGrantRecord, key: StoreKey): SqlValue[] {
  return signedValues('role-grant', ROLE_GRANT_COLUMNS, {
    role_id: record.roleId,
    member_id: record.memberId,
    granted_by: record.grantedBy,
    created_at: record.createdAt,
  }, key);
}

export function grantRowValues(record: GrantRecord, key: StoreKey): SqlValue[] {
  return signedValues('grant', GRANT_COLUMNS, {
    id: record.id,
    object_kind: record.objectKind,
    object_id: record.objectId,
    privilege: record.privilege,
    grantee_id: record.granteeId,
    grantor_id: record.grantorId,
    grant_option: record.grantOption ? 1 : 0,
    created_at: record.createdAt,
  }, key);
}

/** Decodes governance rows for one store (the keyring verifies, `location` names the store in errors). */
export class GovernanceRowDecoder {
  readonly #keyring: StoreKeyring;
  readonly #location: string;

  constructor(keyring: StoreKeyring, location: string) {
    this.#keyring = keyring;
    this.#location = location;
  }

  principal(row: SqlRow): PrincipalRecord {
    const name = typeof row['name'] === 'string' ? row['name'] : '(a row without a name)';
    verifyRow('principal', row, name, this.#keyring, this.#location);
    return checked('principal', name, this.#location, () => {
      const kind = text(row, 'kind');
      if (kind !== 'user' && kind !== 'role') throw invalid(`kind '${kind}' is neither user nor role`);
      const builtIn = integer(row, 'built_in');
      if (builtIn !== 0 && builtIn !== 1) throw invalid('built_in is neither 0 nor 1');
      const record: PrincipalRecord = {
        id: uuid(row, 'id'),
        kind,
        name: text(row, 'name'),
        builtIn: builtIn === 1,
        comment: optionalText(row, 'comment'),
        createdAt: timestamp(row, 'created_at'),
      };
      checkPrincipalName(record.name);
      return record;
    });
  }

  project(row: SqlRow): ProjectRecord {
    const name = typeof row['name'] === 'string' ? row['name'] : '(a row without a name)';
    verifyRow('project', row, name, this.#keyring, this.#location);
    return checked('project', name, this.#location, () => {
      const record: ProjectRecord = {
        id: uuid(row, 'id'),
        name: text(row, 'name'),
        ownerId: uuid(row, 'owner_id'),
        comment: optionalText(row, 'comment'),
        createdAt: timestamp(row, 'created_at'),
      };
      checkIdentifier(record.name, 'project');
      return record;
    });
  }

  roleGrant(row: SqlRow): RoleGrantRecord {
    const name = `of ${String(row['member_id'])} in role ${String(row['role_id'])}`;
    verifyRow('role-grant', row, name, this.#keyring, this.#location);
    return checked('role-grant', name, this.#location, () => {
      const record: RoleGrantRecord = {
        roleId: uuid(row, 'role_id'),
        memberId: uuid(row, 'member_id'),
        grantedBy: text(row, 'granted_by'),
        createdAt: timestamp(row, 'created_at'),
      };
      if (record.roleId === record.memberId) throw invalid('a role is a member of itself');
      return record;
    });
  }

  grant(row: SqlRow): GrantRecord {
    const name = `${String(row['id'])} (${String(row['privilege'])} on ${String(row['object_kind'])} ${String(row['object_id'])})`;
    verifyRow('grant', row, name, this.#keyring, this.#location);
    return checked('grant', name, this.#location, () => {
      const objectKind = text(row, 'object_kind');
      if (!(GRANT_OBJECT_KINDS as readonly string[]).includes(objectKind)) throw invalid(`object_kind '${objectKind}' is not a grantable kind`);
      const privilege = text(row, 'privilege');
      const allowed: readonly string[] = PRIVILEGES_BY_KIND[objectKind as GrantObjectKind];
      if (!allowed.includes(privilege)) throw invalid(`privilege '${privilege}' does not apply to a ${objectKind}`);
      const grantOption = integer(row, 'grant_option');
      if (grantOption !== 0 && grantOption !== 1) throw invalid('grant_option is neither 0 nor 1');
      return {
        id: uuid(row, 'id'),
        objectKind: objectKind as GrantObjectKind,
        objectId: uuid(row, 'object_id'),
        privilege: privilege as Privilege,
        granteeId: uuid(row, 'grantee_id'),
        grantorId: uuid(row, 'grantor_id'),
        grantOption: grantOption === 1,
        createdAt: timestamp(row, 'created_at'),
      };
    });
  }
}

function uuid(row: SqlRow, column: string): string {
  const value = text(row, column);
  if (!UUID.test(value)) throw invalid(`${column} is not a UUID`);
  return value;
}

function timestamp(row: SqlRow, column: string): string {
  const value = text(row, column);
  if (!TIMESTAMP.test(value)) throw invalid(`${column} is not ISO-8601 UTC`);
  return value;
}

/** A user or role name: an identifier that reads back as itself, without ':' (reserved for `local:<os user>`). */
export function checkPrincipalName(name: string): void {
  if (name.includes(':')) throw invalid("the name contains ':'");
  checkIdentifier(name, 'user or role');
}

/** A stored name must read back, through the SQL identifier rules, as exactly itself. */
export function checkIdentifier(name: string, what: string): void {
  let statements;
  try {
    statements = parseStatements(`USE PROJECT ${quoteIdentifier(name)}`);
  } catch {
    throw invalid(`the ${what} name does not read back as stored`);
  }
  const [statement] = statements;
  if (statement?.kind !== 'use-project' || statement.name !== name) throw invalid(`the ${what} name does not read back as stored`);
}
