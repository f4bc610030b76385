import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SqlValue } from './sql-value.ts';

/** The kinds of catalog row that carry a MAC; part of the MAC input, so a row of one kind never verifies as another. */
export type MacKind =
  | 'connection' | 'function' | 'principal' | 'project' | 'role-grant' | 'grant' | 'api-token' | 'oidc-subject' | 'policy' | 'policy-attachment' | 'boundary'
  | 'project-setting' | PackageMacKind;

/** The package rows (the packages migration): signed with the v3 scheme, each kind with its own layout. */
export type PackageMacKind = 'package' | 'package-object' | 'package-allow' | 'package-install' | 'package-grant' | 'function-label';

/**
 * The columns each MAC version covers, per kind, in MAC-input order. A version is never changed once released:
 * a schema change that adds a security-relevant column (governance: project, owner) appends a new version that
 * lists it, and a migration re-signs every row (verifying each with its current version first). Version 1 is
 * the legacy connection MAC (see legacy-row-mac-v1.ts), which only a migration reads.
 *
 * Version 2 covers every column of the row except the MAC columns themselves: not only what decides whose role
 * is assumed and where the call goes (id, name, provider, region, role ARN, namespace, bucket, external ID, status,
 * version; for functions the connection id, cloud function, qualifier, types, format and every property) but also
 * comments and timestamps, so nothing lakefn prints or acts on can be changed behind its back.
 *
 * Version 3 (Governance I) adds where an object lives and who owns it (project_id, owner_id) to connections and
 * functions, and signs the governance rows (principals, projects, role memberships, grants) over every column: a
 * grant or membership inserted or edited behind lakefn's back grants nothing, it fails its MAC.
 *
 * Governance II's rows (policies, attachments, boundaries, project settings) are new kinds signed at version 3 over
 * every column: a policy document, attachment or boundary changed behind lakefn's back fails its MAC.
 */
export const MAC_LAYOUTS: Readonly<Record<MacKind, Readonly<Record<number, readonly string[]>>>> = {
  connection: {
    2: [
      'id', 'name', 'provider', 'region', 'allow_unknown_region', 'role_arn', 'namespace', 'code_bucket', 'external_id',
      'comment', 'status', 'status_detail', 'version', 'created_at', 'updated_at',
    ],
    3: [
      'id', 'project_id', 'name', 'owner_id', 'provider', 'region', 'allow_unknown_region', 'role_arn', 'namespace', 'code_bucket',
      'external_id', 'comment', 'status', 'status_detail', 'version', 'created_at', 'updated_at',
    ],
  },
  function: {
    2: ['id', 'name', 'connection_id', 'arguments', 'return_type', 'cloud_function', 'qualifier', 'properties', 'comment', 'created_at'],
    3: [
      'id', 'project_id', 'name', 'owner_id', 'connection_id', 'arguments', 'return_type', 'cloud_function', 'qualifier', 'properties',
      'comment', 'created_at',
    ],
  },
  principal: { 3: ['id', 'kind', 'name', 'built_in', 'comment', 'created_at'] },
  project: { 3: ['id', 'name', 'owner_id', 'comment', 'created_at'] },
  'role-grant': { 3: ['role_id', 'member_id', 'granted_by', 'created_at'] },
  grant: { 3: ['id', 'object_kind', 'object_id', 'privilege', 'grantee_id', 'grantor_id', 'grant_option', 'created_at'] },
  // migration 4: API tokens (the hash, never the token) and OIDC subject bindings, signed over every column like the rest
  'api-token': { 3: ['id', 'user_id', 'prefix', 'token_hash', 'comment', 'created_by', 'created_at', 'expires_at', 'last_used_at'] },
  'oidc-subject': { 3: ['user_id', 'subject', 'created_at'] },
  policy: { 3: ['id', 'name', 'document', 'comment', 'owner_id', 'created_at', 'updated_at'] },
  'policy-attachment': { 3: ['id', 'policy_name', 'principal_id', 'attached_by', 'created_at'] },
  boundary: { 3: ['id', 'target_kind', 'target_id', 'policy_name', 'set_by', 'created_at'] },
  'project-setting': { 3: ['project_id', 'object_privileges', 'changed_by', 'changed_at'] },
  package: { 3: ['id', 'project_id', 'name', 'owner_id', 'comment', 'created_at'] },
  'package-object': { 3: ['package_id', 'function_id', 'privileges', 'added_by', 'created_at'] },
  'package-allow': { 3: ['package_id', 'project_id', 'label', 'allowed_by', 'created_at'] },
  'package-install': { 3: ['id', 'package_id', 'project_id', 'installed_by', 'created_at'] },
  'package-grant': { 3: ['install_id', 'grantee_id', 'granted_by', 'created_at'] },
  'function-label': { 3: ['function_id', 'label', 'set_by', 'created_at'] },
};

/** The version new rows are signed with, and the only one a read accepts. */
export const CURRENT_MAC_VERSION = 3;

const DOMAIN = 'lakefn.catalog-row-mac';
const KEY_ID_DOMAIN = 'lakefn.store-key-id';
const TAGS = { null: Uint8Array.of(0), text: Uint8Array.of(1), integer: Uint8Array.of(2) } as const;

/**
 * The MAC of one row: HMAC-SHA256 (hex) over a canonical encoding of
 *   domain, kind, MAC version, key id, number of columns, then for each column of the version's layout:
 *   its name, then its value as a type tag (NULL / text / integer) and, unless NULL, its UTF-8 text.
 * Every string is length-prefixed (4-byte big-endian byte count), so no two different rows (or layouts, kinds,
 * versions) encode to the same bytes. The values are the stored column values, exactly as the database returns
 * them, so the check runs on what is in the row before anything is decoded. Including the column names makes a
 * new layout safe by construction: a v3 that adds `project` can never collide with a v2 encoding.
 */
export function computeRowMac(key: Buffer, kind: MacKind, version: number, keyId: string, columns: Readonly<Record<string, SqlValue>>): string {
  const layout = macLayout(kind, version);
  // the encoding is built in memory and hashed in one update: one native call instead of one per piece
  const parts: Uint8Array[] = [];
  const text = (value: string): void => {
    const bytes = Buffer.from(value, 'utf8');
    parts.push(uint32(bytes.length), bytes);
  };
  text(DOMAIN);
  text(kind);
  parts.push(uint32(version));
  text(keyId);
  parts.push(uint32(layout.length));
  for (const column of layout) {
    text(column);
    const value = columns[column];
    if (value === null || value === undefined) {
      parts.push(TAGS.null);
    } else if (typeof value === 'number') {
      parts.push(TAGS.integer);
      text(String(value));
    } else {
      parts.push(TAGS.text);
      text(value);
    }
  }
  return createHmac('sha256', key).update(Buffer.concat(parts)).digest('hex');
}

/** Constant-time comparison of a stored MAC (hex text) with the expected one. */
export function macMatches(expected: string, stored: unknown): boolean {
  if (typeof stored !== 'string' || !/^[0-9a-f]{64}$/.test(stored)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(stored, 'hex'));
}

/**
 * A key's id: the first 16 hex digits of HMAC-SHA256(key, domain). Stored with every row so a row names the key
 * that signed it (rotation, and a clear message when a node holds another key); reveals nothing about the key.
 */
export function storeKeyId(key: Buffer): string {
  return createHmac('sha256', key).update(KEY_ID_DOMAIN).digest('hex').slice(0, 16);
}

export function macLayout(kind: MacKind, version: number): readonly string[] {
  const layout = MAC_LAYOUTS[kind][version];
  if (layout === undefined) throw new Error(`no ${kind} MAC layout for version ${version}`);
  return layout;
}

function uint32(value: number): Uint8Array {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}
