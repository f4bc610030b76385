import { randomUUID } from 'node:crypto';
import { validateCloudFunctionName } from '../catalog/cloud-function-name.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import { providerDefinition } from '../registry/providers.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import { noSuchConnection, noSuchFunction } from '../store/catalog-errors.ts';
import { type ChangeResult, type FunctionDescriptionResult, describeFunction } from './execute-result.ts';
import type { ExecutionServices } from './execute-services.ts';
import type { CreateFunctionStatement, DescribeFunctionStatement, DropFunctionStatement } from './statement.ts';

/**
 * CREATE EXTERNAL FUNCTION: the connection must exist, and the cloud function name must follow its
 * provider's naming rules (checked here, because only the connection knows the provider); a fully qualified
 * reference (a Lambda ARN) must be in the connection's account, region and partition. `resolved` is the connection
 * when the caller has already resolved it (a connection of another project: `CONNECTION p.c`).
 */
export async function createFunction(statement: CreateFunctionStatement, services: ExecutionServices, resolved?: ConnectionRecord): Promise<ChangeResult> {
  const connection = resolved ?? (await services.store.connections.get(statement.connectionName));
  if (connection === undefined) throw noSuchConnection(statement.connectionName);
  const location = { line: statement.position.line, column: statement.position.column, function: statement.name, connection: connection.name };
  validateCloudFunctionName(connection.provider, statement.cloudFunction, statement.qualifier, location, connection);
  const record: FunctionRecord = {
    id: randomUUID(),
    name: statement.name,
    arguments: statement.arguments,
    returnType: statement.returnType,
    connectionId: connection.id,
    connectionName: connection.name,
    cloudFunction: statement.cloudFunction,
    qualifier: statement.qualifier,
    properties: statement.properties,
    comment: statement.comment,
    createdAt: (services.now?.() ?? new Date()).toISOString(),
  };
  const result = await services.store.functions.create(record, { orReplace: statement.orReplace, ifNotExists: statement.ifNotExists });
  const verb = result.outcome === 'existed' ? 'already exists (unchanged)' : result.outcome;
  return {
    kind: 'change',
    statement: statement.kind,
    position: statement.position,
    notices: result.notice === null ? [] : [result.notice],
    object: 'function',
    name: statement.name,
    outcome: result.outcome,
    message: `function '${statement.name}' ${verb}`,
    function: describeFunction(result.record, providerDefinition(connection.provider)),
  };
}

export async function describeFunctionStatement(statement: DescribeFunctionStatement, services: ExecutionServices): Promise<FunctionDescriptionResult> {
  const record = await services.store.functions.get(statement.name);
  if (record === undefined) throw noSuchFunction(statement.name);
  // the envelope a function does not set depends on its connection's provider (the connection may be another project's)
  const connection = await services.store.read((session) => session.connectionById(record.connectionId));
  const provider = connection === undefined ? undefined : providerDefinition(connection.provider);
  return { kind: 'function-description', statement: statement.kind, position: statement.position, notices: [], description: describeFunction(record, provider) };
}

export async function dropFunction(statement: DropFunctionStatement, services: ExecutionServices): Promise<ChangeResult> {
  const result = await services.store.functions.drop(statement.name, { ifExists: statement.ifExists });
  const dropped = result.dropped !== null;
  return {
    kind: 'change',
    statement: statement.kind,
    position: statement.position,
    notices: result.notice === null ? [] : [result.notice],
    object: 'function',
    name: statement.name,
    outcome: dropped ? 'dropped' : 'not-found',
    message: dropped ? `function '${statement.name}' dropped` : `function '${statement.name}' not found`,
  };
}
