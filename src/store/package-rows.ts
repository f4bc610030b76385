import {
  type FunctionLabelRecord, MAX_PACKAGE_LABEL, PACKAGE_PRIVILEGES, type PackageAllowRecord, type PackageGrantRecord, type PackageInstallRecord, type PackageObjectRecord,
  type PackagePrivilege, type PackageRecord,
} from '../spec/package-records.ts';
import { checked, invalid, optionalText, signedValues, text, verifyRow } from './catalog-rows.ts';
import { FUNCTION_LABEL_COLUMNS, PACKAGE_ALLOWED_COLUMNS, PACKAGE_COLUMNS, PACKAGE_GRANT_COLUMNS, PACKAGE_INSTALL_COLUMNS, PACKAGE_OBJECT_COLUMNS } from './catalog-schema.ts';
import { checkIdentifier, timestamp, uuid } from './governance-rows.ts';
import type { SqlRow, SqlValue } from './sql-value.ts';
import type { StoreKey, StoreKeyring } from './store-keyring.ts';

/**
 * Signed values and verified decoding of the package rows. Like every catalog row, nothing is trusted before its MAC
 * verifies and its values pass the rules the statements apply: a package object, permission, installation or READ
 * grant inserted with SQL behind lakefn's back is E_STORE_TAMPERED and shares nothing.
 */

export function packageRowValues(record: PackageRecord, key: StoreKey): SqlValue[] {
  return signedValues('package', PACKAGE_COLUMNS, {
    id: record.id, project_id: record.projectId, name: record.name, owner_id: record.ownerId, comment: record.comment, created_at: record.createdAt,
  }, key);
}

export function packageObjectRowValues(record: PackageObjectRecord, key: StoreKey): SqlValue[] {
  return signedValues('package-object', PACKAGE_OBJECT_COLUMNS, {
    package_id: record.packageId, function_id: record.functionId, privileges: record.privileges.join(','), added_by: record.addedBy, created_at: record.createdAt,
  }, key);
}

export function packageAllowRowValues(record: PackageAllowRecord, key: StoreKey): SqlValue[] {
  return signedValues('package-allow', PACKAGE_ALLOWED_COLUMNS, {
    package_id: record.packageId, project_id: record.projectId, label: record.label, allowed_by: record.allowedBy, created_at: record.createdAt,
  }, key);
}

export function packageInstallRowValues(record: PackageInstallRecord, key: StoreKey): SqlValue[] {
  return signedValues('package-install', PACKAGE_INSTALL_COLUMNS, {
    id: record.id, package_id: record.packageId, project_id: record.projectId, installed_by: record.installedBy, created_at: record.createdAt,
  }, key);
}

export function packageGrantRowValues(record: PackageGrantRecord, key: StoreKey): SqlValue[] {
  return signedValues('package-grant', PACKAGE_GRANT_COLUMNS, {
    install_id: record.installId, grantee_id: record.granteeId, granted_by: record.grantedBy, created_at: record.createdAt,
  }, key);
}

export function functionLabelRowValues(record: FunctionLabelRecord, key: StoreKey): SqlValue[] {
  return signedValues('function-label', FUNCTION_LABEL_COLUMNS, {
    function_id: record.functionId, label: record.label, set_by: record.setBy, created_at: record.createdAt,
  }, key);
}

/** Decodes package rows for one store (the keyring verifies, `location` names the store in errors). */
export class PackageRowDecoder {
  readonly #keyring: StoreKeyring;
  readonly #location: string;

  constructor(keyring: StoreKeyring, location: string) {
    this.#keyring = keyring;
    this.#location = location;
  }

  package(row: SqlRow): PackageRecord {
    const name = typeof row['name'] === 'string' ? row['name'] : '(a row without a name)';
    verifyRow('package', row, name, this.#keyring, this.#location);
    return checked('package', name, this.#location, () => {
      const record: PackageRecord = {
        id: uuid(row, 'id'),
        projectId: uuid(row, 'project_id'),
        name: text(row, 'name'),
        ownerId: uuid(row, 'owner_id'),
        comment: optionalText(row, 'comment'),
        createdAt: timestamp(row, 'created_at'),
      };
      checkIdentifier(record.name, 'package');
      return record;
    });
  }

  object(row: SqlRow): PackageObjectRecord {
    const name = `of function ${String(row['function_id'])} in package ${String(row['package_id'])}`;
    verifyRow('package-object', row, name, this.#keyring, this.#location);
    return checked('package-object', name, this.#location, () => {
      const privileges = text(row, 'privileges').split(',');
      if (privileges.length === 0 || privileges.some((privilege) => !(PACKAGE_PRIVILEGES as readonly string[]).includes(privilege))) {
        throw invalid(`privileges '${text(row, 'privileges')}' are not ones a package shares (${PACKAGE_PRIVILEGES.join(', ')})`);
      }
      return {
        packageId: uuid(row, 'package_id'),
        functionId: uuid(row, 'function_id'),
        privileges: privileges as PackagePrivilege[],
        addedBy: text(row, 'added_by'),
        createdAt: timestamp(row, 'created_at'),
      };
    });
  }

  allow(row: SqlRow): PackageAllowRecord {
    const name = `of project ${String(row['project_id'])} for package ${String(row['package_id'])}`;
    verifyRow('package-allow', row, name, this.#keyring, this.#location);
    return checked('package-allow', name, this.#location, () => {
      const label = row['label'] === null ? null : checkLabel(row['label']);
      return {
        packageId: uuid(row, 'package_id'),
        projectId: uuid(row, 'project_id'),
        label,
        allowedBy: text(row, 'allowed_by'),
        createdAt: timestamp(row, 'created_at'),
      };
    });
  }

  install(row: SqlRow): PackageInstallRecord {
    const name = `${String(row['id'])} (package ${String(row['package_id'])} in project ${String(row['project_id'])})`;
    verifyRow('package-install', row, name, this.#keyring, this.#location);
    return checked('package-install', name, this.#location, () => ({
      id: uuid(row, 'id'),
      packageId: uuid(row, 'package_id'),
      projectId: uuid(row, 'project_id'),
      installedBy: text(row, 'installed_by'),
      createdAt: timestamp(row, 'created_at'),
    }));
  }

  grant(row: SqlRow): PackageGrantRecord {
    const name = `to ${String(row['grantee_id'])} on installation ${String(row['install_id'])}`;
    verifyRow('package-grant', row, name, this.#keyring, this.#location);
    return checked('package-grant', name, this.#location, () => ({
      installId: uuid(row, 'install_id'),
      granteeId: uuid(row, 'grantee_id'),
      grantedBy: text(row, 'granted_by'),
      createdAt: timestamp(row, 'created_at'),
    }));
  }

  functionLabel(row: SqlRow): FunctionLabelRecord {
    const name = `of function ${String(row['function_id'])}`;
    verifyRow('function-label', row, name, this.#keyring, this.#location);
    return checked('function-label', name, this.#location, () => ({
      functionId: uuid(row, 'function_id'),
      label: checkLabel(row['label']),
      setBy: text(row, 'set_by'),
      createdAt: timestamp(row, 'created_at'),
    }));
  }
}

/** A sensitivity label as SET LABEL and USING LABEL accept it: an integer from 0 to 9. */
function checkLabel(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_PACKAGE_LABEL) throw invalid(`label is not an integer from 0 to ${MAX_PACKAGE_LABEL}`);
  return value;
}
