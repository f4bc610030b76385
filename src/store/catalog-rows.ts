import { LakefnError } from '../errors/index.ts';
import type { ConnectionRecord, ConnectionStatus } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import type { ObjectPlacement, Placed } from '../spec/governance-records.ts';
import { isProviderName } from '../registry/providers.ts';
import { tamperedRow, type TamperReason } from './catalog-errors.ts';
import { CONNECTION_COLUMNS, FUNCTION_COLUMNS } from './catalog-schema.ts';
import { regionAcceptedAsUnknown, revalidateConnection, revalidateFunction } from './revalidate-records.ts';
import { computeRowMac, CURRENT_MAC_VERSION, macLayout, macMatches, type MacKind } from './row-mac.ts';
import type { SqlRow, SqlValue } from './sql-value.ts';
import type { StoreKey, StoreKeyring } from './store-keyring.ts';

const STATUSES: readonly ConnectionStatus[] = ['PENDING', 'VERIFIED', 'FAILED', 'INSECURE_TRUST_POLICY'];

/** Column values of a connection row, in CONNECTION_COLUMNS order, signed with `key`. */
export function connectionRowValues(record: ConnectionRecord, placement: ObjectPlacement, key: StoreKey): SqlValue[] {
  return signedValues('connection', CONNECTION_COLUMNS, {
    id: record.id,
    project_id: placement.projectId,
    name: record.name,
    owner_id: placement.ownerId,
    provider: record.provider,
    region: record.region,
    allow_unknown_region: regionAcceptedAsUnknown(record) ? 1 : 0,
    role_arn: record.roleArn,
    namespace: record.namespace,
    code_bucket: record.codeBucket,
    external_id: record.externalId,
    comment: record.comment,
    status: record.status,
    status_detail: record.statusDetail,
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  }, key);
}

/** Column values of a function row, in FUNCTION_COLUMNS order, signed with `key`; types and properties as JSON text. */
export function functionRowValues(record: FunctionRecord, placement: ObjectPlacement, key: StoreKey): SqlValue[] {
  return signedValues('function', FUNCTION_COLUMNS, {
    id: record.id,
    project_id: placement.projectId,
    name: record.name,
    owner_id: placement.ownerId,
    connection_id: record.connectionId,
    arguments: JSON.stringify(record.arguments),
    return_type: JSON.stringify(record.returnType),
    cloud_function: record.cloudFunction,
    qualifier: record.qualifier,
    properties: JSON.stringify(record.properties),
    comment: record.comment,
    created_at: record.createdAt,
  }, key);
}

/**
 * The same row's values signed again (key rotation, migrations): the stored values are kept byte for byte;
 * only the MAC version, key id and MAC change. The caller has verified the row first. A migration signs with the
 * version its schema has (`version`); everything else with the current one.
 */
export function resignedMacValues(kind: MacKind, row: SqlRow, key: StoreKey, version = CURRENT_MAC_VERSION): [number, string, string] {
  const columns = Object.fromEntries(macLayout(kind, version).map((column) => [column, sqlValue(row, column)]));
  return [version, key.id, computeRowMac(key.key, kind, version, key.id, columns)];
}

/** Whether a row carries a valid MAC of `version` (migrations: a row is re-signed only if its old MAC verifies). */
export function verifiesWithMacVersion(kind: MacKind, row: SqlRow, keyring: StoreKeyring, version: number): boolean {
  if (row['mac_version'] !== version) return false;
  const keyId = row['mac_key_id'];
  if (typeof keyId !== 'string') return false;
  const key = keyring.forId(keyId);
  if (key === undefined) return false;
  const columns: Record<string, SqlValue> = {};
  for (const column of macLayout(kind, version)) {
    const value = row[column];
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') return false;
    columns[column] = value;
  }
  return macMatches(computeRowMac(key, kind, version, keyId, columns), row['row_mac']);
}

/** How many verified records a decoder remembers (a catalog's hot functions and connections). */
const REMEMBERED_RECORDS = 4096;

/**
 * Turns rows into records, trusting none: each row's MAC is checked first (on the raw values, with the key the
 * row names), then the column types, then the rules CREATE applies; any failure is E_STORE_TAMPERED naming the
 * object. The MAC is checked on every read. The validation result is remembered per MAC: a row whose MAC verifies
 * holds exactly the values that were validated under that MAC, so validating them again could only repeat the
 * answer (the expensive part of a read: it re-parses the definition).
 */
export class RowDecoder {
  readonly #keyring: StoreKeyring;
  readonly #location: string;
  readonly #remembered = new Map<string, Placed<ConnectionRecord> | Placed<FunctionRecord>>();

  constructor(keyring: StoreKeyring, location: string) {
    this.#keyring = keyring;
    this.#location = location;
  }

  connection(row: SqlRow): Placed<ConnectionRecord> {
    const name = rowName(row);
    const mac = verifyRow('connection', row, name, this.#keyring, this.#location);
    return this.#remember(`connection:${mac}`, () => checked('connection', name, this.#location, () => ({ ...decodePlacement(row), record: decodeConnection(row, name) })));
  }

  /** `connection` is the (already verified) connection the row's connection_id names. */
  function(row: SqlRow, connection: ConnectionRecord): Placed<FunctionRecord> {
    const name = rowName(row);
    const mac = verifyRow('function', row, name, this.#keyring, this.#location);
    // the provider and name come from the connection: its id and version identify them
    const key = `function:${mac}:${connection.id}:${connection.version}:${connection.name}`;
    return this.#remember(key, () => checked('function', name, this.#location, () => ({ ...decodePlacement(row), record: decodeFunction(row, name, connection) })));
  }

  #remember<T extends Placed<ConnectionRecord> | Placed<FunctionRecord>>(key: string, decode: () => T): T {
    const known = this.#remembered.get(key) as T | undefined;
    if (known !== undefined) {
      this.#remembered.delete(key);
      this.#remembered.set(key, known);
      return known;
    }
    const record = decode();
    this.#remembered.set(key, record);
    if (this.#remembered.size > REMEMBERED_RECORDS) this.#remembered.delete(this.#remembered.keys().next().value ?? key);
    return record;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The project and owner columns of a connection or function row (ids; the principals and projects are checked where they are used). */
function decodePlacement(row: SqlRow): ObjectPlacement {
  const projectId = text(row, 'project_id');
  const ownerId = text(row, 'owner_id');
  if (!UUID.test(projectId) || !UUID.test(ownerId)) throw invalid('project_id or owner_id is not a UUID');
  return { projectId, ownerId };
}

function decodeConnection(row: SqlRow, name: string): ConnectionRecord {
  const provider = text(row, 'provider');
  const status = text(row, 'status');
  const allowUnknownRegion = integer(row, 'allow_unknown_region');
  if (!isProviderName(provider)) throw invalid(`unknown provider '${provider}'`);
  if (!(STATUSES as readonly string[]).includes(status)) throw invalid(`unknown status '${status}'`);
  if (allowUnknownRegion !== 0 && allowUnknownRegion !== 1) throw invalid('allow_unknown_region is neither 0 nor 1');
  const record: ConnectionRecord = {
    id: text(row, 'id'),
    name,
    provider,
    region: text(row, 'region'),
    roleArn: text(row, 'role_arn'),
    namespace: text(row, 'namespace'),
    codeBucket: optionalText(row, 'code_bucket'),
    externalId: text(row, 'external_id'),
    comment: optionalText(row, 'comment'),
    status: status as ConnectionStatus,
    statusDetail: optionalText(row, 'status_detail'),
    version: integer(row, 'version'),
    createdAt: text(row, 'created_at'),
    updatedAt: text(row, 'updated_at'),
  };
  revalidateConnection(record, allowUnknownRegion === 1);
  return record;
}

function decodeFunction(row: SqlRow, name: string, connection: ConnectionRecord): FunctionRecord {
  if (text(row, 'connection_id') !== connection.id) throw invalid('its connection_id does not name the connection it was read with');
  const stored = {
    id: text(row, 'id'),
    name,
    arguments: json(row, 'arguments'),
    returnType: json(row, 'return_type'),
    cloudFunction: text(row, 'cloud_function'),
    qualifier: optionalText(row, 'qualifier'),
    properties: json(row, 'properties'),
    comment: optionalText(row, 'comment'),
    createdAt: text(row, 'created_at'),
  };
  const definition = revalidateFunction(stored, connection);
  return {
    id: stored.id,
    name,
    arguments: definition.arguments,
    returnType: definition.returnType,
    connectionId: connection.id,
    connectionName: connection.name,
    cloudFunction: stored.cloudFunction,
    qualifier: stored.qualifier,
    properties: definition.properties,
    comment: stored.comment,
    createdAt: stored.createdAt,
  };
}

/** A row's name for messages, whatever the row holds. */
export function rowName(row: SqlRow): string {
  const name = row['name'];
  return typeof name === 'string' ? name : '(a row without a name)';
}

/**
 * The MAC check on the raw row: the version it was signed with, the key its key id names, the MAC itself. Returns the
 * MAC. A failure is E_STORE_TAMPERED naming the row (`name`: its name, or a description for rows without one).
 */
export function verifyRow(kind: MacKind, row: SqlRow, name: string, keyring: StoreKeyring, location: string): string {
  const fail = (reason: TamperReason): never => {
    throw tamperedRow(kind, name, location, reason);
  };
  const version = row['mac_version'];
  if (typeof version === 'number' && version >= 1 && version < CURRENT_MAC_VERSION) fail({ kind: 'upgrade', version });
  if (version !== CURRENT_MAC_VERSION) fail({ kind: 'mac-version', version: String(version) });
  const keyId = row['mac_key_id'];
  if (typeof keyId !== 'string') return fail({ kind: 'mac' });
  const key = keyring.forId(keyId);
  if (key === undefined) return fail({ kind: 'key', rowKeyId: keyId, keyId: keyring.current().id, keyFile: keyring.path });
  const columns: Record<string, SqlValue> = {};
  for (const column of macLayout(kind, CURRENT_MAC_VERSION)) {
    const value = row[column];
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') return fail({ kind: 'mac' });
    columns[column] = value;
  }
  const mac = computeRowMac(key, kind, CURRENT_MAC_VERSION, keyId, columns);
  return macMatches(mac, row['row_mac']) ? mac : fail({ kind: 'mac' });
}

export function signedValues(kind: MacKind, order: readonly string[], columns: Readonly<Record<string, SqlValue>>, key: StoreKey): SqlValue[] {
  const all: Record<string, SqlValue> = {
    ...columns,
    mac_version: CURRENT_MAC_VERSION,
    mac_key_id: key.id,
    row_mac: computeRowMac(key.key, kind, CURRENT_MAC_VERSION, key.id, columns),
  };
  return order.map((column) => all[column] ?? null);
}

/** Runs a decode step; a validation failure becomes E_STORE_TAMPERED naming the object. */
export function checked<T>(kind: MacKind, name: string, location: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (!LakefnError.isInstance(error)) throw error;
    throw tamperedRow(kind, name, location, { kind: 'invalid', detail: error.message });
  }
}

export function invalid(detail: string): LakefnError {
  return new LakefnError('E_STORE', detail);
}

function sqlValue(row: SqlRow, column: string): SqlValue {
  const value = row[column];
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  throw invalid(`column ${column} holds ${typeof value}`);
}

export function text(row: SqlRow, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw invalid(`column ${column} holds ${value === null ? 'NULL' : typeof value}, expected text`);
  return value;
}

export function optionalText(row: SqlRow, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

export function integer(row: SqlRow, column: string): number {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(`column ${column} is not an integer`);
  return value;
}

function json(row: SqlRow, column: string): unknown {
  try {
    return JSON.parse(text(row, column)) as unknown;
  } catch (error) {
    if (LakefnError.isInstance(error)) throw error;
    throw invalid(`column ${column} holds malformed JSON`);
  }
}
