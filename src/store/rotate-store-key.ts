import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { LakefnError } from '../errors/index.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import { AuditLog, describeAuditFailure } from './audit-log.ts';
import { type RowDecoder, resignedMacValues, rowName } from './catalog-rows.ts';
import {
  API_TOKENS_TABLE, BOUNDARIES_TABLE, CATALOG_STATE_TABLE, CONNECTIONS_TABLE, FUNCTION_LABELS_TABLE, FUNCTIONS_TABLE, GRANTS_TABLE, OIDC_SUBJECTS_TABLE, PACKAGE_ALLOWED_TABLE,
  PACKAGE_GRANTS_TABLE, PACKAGE_INSTALLS_TABLE, PACKAGE_OBJECTS_TABLE, PACKAGES_TABLE, POLICIES_TABLE, POLICY_ATTACHMENTS_TABLE, PRINCIPALS_TABLE,
  PROJECT_SETTINGS_TABLE, PROJECTS_TABLE, ROLE_GRANTS_TABLE,
} from './catalog-schema.ts';
import type { GovernanceRowDecoder } from './governance-rows.ts';
import type { PackageRowDecoder } from './package-rows.ts';
import type { PolicyRowDecoder } from './policy-rows.ts';
import type { MacKind } from './row-mac.ts';
import type { KeyRotation } from './catalog-store.ts';
import { storeKeyId } from './row-mac.ts';
import type { SqlDatabase, SqlSession } from './sql-database.ts';
import { readStoreKey, replaceStoreKeyFile, STORE_KEY_BYTES, writeStoreKeyFile } from './store-key.ts';
import type { StoreKey, StoreKeyring } from './store-keyring.ts';

export interface RotationContext {
  readonly database: SqlDatabase;
  readonly keyring: StoreKeyring;
  readonly decoder: RowDecoder;
  readonly governanceDecoder: GovernanceRowDecoder;
  readonly policyDecoder: PolicyRowDecoder;
  readonly packageDecoder: PackageRowDecoder;
  /** Makes the keyring's current key the catalog's key (or refuses), as every write does. */
  readonly useCatalogKey: (sql: SqlSession) => Promise<void>;
}

/**
 * `lakefn store rotate-key`. In one write transaction (which every writer, on every node, waits for):
 *   1. finish a rotation that committed but did not get to rename its key file (or discard one that never committed);
 *   2. verify every row with the current key, and the audit chain: any row or record that fails (MAC or validation)
 *      stops the rotation, so a rotation never launders a tampered row;
 *   3. write the new key to `<key file>.next` atomically (the old key file stays untouched);
 *   4. re-sign every row, re-MAC every audit record and the chain's ends (hashes unchanged, so `lakefn audit verify`
 *      keeps passing), and record the new key id in lakefn_catalog_state.
 * Only after COMMIT is `<key file>.next` renamed over the key file. A crash in between leaves both files; every
 * reader finds the new key in the next-key file, and the next write (or rotation) finishes the rename.
 */
export async function rotateStoreKey(context: RotationContext): Promise<KeyRotation> {
  const { database, keyring } = context;
  let next: StoreKey | undefined;
  let outcome: Omit<KeyRotation, 'finishedInterruptedRotation'> | undefined;
  let finishedInterruptedRotation = false;
  try {
    await database.transaction('write', async (sql) => {
      finishedInterruptedRotation = await settleNextKeyFile(sql, keyring);
      await context.useCatalogKey(sql);
      const previous = keyring.current();
      const { connections, functions, governance } = await verifyEveryRow(sql, context);
      const audit = new AuditLog(sql, keyring, database.location);
      const chain = await audit.verify();
      if (!chain.ok && chain.failure !== undefined) {
        throw new LakefnError(
          'E_STORE_TAMPERED',
          `key rotation refused: the audit log of ${database.location} does not verify (${describeAuditFailure(chain.failure)}); re-signing it would launder it. ` +
            'Nothing was changed: run `lakefn audit verify`, restore the log from backup, then rotate again',
        );
      }
      const key = randomBytes(STORE_KEY_BYTES);
      next = { key, id: storeKeyId(key) };
      writeStoreKeyFile(keyring.nextPath, key);
      for (const row of connections) await resign(sql, CONNECTIONS_TABLE, 'connection', row, next);
      for (const row of functions) await resign(sql, FUNCTIONS_TABLE, 'function', row, next);
      for (const { table, kind, rows } of governance) for (const row of rows) await resignGovernance(sql, table, kind, row, next);
      await sql.run(`UPDATE ${CATALOG_STATE_TABLE} SET mac_key_id = ?, key_changed_at = ? WHERE id = 1`, [next.id, new Date().toISOString()]);
      const auditRecords = await audit.resign(next);
      outcome = {
        previousKeyId: previous.id,
        keyId: next.id,
        keyFile: keyring.path,
        connections: connections.length,
        functions: functions.length,
        governanceRows: governance.reduce((total, entry) => total + entry.rows.length, 0),
        auditRecords,
      };
    });
  } catch (error) {
    if (next === undefined) throw error;
    // failing inside the transaction rolled it back; COMMIT itself may fail after the database applied it, and then
    // only the database can say which key it now holds
    const state = outcome === undefined ? 'not-committed' : await commitState(database, next);
    if (state === 'not-committed') await discardNextKeyFile(database, keyring, next);
    // 'unknown': the next-key file stays; readers find the key there if it did commit, and the next write settles it
    if (state !== 'committed') throw error;
  }
  if (next === undefined || outcome === undefined) throw new LakefnError('E_INTERNAL', 'key rotation ended without a new key');
  promote(keyring, next);
  return { ...outcome, finishedInterruptedRotation };
}

/**
 * Under the write lock: a next-key file whose id the catalog records belongs to a rotation that committed and
 * did not rename it (crash, or another process between COMMIT and rename): finish it. Any other next-key file
 * belongs to a rotation that never committed (no rotation can be in flight while we hold the lock): remove it.
 */
export async function settleNextKeyFile(sql: SqlSession, keyring: StoreKeyring): Promise<boolean> {
  const key = readStoreKey(keyring.nextPath);
  if (key === undefined) return false;
  const next = { key, id: storeKeyId(key) };
  if ((await catalogKeyId(sql)) === next.id) {
    promote(keyring, next);
    return true;
  }
  unlinkSync(keyring.nextPath);
  return false;
}

interface GovernanceRows {
  readonly table: string;
  readonly kind: MacKind;
  readonly rows: SqlRow[];
}

/** Every row, verified with the current key; the rotation is refused, naming them, when any fails. */
async function verifyEveryRow(sql: SqlSession, context: RotationContext): Promise<{ connections: SqlRow[]; functions: SqlRow[]; governance: GovernanceRows[] }> {
  const location = context.database.location;
  const connections = await sql.all(`SELECT * FROM ${CONNECTIONS_TABLE}`);
  const functions = await sql.all(`SELECT * FROM ${FUNCTIONS_TABLE}`);
  const failures: string[] = [];
  const verified = new Map<string, ConnectionRecord>();
  const governance: GovernanceRows[] = [];
  const decoders: readonly [string, MacKind, (row: SqlRow) => unknown][] = [
    [PRINCIPALS_TABLE, 'principal', (row) => context.governanceDecoder.principal(row)],
    [PROJECTS_TABLE, 'project', (row) => context.governanceDecoder.project(row)],
    [ROLE_GRANTS_TABLE, 'role-grant', (row) => context.governanceDecoder.roleGrant(row)],
    [GRANTS_TABLE, 'grant', (row) => context.governanceDecoder.grant(row)],
    [API_TOKENS_TABLE, 'api-token', (row) => context.governanceDecoder.apiToken(row)],
    [OIDC_SUBJECTS_TABLE, 'oidc-subject', (row) => context.governanceDecoder.oidcSubject(row)],
    [POLICIES_TABLE, 'policy', (row) => context.policyDecoder.policy(row)],
    [POLICY_ATTACHMENTS_TABLE, 'policy-attachment', (row) => context.policyDecoder.attachment(row)],
    [BOUNDARIES_TABLE, 'boundary', (row) => context.policyDecoder.boundary(row)],
    [PROJECT_SETTINGS_TABLE, 'project-setting', (row) => context.policyDecoder.projectSetting(row)],
    [PACKAGES_TABLE, 'package', (row) => context.packageDecoder.package(row)],
    [PACKAGE_OBJECTS_TABLE, 'package-object', (row) => context.packageDecoder.object(row)],
    [PACKAGE_ALLOWED_TABLE, 'package-allow', (row) => context.packageDecoder.allow(row)],
    [PACKAGE_INSTALLS_TABLE, 'package-install', (row) => context.packageDecoder.install(row)],
    [PACKAGE_GRANTS_TABLE, 'package-grant', (row) => context.packageDecoder.grant(row)],
    [FUNCTION_LABELS_TABLE, 'function-label', (row) => context.packageDecoder.functionLabel(row)],
  ];
  for (const [table, kind, decode] of decoders) {
    const rows = await sql.all(`SELECT * FROM ${table}`);
    for (const row of rows) {
      try {
        decode(row);
      } catch (error) {
        const id = keyColumns(kind).map((column) => String(row[column])).join('/');
        failures.push(failure(error, `${kind} row ${id}`));
      }
    }
    governance.push({ table, kind, rows });
  }
  for (const row of connections) {
    try {
      const { record } = context.decoder.connection(row);
      verified.set(record.id, record);
    } catch (error) {
      failures.push(failure(error, `connection '${rowName(row)}'`));
    }
  }
  for (const row of functions) {
    const connection = verified.get(String(row['connection_id']));
    try {
      if (connection === undefined) throw new LakefnError('E_STORE_TAMPERED', 'its connection failed its check');
      context.decoder.function(row, connection);
    } catch (error) {
      failures.push(failure(error, `function '${rowName(row)}'`));
    }
  }
  if (failures.length > 0) {
    throw new LakefnError(
      'E_STORE_TAMPERED',
      `key rotation refused: ${failures.length} row(s) of the catalog in ${location} fail their integrity check with the current key ` +
        `(${failures.slice(0, 10).join(', ')}${failures.length > 10 ? ', …' : ''}); re-signing them would launder them. Nothing was changed: ` +
        'inspect them, DROP them (or restore the catalog from backup), then rotate again',
      { data: { objects: failures } },
    );
  }
  return { connections, functions, governance };
}

type SqlRow = Awaited<ReturnType<SqlSession['all']>>[number];

function failure(error: unknown, object: string): string {
  if (LakefnError.isInstance(error) && error.code === 'E_STORE_TAMPERED') return object;
  throw error;
}

async function resign(sql: SqlSession, table: string, kind: 'connection' | 'function', row: SqlRow, key: StoreKey): Promise<void> {
  await sql.run(`UPDATE ${table} SET mac_version = ?, mac_key_id = ?, row_mac = ? WHERE id = ?`, [...resignedMacValues(kind, row, key), String(row['id'])]);
}

/** The primary key of each kind of governance or package row (not every table has an id column). */
function keyColumns(kind: MacKind): readonly string[] {
  switch (kind) {
    case 'role-grant':
      return ['role_id', 'member_id'];
    case 'package-object':
      return ['package_id', 'function_id'];
    case 'package-allow':
      return ['package_id', 'project_id'];
    case 'function-label':
      return ['function_id'];
    case 'package-grant':
      return ['install_id', 'grantee_id'];
    case 'oidc-subject':
      return ['user_id'];
    case 'project-setting':
      return ['project_id'];
    default:
      return ['id'];
  }
}

/** Governance and package rows, re-signed by their primary key. */
async function resignGovernance(sql: SqlSession, table: string, kind: MacKind, row: SqlRow, key: StoreKey): Promise<void> {
  const columns = keyColumns(kind);
  const where = columns.map((column) => `${column} = ?`).join(' AND ');
  await sql.run(`UPDATE ${table} SET mac_version = ?, mac_key_id = ?, row_mac = ? WHERE ${where}`, [...resignedMacValues(kind, row, key), ...columns.map((column) => String(row[column]))]);
}

async function catalogKeyId(sql: SqlSession): Promise<unknown> {
  const [row] = await sql.all(`SELECT mac_key_id FROM ${CATALOG_STATE_TABLE} WHERE id = 1`);
  return row?.['mac_key_id'];
}

async function commitState(database: SqlDatabase, next: StoreKey): Promise<'committed' | 'not-committed' | 'unknown'> {
  try {
    return (await database.transaction('read', catalogKeyId)) === next.id ? 'committed' : 'not-committed';
  } catch {
    return 'unknown';
  }
}

/** Removes the next-key file of a rotation that did not commit, under the write lock and only if it still holds our key. */
async function discardNextKeyFile(database: SqlDatabase, keyring: StoreKeyring, next: StoreKey): Promise<void> {
  await database
    .transaction('write', async (sql) => {
      const stored = readStoreKey(keyring.nextPath);
      if (stored !== undefined && stored.equals(next.key) && (await catalogKeyId(sql)) !== next.id) unlinkSync(keyring.nextPath);
    })
    .catch(() => undefined);
}

/** The next key becomes the key: renamed over the key file (atomic). Another process may have done so already. */
function promote(keyring: StoreKeyring, next: StoreKey): void {
  try {
    replaceStoreKeyFile(keyring.nextPath, keyring.path);
  } catch (error) {
    const current = readStoreKey(keyring.path);
    if (current === undefined || storeKeyId(current) !== next.id) throw error;
  }
  keyring.use(next.key);
}
