import { LakefnError } from '../errors/index.ts';
import { isProviderName } from '../registry/providers.ts';
import { BUILT_IN_ROLE_IDS, BUILT_IN_ROLE_NAMES, DEFAULT_PROJECT_ID, DEFAULT_PROJECT_NAME } from '../spec/governance-records.ts';
import { AuditLog } from './audit-log.ts';
import { resignedMacValues, verifiesWithMacVersion } from './catalog-rows.ts';
import {
  CATALOG_STATE_TABLE, CONNECTIONS_TABLE, FUNCTIONS_TABLE, POLICY_ATTACHMENT_COLUMNS, POLICY_ATTACHMENTS_TABLE, PRINCIPAL_COLUMNS, PRINCIPALS_TABLE,
  PROJECT_COLUMNS, PROJECTS_TABLE, SCHEMA_1, SCHEMA_2, SCHEMA_3, SCHEMA_3_SWAP, SCHEMA_4, SCHEMA_5, SCHEMA_FUNCTION_LABELS, SCHEMA_PACKAGES,
} from './catalog-schema.ts';
import { principalRowValues, projectRowValues } from './governance-rows.ts';
import { policyAttachmentRowValues } from './policy-rows.ts';
import { PUBLIC_FULL_ACCESS_ATTACHMENT_ID } from '../spec/policy-records.ts';
import { verifiesWithMacV1 } from './legacy-row-mac-v1.ts';
import { regionAcceptedAsUnknown } from './revalidate-records.ts';
import type { SqlSession } from './sql-database.ts';
import type { SqlRow } from './sql-value.ts';
import type { StoreKeyring } from './store-keyring.ts';

/** What a migration may use besides SQL: the key (re-signing rows) and the store's location (messages). */
export interface MigrationContext {
  readonly keyring: StoreKeyring;
  readonly location: string;
  readonly kind: 'sqlite' | 'postgres';
}

/**
 * One schema step, applied once, in the same write transaction as the record of it in lakefn_migrations (a
 * failure leaves the catalog as it was). Append new migrations; never edit an applied one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  apply(sql: SqlSession, context: MigrationContext): Promise<void>;
}

/** The version of the packages migration (issue 12); numbered after the migrations before it, without a gap. */
export const PACKAGES_MIGRATION = 6;

/** The version of the function sensitivity labels migration (issue 12: USING LABEL filters what a package reaches). */
export const FUNCTION_LABELS_MIGRATION = 7;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'connections and functions',
    apply: (sql) => runAll(sql, SCHEMA_1),
  },
  {
    version: 2,
    name: 'functions bound to connection ids; row MAC v2 over every column, with key ids',
    apply: migrateToMacV2,
  },
  {
    version: 3,
    name: 'governance: projects, principals, grants, audit log; objects owned and placed in a project (row MAC v3)',
    apply: migrateToGovernance,
  },
  {
    version: 4,
    name: 'authentication: API tokens (SHA-256 only) and OIDC subjects bound to users',
    apply: (sql) => runAll(sql, SCHEMA_4),
  },
  {
    version: 5,
    name: 'Governance II: policies, attachments, boundaries, the OBJECT_PRIVILEGES switch; LakefnFullAccess attached to PUBLIC',
    apply: migrateToPolicies,
  },
  {
    version: PACKAGES_MIGRATION,
    name: 'packages: functions shared across projects (objects, install permissions, installations, READ grants; signed rows)',
    apply: (sql) => runAll(sql, SCHEMA_PACKAGES),
  },
  {
    version: FUNCTION_LABELS_MIGRATION,
    name: 'function sensitivity labels (0-9, signed rows; a function without one is label 0): USING LABEL n reaches functions labelled at most n',
    apply: (sql) => runAll(sql, SCHEMA_FUNCTION_LABELS),
  },
];

export const LATEST_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version));

/**
 * Rebuilds the tables keyed by id (SCHEMA_2), then re-signs the rows with MAC v2. A connection is re-signed only
 * if its v1 MAC verifies with this process's key: one that does not keeps mac_version 1, so every read refuses it
 * (E_STORE_TAMPERED) and only DROP removes it; the migration never launders a row tampered with before it.
 * Functions had no MAC: they are signed as they are (nothing could have detected an earlier change to them), and
 * re-validated on every read like every row. When not one connection verifies, the key is not the one that
 * signed this catalog (a node with its own key file): the migration is refused and nothing changes.
 */
async function migrateToMacV2(sql: SqlSession, context: MigrationContext): Promise<void> {
  await refuseOrphanedFunctions(sql, context.location);
  await runAll(sql, SCHEMA_2);
  const key = context.keyring.current();
  const connections = await sql.all(`SELECT * FROM ${CONNECTIONS_TABLE}`);
  const verified = connections.filter((row) => verifiesWithMacV1(key.key, row));
  if (connections.length > 0 && verified.length === 0) {
    throw new LakefnError(
      'E_STORE_KEY_MISSING',
      `cannot upgrade the catalog in ${context.location}: not one of its ${connections.length} connection(s) verifies with store key ` +
        `${context.keyring.path}, so this is not the key that signed it (or every row was changed outside lakefn). Nothing was changed. ` +
        'Point LAKEFN_STORE_KEY_FILE at the key the catalog was created with (on a shared PostgreSQL catalog, the key file of the other nodes) and open it again',
    );
  }
  for (const row of verified) {
    const allowUnknownRegion = unknownRegionOf(row) ? 1 : 0;
    const [version, keyId, mac] = resignedMacValues('connection', { ...row, allow_unknown_region: allowUnknownRegion }, key, 2);
    await sql.run(`UPDATE ${CONNECTIONS_TABLE} SET allow_unknown_region = ?, mac_version = ?, mac_key_id = ?, row_mac = ? WHERE id = ?`, [
      allowUnknownRegion, version, keyId, mac, String(row['id']),
    ]);
  }
  for (const row of await sql.all(`SELECT * FROM ${FUNCTIONS_TABLE}`)) {
    await sql.run(`UPDATE ${FUNCTIONS_TABLE} SET mac_version = ?, mac_key_id = ?, row_mac = ? WHERE id = ?`, [...resignedMacValues('function', row, key, 2), String(row['id'])]);
  }
  await sql.run(`INSERT INTO ${CATALOG_STATE_TABLE} (id, mac_key_id, key_changed_at) VALUES (1, ?, ?)`, [key.id, new Date().toISOString()]);
}

/**
 * Governance I: creates the governance tables and the built-in roles (super_administrator, admin, auditor, engine,
 * PUBLIC) and project `default`, then moves every connection and function into project `default`, owned by
 * `super_administrator`. A row is re-signed with MAC v3 (which covers its project and owner) only if its v2 MAC verifies
 * with this process's key; one that does not keeps its v2 MAC, so every read refuses it (E_STORE_TAMPERED) and only
 * DROP removes it: the migration never launders a row tampered with before it. Function properties gain
 * `audit_level` ('summary'). The audit chain starts empty, its ends signed.
 */
async function migrateToGovernance(sql: SqlSession, context: MigrationContext): Promise<void> {
  const key = context.keyring.current();
  const now = new Date().toISOString();
  await runAll(sql, SCHEMA_3);
  for (const name of BUILT_IN_ROLE_NAMES) {
    const record = { id: BUILT_IN_ROLE_IDS[name], kind: 'role' as const, name, builtIn: true, comment: BUILT_IN_ROLE_COMMENTS[name], createdAt: now };
    await sql.run(`INSERT INTO ${PRINCIPALS_TABLE} (${PRINCIPAL_COLUMNS.join(', ')}) VALUES (${PRINCIPAL_COLUMNS.map(() => '?').join(', ')})`, principalRowValues(record, key));
  }
  const project = { id: DEFAULT_PROJECT_ID, name: DEFAULT_PROJECT_NAME, ownerId: BUILT_IN_ROLE_IDS.super_administrator, comment: 'created by the upgrade to projects', createdAt: now };
  await sql.run(`INSERT INTO ${PROJECTS_TABLE} (${PROJECT_COLUMNS.join(', ')}) VALUES (${PROJECT_COLUMNS.map(() => '?').join(', ')})`, projectRowValues(project, key));
  const placement = { project_id: DEFAULT_PROJECT_ID, owner_id: BUILT_IN_ROLE_IDS.super_administrator };
  for (const row of await sql.all(`SELECT * FROM ${CONNECTIONS_TABLE}`)) {
    const placed = { ...row, ...placement };
    const signed = verifiesWithMacVersion('connection', row, context.keyring, 2) ? resignedMacValues('connection', placed, key) : [row['mac_version'], row['mac_key_id'], row['row_mac']];
    await copyRow(sql, `${CONNECTIONS_TABLE}_v3`, placed, signed);
  }
  for (const row of await sql.all(`SELECT * FROM ${FUNCTIONS_TABLE}`)) {
    if (!verifiesWithMacVersion('function', row, context.keyring, 2)) {
      await copyRow(sql, `${FUNCTIONS_TABLE}_v3`, { ...row, ...placement }, [row['mac_version'], row['mac_key_id'], row['row_mac']]);
      continue;
    }
    const placed = { ...row, ...placement, properties: withAuditLevel(row['properties']) };
    await copyRow(sql, `${FUNCTIONS_TABLE}_v3`, placed, resignedMacValues('function', placed, key));
  }
  await runAll(sql, SCHEMA_3_SWAP);
  await new AuditLog(sql, context.keyring, context.location).initialiseEnds(key);
}

/**
 * Governance II: creates the policy tables and attaches the managed LakefnFullAccess to PUBLIC. Under Governance I
 * every principal held an implicit allow-all API layer; this row is the same grant made visible (SHOW POLICIES, DESC
 * POLICY LakefnFullAccess), so an upgraded catalog decides exactly as before until an administrator detaches it
 * (`DETACH POLICY LakefnFullAccess FROM ROLE PUBLIC`) to enforce the API layer. Nothing else changes.
 */
async function migrateToPolicies(sql: SqlSession, context: MigrationContext): Promise<void> {
  await runAll(sql, SCHEMA_5);
  const attachment = {
    id: PUBLIC_FULL_ACCESS_ATTACHMENT_ID,
    policyName: 'LakefnFullAccess',
    principalId: BUILT_IN_ROLE_IDS.public,
    attachedBy: 'the upgrade to policies',
    createdAt: new Date().toISOString(),
  };
  await sql.run(
    `INSERT INTO ${POLICY_ATTACHMENTS_TABLE} (${POLICY_ATTACHMENT_COLUMNS.join(', ')}) VALUES (${POLICY_ATTACHMENT_COLUMNS.map(() => '?').join(', ')})`,
    policyAttachmentRowValues(attachment, context.keyring.current()),
  );
}

const BUILT_IN_ROLE_COMMENTS: Readonly<Record<(typeof BUILT_IN_ROLE_NAMES)[number], string>> = {
  super_administrator: 'built-in: every privilege (break-glass, always audited); only it changes the membership of super_administrator and admin',
  admin: 'built-in: every privilege and GRANT on every object (subject to Deny and boundaries)',
  auditor: 'built-in: reads the audit log and function history',
  engine: "built-in: a SQL engine's identity; may name the end user it calls for (X-Lakefn-On-Behalf-Of)",
  public: 'built-in: every principal is implicitly a member; holds nothing unless granted',
};

/** Stored function properties (JSON text) with `auditLevel` added; text that is not an object is kept (reads refuse it). */
function withAuditLevel(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    const properties = JSON.parse(value) as unknown;
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return value;
    return JSON.stringify({ ...properties, auditLevel: 'summary' });
  } catch {
    return value;
  }
}

/** Inserts a row's columns (MAC columns replaced by `signed`) into `table`. */
async function copyRow(sql: SqlSession, table: string, row: SqlRow, signed: readonly unknown[]): Promise<void> {
  const values = { ...row, mac_version: signed[0], mac_key_id: signed[1], row_mac: signed[2] };
  const columns = Object.keys(values);
  await sql.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, columns.map((column) => sqlValueOf(values[column as keyof typeof values])));
}

/** Column values as read (PostgreSQL returns BIGINT as text, never objects): written back as they were. */
function sqlValueOf(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new LakefnError('E_STORE', `a catalog column holds a ${typeof value}, which lakefn never writes`);
}

/** Functions whose connection is gone (only possible when foreign keys were bypassed) would be lost by the rebuild. */
async function refuseOrphanedFunctions(sql: SqlSession, location: string): Promise<void> {
  const orphans = await sql.all(
    `SELECT f.name AS name, f.connection_name AS connection_name FROM ${FUNCTIONS_TABLE} f ` +
      `LEFT JOIN ${CONNECTIONS_TABLE} c ON c.name = f.connection_name WHERE c.name IS NULL ORDER BY f.name`,
  );
  if (orphans.length === 0) return;
  const listed = orphans.slice(0, 10).map((row) => `'${String(row['name'])}' (connection '${String(row['connection_name'])}')`).join(', ');
  throw new LakefnError(
    'E_STORE',
    `cannot upgrade the catalog in ${location}: ${orphans.length} function(s) name a connection that does not exist: ${listed}. ` +
      `The catalog was changed outside lakefn. Nothing was changed; delete those rows from ${FUNCTIONS_TABLE} (or restore a backup) and open it again`,
  );
}

/** Whether a not-yet-decoded connection row's region passes only as an unknown region (see regionAcceptedAsUnknown). */
function unknownRegionOf(row: SqlRow): boolean {
  const text = (column: string): string => {
    const value = row[column];
    return typeof value === 'string' ? value : '';
  };
  const optional = (column: string): string | null => (row[column] === null ? null : text(column));
  const provider = text('provider');
  if (!isProviderName(provider)) return false;
  return regionAcceptedAsUnknown({
    provider,
    region: text('region'),
    roleArn: text('role_arn'),
    namespace: text('namespace'),
    codeBucket: optional('code_bucket'),
    comment: optional('comment'),
  });
}

async function runAll(sql: SqlSession, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.run(statement);
}
