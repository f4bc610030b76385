import { randomUUID } from 'node:crypto';
import { generateExternalId } from '../catalog/external-id.ts';
import { validateConnectionFields } from '../catalog/validate-connection-fields.ts';
import { requireBrokerAccountId } from '../credentials/broker-identity.ts';
import { LakefnError } from '../errors/index.ts';
import type { ConnectionFields, ConnectionRecord } from '../spec/connection-record.ts';
import { noSuchConnection } from '../store/catalog-errors.ts';
import type { ConnectionChanges } from '../store/catalog-store.ts';
import { quoteIdentifier } from './quote-sql.ts';
import { type ChangeResult, type ConnectionDescriptionResult, describeConnection } from './execute-result.ts';
import type { ConnectionValidation, ExecuteOptions, ExecutionServices } from './execute-services.ts';
import type {
  AlterConnectionSetStatement, CreateConnectionStatement, DescribeConnectionStatement, DropConnectionStatement,
  RotateExternalIdStatement, ValidateConnectionStatement,
} from './statement.ts';

/** Optimistic read-modify-write attempts before a concurrent-change conflict is reported. */
const MAX_UPDATE_ATTEMPTS = 5;

export async function createConnection(statement: CreateConnectionStatement, services: ExecutionServices): Promise<ChangeResult> {
  // a partition without a broker identity (AWS China, GovCloud) could never be trusted: refuse before storing
  requireBrokerAccountId(statement.fields, environmentOf(services));
  const now = (services.now?.() ?? new Date()).toISOString();
  const record: ConnectionRecord = {
    ...statement.fields,
    id: randomUUID(),
    name: statement.name,
    externalId: generateExternalId(),
    status: 'PENDING',
    statusDetail: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const result = await services.store.connections.create(record, { orReplace: statement.orReplace, ifNotExists: statement.ifNotExists, cascade: statement.cascade });
  const notices: string[] = [];
  const name = quoteIdentifier(statement.name);
  if (result.notice !== null) notices.push(result.notice);
  if (result.previous !== null) {
    await services.onConnectionChanged?.(result.previous, result.record);
    notices.push(
      `connection '${statement.name}' was replaced by a new object with a new external ID (${result.record.externalId}); ` +
        `the role's trust policy still names the old one, so update it (DESC API CONNECTION ${name} prints it) and VALIDATE again`,
    );
    if (result.reboundFunctions.length > 0) notices.push(`${result.reboundFunctions.length} function(s) now use the new connection: ${result.reboundFunctions.join(', ')}`);
    if (result.droppedFunctions.length > 0) notices.push(`CASCADE dropped ${result.droppedFunctions.length} function(s) the new connection does not fit: ${result.droppedFunctions.join(', ')}`);
  } else if (result.outcome === 'created') {
    notices.push(`next: attach the trust policy from DESC API CONNECTION ${name} to the role, then VALIDATE API CONNECTION ${name}`);
  }
  const message = result.outcome === 'existed'
    ? `connection '${statement.name}' already exists (unchanged)`
    : `connection '${statement.name}' ${result.outcome}; external ID ${result.record.externalId}`;
  return change(statement, 'connection', result.outcome, message, notices, result.record, services);
}

export async function describeConnectionStatement(statement: DescribeConnectionStatement, services: ExecutionServices): Promise<ConnectionDescriptionResult> {
  const record = await services.store.connections.get(statement.name);
  if (record === undefined) throw noSuchConnection(statement.name);
  return { kind: 'connection-description', statement: statement.kind, position: statement.position, notices: [], description: await describeConnection(record, environmentOf(services), services.config) };
}

export async function alterConnection(statement: AlterConnectionSetStatement, services: ExecutionServices, options: ExecuteOptions): Promise<ChangeResult> {
  const location = { line: statement.position.line, column: statement.position.column, connection: statement.name };
  const { previous, current } = await updateWithRetry(services, statement.name, (stored) => {
    const requested = statement.changes;
    const merged: ConnectionFields = {
      provider: requested.provider ?? stored.provider,
      region: requested.region ?? stored.region,
      roleArn: requested.roleArn ?? stored.roleArn,
      namespace: requested.namespace ?? stored.namespace,
      codeBucket: requested.codeBucket !== undefined ? requested.codeBucket : stored.codeBucket,
      comment: requested.comment !== undefined ? requested.comment : stored.comment,
    };
    const fields = validateConnectionFields(merged, { allowUnknownRegion: options.allowUnknownRegion ?? false, location });
    requireBrokerAccountId(fields, environmentOf(services));
    // a different role, account or place has not been validated: back to PENDING
    const retarget = fields.provider !== stored.provider || fields.region !== stored.region || fields.roleArn !== stored.roleArn || fields.namespace !== stored.namespace;
    return retarget ? { ...fields, status: 'PENDING', statusDetail: null } : fields;
  });
  const notices = [`the external ID is unchanged (${current.externalId})`];
  if (current.status === 'PENDING' && previous.status !== 'PENDING') notices.push(`status reset to PENDING: run VALIDATE API CONNECTION ${quoteIdentifier(statement.name)}`);
  return change(statement, 'connection', 'altered', `connection '${statement.name}' altered (version ${current.version})`, notices, current, services);
}

export async function rotateExternalId(statement: RotateExternalIdStatement, services: ExecutionServices): Promise<ChangeResult> {
  const { previous, current } = await updateWithRetry(services, statement.name, () => ({ externalId: generateExternalId(), status: 'PENDING', statusDetail: null }));
  const name = quoteIdentifier(statement.name);
  const notices = [
    `the external ID changed from ${previous.externalId} to ${current.externalId}; AssumeRole fails until the role's trust policy names the new one: ` +
      `update it (DESC API CONNECTION ${name} prints it), then VALIDATE API CONNECTION ${name}`,
  ];
  return change(statement, 'connection', 'rotated', `connection '${statement.name}' external ID rotated`, notices, current, services);
}

/** VALIDATE's provider checks (no store access: the governed path runs them between two transactions). */
export async function runValidation(statement: ValidateConnectionStatement, services: ExecutionServices, stored: ConnectionRecord): Promise<ConnectionValidation> {
  const validate = services.validateConnection;
  if (validate === undefined) {
    throw new LakefnError('E_INTERNAL', `validation requires provider access (STS), which this lakefn instance was not given; connection '${statement.name}' is unchanged`, {
      location: { connection: statement.name },
    });
  }
  return validate(stored);
}

/**
 * Stores VALIDATE's outcome on the connection as it was validated (E_STORE_CONFLICT when it changed meanwhile). An
 * INCONCLUSIVE outcome proved nothing either way: the stored status is left as it is.
 */
export async function recordValidation(statement: ValidateConnectionStatement, services: ExecutionServices, stored: ConnectionRecord, outcome: ConnectionValidation): Promise<ChangeResult> {
  if (outcome.status === 'INCONCLUSIVE') {
    // a transient fault must never demote (or promote) a connection
    const message = `connection '${statement.name}' validation INCONCLUSIVE: ${outcome.detail ?? 'no definite answer'}; its status stays ${stored.status}`;
    return { ...(await change(statement, 'connection', 'validated', message, [], stored, services)), validation: outcome };
  }
  let current: ConnectionRecord;
  try {
    current = await services.store.connections.update(statement.name, stored.version, { status: outcome.status, statusDetail: outcome.detail });
  } catch (error) {
    if (LakefnError.isInstance(error) && error.code === 'E_STORE_CONFLICT') {
      throw new LakefnError('E_STORE_CONFLICT', `connection '${statement.name}' changed while it was being validated; run VALIDATE again`, { cause: error, location: { connection: statement.name } });
    }
    throw error;
  }
  const detail = outcome.detail === null ? '' : `: ${outcome.detail}`;
  return { ...(await change(statement, 'connection', 'validated', `connection '${statement.name}' validated: ${outcome.status}${detail}`, [], current, services)), validation: outcome };
}

export async function dropConnection(statement: DropConnectionStatement, services: ExecutionServices): Promise<ChangeResult> {
  const result = await services.store.connections.drop(statement.name, { ifExists: statement.ifExists, cascade: statement.cascade });
  if (result.dropped === null) {
    return { ...base(statement, result.notice === null ? [] : [result.notice]), kind: 'change', object: 'connection', name: statement.name, outcome: 'not-found', message: `connection '${statement.name}' not found` };
  }
  const notices: string[] = [];
  if (result.dropped.record !== null) await services.onConnectionChanged?.(result.dropped.record, null);
  else notices.push(`connection '${statement.name}' had failed its integrity check; it was dropped without being used`);
  const cascaded = result.droppedFunctions.length === 0 ? '' : ` with ${result.droppedFunctions.length} function(s): ${result.droppedFunctions.join(', ')}`;
  return {
    ...base(statement, notices),
    kind: 'change',
    object: 'connection',
    name: statement.name,
    outcome: 'dropped',
    message: `connection '${statement.name}' dropped${cascaded}`,
    droppedFunctions: result.droppedFunctions,
  };
}

/** Read, compute changes, write with the version read; on a concurrent change, start over. */
async function updateWithRetry(
  services: ExecutionServices,
  name: string,
  compute: (stored: ConnectionRecord) => ConnectionChanges,
): Promise<{ previous: ConnectionRecord; current: ConnectionRecord }> {
  for (let attempt = 1; ; attempt += 1) {
    const stored = await services.store.connections.get(name);
    if (stored === undefined) throw noSuchConnection(name);
    let current: ConnectionRecord;
    try {
      current = await services.store.connections.update(name, stored.version, compute(stored));
    } catch (error) {
      if (!(LakefnError.isInstance(error) && error.code === 'E_STORE_CONFLICT') || attempt >= MAX_UPDATE_ATTEMPTS) throw error;
      continue;
    }
    await services.onConnectionChanged?.(stored, current);
    return { previous: stored, current };
  }
}

async function change(
  statement: { readonly kind: ChangeResult['statement']; readonly position: ChangeResult['position'] },
  object: 'connection',
  outcome: ChangeResult['outcome'],
  message: string,
  notices: readonly string[],
  record: ConnectionRecord,
  services: ExecutionServices,
): Promise<ChangeResult> {
  const connection = await describeConnection(record, environmentOf(services), services.config);
  return { ...base(statement, notices), kind: 'change', object, name: record.name, outcome, message, connection };
}

function base(statement: { readonly kind: ChangeResult['statement']; readonly position: ChangeResult['position'] }, notices: readonly string[]) {
  return { statement: statement.kind, position: statement.position, notices };
}

function environmentOf(services: ExecutionServices): Readonly<Record<string, string | undefined>> {
  return services.environment ?? process.env;
}
