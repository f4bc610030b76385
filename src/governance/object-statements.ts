import { LakefnError } from '../errors/index.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import {
  alterConnection, createConnection, describeConnectionStatement, dropConnection, rotateExternalId,
} from '../sql/execute-connection-statement.ts';
import { createFunction, describeFunctionStatement, dropFunction } from '../sql/execute-function-statement.ts';
import {
  CONNECTION_COLUMNS, connectionRow, describeConnection, describeFunction, FUNCTION_COLUMNS, functionRow, type ChangeResult, type StatementResult,
  type TableResult,
} from '../sql/execute-result.ts';
import type { ExecuteOptions } from '../sql/execute-services.ts';
import type {
  AlterConnectionSetStatement, CreateConnectionStatement, CreateFunctionStatement, DescribeConnectionStatement, DescribeFunctionStatement,
  DropConnectionStatement, DropFunctionStatement, RotateExternalIdStatement, ShowConnectionsStatement, ShowFunctionsStatement,
} from '../sql/statement.ts';
import { missingNotice } from '../store/catalog-errors.ts';
import { labelValue } from '../store/sql-label-session.ts';
import type { GovernedDependency, GovernedRequest } from './authorize-request.ts';
import { connectionResource, functionResource, projectResource, type RequestContext } from './policy/index.ts';
import type { ResolvedObject, StatementContext } from './statement-context.ts';
import type { PackageAuditFields } from './audit-events.ts';

/**
 * The connection and function statements under governance: each resolves its object (invisible = missing), asks the
 * authorization function with the privilege the table of issue 11 requires, then runs the statement's own code inside
 * the same transaction (the store is bound to it). What the handler returns as `before` goes into the ADMIN record.
 */

export interface HandlerOutcome {
  readonly result: StatementResult;
  readonly project: string | null;
  readonly before?: unknown;
  /** A package statement's package and the projects on both sides (the audit records both). */
  readonly package?: PackageAuditFields;
}

const OWNERSHIP_ONLY = { accepted: [], ownership: true } as const;

function connectionContext(connection: Pick<ConnectionRecord, 'provider' | 'region'>): RequestContext {
  return { 'lakefn:Provider': connection.provider, 'lakefn:Region': connection.region };
}

function functionContext(connection: ConnectionRecord): RequestContext {
  return { ...connectionContext(connection), 'lakefn:ConnectionName': connection.name };
}

export async function createConnectionGoverned(context: StatementContext, statement: CreateConnectionStatement): Promise<HandlerOutcome> {
  const project = await context.project(statement.project);
  const existing = await context.session.placedConnection(project.id, statement.name).catch(ignoreTampered);
  const dependencies: GovernedDependency[] = [];
  if (existing !== undefined && statement.orReplace) {
    dependencies.push({
      as: 'caller',
      principal: context.principal,
      request: {
        action: 'lakefn:DropConnection',
        resource: connectionResource(project.name, statement.name),
        context: connectionContext(existing.record),
        privilege: { kind: 'object', object: { kind: 'connection', id: existing.record.id, displayName: `${project.name}.${statement.name}`, ownerId: existing.ownerId }, ...OWNERSHIP_ONLY },
      },
    });
  }
  context.require({
    action: 'lakefn:CreateConnection',
    resource: connectionResource(project.name, statement.name),
    context: connectionContext(statement.fields),
    privilege: { kind: 'object', object: context.projectObject(project), accepted: ['CREATE CONNECTION'], ownership: true },
    dependencies,
  }, project.name);
  const before = existing !== undefined && statement.orReplace ? await describeConnection(existing.record, context.services.environment ?? process.env, context.services.config) : undefined;
  const result = await createConnection(statement, context.servicesIn(project));
  return { result, project: project.name, ...(before === undefined ? {} : { before }) };
}

export async function describeConnectionGoverned(context: StatementContext, statement: DescribeConnectionStatement): Promise<HandlerOutcome> {
  const resolved = await context.connection(statement.name, statement.project, 'lakefn:DescribeConnection');
  context.require(connectionRequest('lakefn:DescribeConnection', resolved, ['USAGE', 'DESCRIBE']), resolved.project.name);
  return { result: await describeConnectionStatement({ ...statement, name: resolved.placed.record.name }, context.servicesIn(resolved.project)), project: resolved.project.name };
}

export async function showConnectionsGoverned(context: StatementContext, statement: ShowConnectionsStatement): Promise<HandlerOutcome> {
  const project = await context.project(statement.project);
  context.require({ action: 'lakefn:ListConnections', resource: projectResource(project.name) }, project.name);
  const visible = (await context.session.placedConnections(project.id, statement.like)).filter((placed) => context.objectVisible('connection', placed.record.id, placed.ownerId, project.name));
  const result: TableResult = {
    kind: 'table', statement: statement.kind, position: statement.position, notices: [], columns: CONNECTION_COLUMNS, rows: visible.map((placed) => connectionRow(placed.record)),
  };
  return { result, project: project.name };
}

export async function alterConnectionGoverned(context: StatementContext, statement: AlterConnectionSetStatement, options: ExecuteOptions): Promise<HandlerOutcome> {
  const resolved = await context.connection(statement.name, statement.project, 'lakefn:AlterConnection');
  const after = { provider: statement.changes.provider ?? resolved.placed.record.provider, region: statement.changes.region ?? resolved.placed.record.region };
  context.require({ ...connectionRequest('lakefn:AlterConnection', resolved, []), context: connectionContext(after) }, resolved.project.name);
  const before = await describeConnection(resolved.placed.record, context.services.environment ?? process.env, context.services.config);
  return { result: await alterConnection({ ...statement, name: resolved.placed.record.name }, context.servicesIn(resolved.project), options), project: resolved.project.name, before };
}

export async function rotateExternalIdGoverned(context: StatementContext, statement: RotateExternalIdStatement): Promise<HandlerOutcome> {
  const resolved = await context.connection(statement.name, statement.project, 'lakefn:RotateExternalId');
  context.require(connectionRequest('lakefn:RotateExternalId', resolved, []), resolved.project.name);
  const before = await describeConnection(resolved.placed.record, context.services.environment ?? process.env, context.services.config);
  return { result: await rotateExternalId({ ...statement, name: resolved.placed.record.name }, context.servicesIn(resolved.project)), project: resolved.project.name, before };
}

/** VALIDATE's first phase (before the provider is asked): the connection, if the principal may validate it. */
export async function authorizeValidation(context: StatementContext, name: string, project: string | null | undefined): Promise<ResolvedObject<ConnectionRecord>> {
  const resolved = await context.connection(name, project, 'lakefn:ValidateConnection');
  context.require(connectionRequest('lakefn:ValidateConnection', resolved, []), resolved.project.name);
  return resolved;
}

export async function dropConnectionGoverned(context: StatementContext, statement: DropConnectionStatement): Promise<HandlerOutcome> {
  const project = await context.project(statement.project);
  let resolved: ResolvedObject<ConnectionRecord> | undefined;
  try {
    resolved = await context.connection(statement.name, statement.project, 'lakefn:DropConnection');
  } catch (error) {
    if (!LakefnError.isInstance(error)) throw error;
    if (error.code === 'E_NO_SUCH_CONNECTION' && statement.ifExists) return notFound(statement, 'connection', project.name);
    if (error.code !== 'E_STORE_TAMPERED') throw error;
    // a row that fails its integrity check has no trustworthy owner: only administrators may remove it
    context.require({ action: 'lakefn:DropConnection', resource: connectionResource(project.name, statement.name), privilege: { kind: 'administrators' } }, project.name);
  }
  if (resolved !== undefined) {
    const dependencies: GovernedDependency[] = [];
    if (statement.cascade) {
      for (const fn of await context.session.functionsUsing(resolved.placed.record.id)) {
        const placement = context.session.placementOf(fn.id);
        const fnProject = placement === undefined ? undefined : await context.session.governance.projectById(placement.projectId);
        if (placement === undefined || fnProject === undefined) continue;
        dependencies.push({
          as: 'caller',
          principal: context.principal,
          request: {
            action: 'lakefn:DropFunction',
            resource: functionResource(fnProject.name, fn.name),
            context: functionContext(resolved.placed.record),
            privilege: { kind: 'object', object: { kind: 'function', id: fn.id, displayName: `${fnProject.name}.${fn.name}`, ownerId: placement.ownerId }, ...OWNERSHIP_ONLY },
          },
        });
      }
    }
    context.require({ ...connectionRequest('lakefn:DropConnection', resolved, []), dependencies }, project.name);
  }
  const before = resolved === undefined ? undefined : await describeConnection(resolved.placed.record, context.services.environment ?? process.env, context.services.config);
  const result = await dropConnection({ ...statement, name: resolved?.placed.record.name ?? statement.name }, context.servicesIn(resolved?.project ?? project));
  return { result, project: project.name, ...(before === undefined ? {} : { before }) };
}

export async function createFunctionGoverned(context: StatementContext, statement: CreateFunctionStatement): Promise<HandlerOutcome> {
  const { project, local } = await context.functionLocation(statement.name, statement.project);
  // the connection is in the function's project unless named otherwise (named explicitly only when the function's was)
  const connectionProject = statement.connectionProject ?? (project.name === context.currentProjectName ? null : project.name);
  const connection = await context.connection(statement.connectionName, connectionProject, 'lakefn:UseConnection');
  const existing = await context.session.placedFunction(project.id, local).catch(ignoreTampered);
  const dependencies: GovernedDependency[] = [
    { as: 'caller', principal: context.principal, request: connectionRequest('lakefn:UseConnection', connection, ['USAGE']) },
  ];
  if (existing !== undefined && statement.orReplace) {
    dependencies.push({
      as: 'caller',
      principal: context.principal,
      request: {
        action: 'lakefn:DropFunction',
        resource: functionResource(project.name, local),
        context: functionContext(connection.placed.record),
        privilege: { kind: 'object', object: { kind: 'function', id: existing.record.id, displayName: `${project.name}.${local}`, ownerId: existing.ownerId }, ...OWNERSHIP_ONLY },
      },
    });
  }
  context.require({
    action: 'lakefn:CreateFunction',
    resource: functionResource(project.name, local),
    context: functionContext(connection.placed.record),
    privilege: { kind: 'object', object: context.projectObject(project), accepted: ['CREATE FUNCTION'], ownership: true },
    dependencies,
  }, project.name);
  const before = existing !== undefined && statement.orReplace ? describeFunction(existing.record) : undefined;
  const result = await createFunction({ ...statement, name: local }, context.servicesIn(project), connection.placed.record);
  const notices = connection.project.id === project.id ? [] : [`function '${local}' of project ${project.name} uses connection ${connection.project.name}.${connection.placed.record.name} of another project`];
  return { result: { ...result, notices: [...result.notices, ...notices] }, project: project.name, ...(before === undefined ? {} : { before }) };
}

export async function describeFunctionGoverned(context: StatementContext, statement: DescribeFunctionStatement): Promise<HandlerOutcome> {
  const resolved = await context.function(statement.name, statement.project, 'lakefn:DescribeFunction');
  const connection = await context.session.connectionById(resolved.placed.record.connectionId);
  context.require({ ...functionRequest('lakefn:DescribeFunction', resolved, ['EXECUTE']), ...(connection === undefined ? {} : { context: functionContext(connection) }) }, resolved.project.name);
  const described = await describeFunctionStatement({ ...statement, name: resolved.placed.record.name }, context.servicesIn(resolved.project));
  const stored = await context.session.labels.functionLabel(resolved.placed.record.id);
  const label = labelValue(stored);
  const notices = stored.state === 'damaged' ? [...described.notices, `${stored.message}; until SET LABEL sets it again, no package reaches this function`] : described.notices;
  return { result: { ...described, notices, description: { ...described.description, sensitivity_label: label } }, project: resolved.project.name };
}

export async function showFunctionsGoverned(context: StatementContext, statement: ShowFunctionsStatement): Promise<HandlerOutcome> {
  const project = await context.project(statement.project);
  context.require({ action: 'lakefn:ListFunctions', resource: projectResource(project.name) }, project.name);
  const visible = (await context.session.placedFunctions(project.id, statement.like)).filter((placed) => context.objectVisible('function', placed.record.id, placed.ownerId, project.name));
  const result: TableResult = {
    kind: 'table', statement: statement.kind, position: statement.position, notices: [], columns: FUNCTION_COLUMNS, rows: visible.map((placed) => functionRow(placed.record)),
  };
  return { result, project: project.name };
}

export async function dropFunctionGoverned(context: StatementContext, statement: DropFunctionStatement): Promise<HandlerOutcome> {
  const { project, local } = await context.functionLocation(statement.name, statement.project);
  let resolved: ResolvedObject<FunctionRecord> | undefined;
  try {
    resolved = await context.function(statement.name, statement.project, 'lakefn:DropFunction');
  } catch (error) {
    if (!LakefnError.isInstance(error)) throw error;
    if (error.code === 'E_NO_SUCH_FUNCTION' && statement.ifExists) return notFound(statement, 'function', project.name);
    if (error.code !== 'E_STORE_TAMPERED') throw error;
    context.require({ action: 'lakefn:DropFunction', resource: functionResource(project.name, local), privilege: { kind: 'administrators' } }, project.name);
  }
  if (resolved !== undefined) context.require(functionRequest('lakefn:DropFunction', resolved, []), project.name);
  const before = resolved === undefined ? undefined : describeFunction(resolved.placed.record);
  const result = await dropFunction({ ...statement, name: local }, context.servicesIn(project));
  return { result, project: project.name, ...(before === undefined ? {} : { before }) };
}

function connectionRequest(action: GovernedRequest['action'], resolved: ResolvedObject<ConnectionRecord>, accepted: readonly ('USAGE' | 'DESCRIBE')[]): GovernedRequest {
  return {
    action,
    resource: resolved.resource,
    context: connectionContext(resolved.placed.record),
    privilege: { kind: 'object', object: resolved.secured, accepted, ownership: true },
  };
}

function functionRequest(action: GovernedRequest['action'], resolved: ResolvedObject<FunctionRecord>, accepted: readonly 'EXECUTE'[]): GovernedRequest {
  return {
    action,
    resource: resolved.resource,
    context: { 'lakefn:ConnectionName': resolved.placed.record.connectionName },
    privilege: { kind: 'object', object: resolved.secured, accepted, ownership: true, ...(resolved.viaPackage === undefined ? {} : { packages: resolved.viaPackage }) },
  };
}

/** IF EXISTS on a missing (or invisible: the same) object: a no-op with a notice. */
function notFound(statement: DropConnectionStatement | DropFunctionStatement, object: 'connection' | 'function', project: string): HandlerOutcome {
  const result: ChangeResult = {
    kind: 'change',
    statement: statement.kind,
    position: statement.position,
    notices: [missingNotice(object, statement.name)],
    object,
    name: statement.name,
    outcome: 'not-found',
    message: `${object} '${statement.name}' not found`,
  };
  return { result, project };
}

/** A row that fails its integrity check counts as absent for CREATE's checks; the store reports it where it matters. */
function ignoreTampered(error: unknown): undefined {
  if (LakefnError.isInstance(error) && error.code === 'E_STORE_TAMPERED') return undefined;
  throw error;
}
