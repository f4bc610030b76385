import { LakefnError } from '../errors/index.ts';
import type { ConnectionRecord, ConnectionStatus } from '../spec/connection-record.ts';
import type { FunctionArgument, FunctionProperties, FunctionRecord } from '../spec/function-record.ts';
import { isProviderName } from '../registry/providers.ts';
import type { SqlType } from '../spec/sql-type.ts';
import { CONNECTION_COLUMNS, FUNCTION_COLUMNS } from './catalog-schema.ts';
import { computeRowMac, verifyRowMac } from './row-mac.ts';

export type SqlValue = string | number | null;
export type SqlRow = Readonly<Record<string, unknown>>;

const STATUSES: readonly ConnectionStatus[] = ['PENDING', 'VERIFIED', 'FAILED', 'INSECURE_TRUST_POLICY'];

/** Column values of a connection row, in CONNECTION_COLUMNS order (the MAC computed with `key`). */
export function connectionRowValues(record: ConnectionRecord, key: Buffer): SqlValue[] {
  const values: Record<(typeof CONNECTION_COLUMNS)[number], SqlValue> = {
    name: record.name,
    id: record.id,
    provider: record.provider,
    region: record.region,
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
    row_mac: computeRowMac(key, record),
  };
  return CONNECTION_COLUMNS.map((column) => values[column]);
}

/**
 * Decodes a connection row and verifies its MAC (E_STORE_TAMPERED naming the connection on mismatch).
 * `verify: false` only for DROP, which must work on a row that fails the check.
 */
export function connectionFromRow(row: SqlRow, key: Buffer, location: string, options: { readonly verify?: boolean } = {}): ConnectionRecord {
  const name = text(row, 'name', location);
  const id = text(row, 'id', location);
  const provider = text(row, 'provider', location);
  const roleArn = text(row, 'role_arn', location);
  const externalId = text(row, 'external_id', location);
  // the MAC is checked on the raw text first, so a tampered provider reports as tampering, not corruption
  if (options.verify !== false) verifyRowMac(key, { name, id, provider, roleArn, externalId }, text(row, 'row_mac', location), location);
  const status = text(row, 'status', location);
  return {
    id,
    name,
    provider: isProviderName(provider) ? provider : corrupt(location, `connection '${name}' has unknown provider '${provider}'`),
    region: text(row, 'region', location),
    roleArn,
    namespace: text(row, 'namespace', location),
    codeBucket: optionalText(row, 'code_bucket', location),
    externalId,
    comment: optionalText(row, 'comment', location),
    status: (STATUSES as readonly string[]).includes(status) ? (status as ConnectionStatus) : corrupt(location, `connection '${name}' has unknown status '${status}'`),
    statusDetail: optionalText(row, 'status_detail', location),
    version: integer(row, 'version', location),
    createdAt: text(row, 'created_at', location),
    updatedAt: text(row, 'updated_at', location),
  };
}

/** Column values of a function row, in FUNCTION_COLUMNS order; types and properties as JSON text. */
export function functionRowValues(record: FunctionRecord): SqlValue[] {
  const values: Record<(typeof FUNCTION_COLUMNS)[number], SqlValue> = {
    name: record.name,
    id: record.id,
    connection_name: record.connectionName,
    arguments: JSON.stringify(record.arguments),
    return_type: JSON.stringify(record.returnType),
    cloud_function: record.cloudFunction,
    qualifier: record.qualifier,
    properties: JSON.stringify(record.properties),
    comment: record.comment,
    created_at: record.createdAt,
  };
  return FUNCTION_COLUMNS.map((column) => values[column]);
}

export function functionFromRow(row: SqlRow, location: string): FunctionRecord {
  const name = text(row, 'name', location);
  return {
    id: text(row, 'id', location),
    name,
    arguments: json<FunctionArgument[]>(row, 'arguments', name, location),
    returnType: json<SqlType>(row, 'return_type', name, location),
    connectionName: text(row, 'connection_name', location),
    cloudFunction: text(row, 'cloud_function', location),
    qualifier: optionalText(row, 'qualifier', location),
    properties: json<FunctionProperties>(row, 'properties', name, location),
    comment: optionalText(row, 'comment', location),
    createdAt: text(row, 'created_at', location),
  };
}

function text(row: SqlRow, column: string, location: string): string {
  const value = row[column];
  return typeof value === 'string' ? value : corrupt(location, `column ${column} holds ${typeof value}, expected text`);
}

function optionalText(row: SqlRow, column: string, location: string): string | null {
  const value = row[column];
  return value === null ? null : text(row, column, location);
}

function integer(row: SqlRow, column: string, location: string): number {
  const value = row[column];
  const number = typeof value === 'bigint' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : corrupt(location, `column ${column} is not an integer`);
}

function json<T>(row: SqlRow, column: string, name: string, location: string): T {
  try {
    return JSON.parse(text(row, column, location)) as T;
  } catch (error) {
    if (LakefnError.isInstance(error)) throw error;
    return corrupt(location, `function '${name}' has malformed JSON in column ${column}`);
  }
}

function corrupt(location: string, detail: string): never {
  throw new LakefnError('E_STORE', `the catalog in ${location} is corrupt: ${detail}; restore it from backup`);
}
