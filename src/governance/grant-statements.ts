import { randomUUID } from 'node:crypto';
import { LakefnError } from '../errors/index.ts';
import type { ConnectionRecord } from '../spec/connection-record.ts';
import type { FunctionRecord } from '../spec/function-record.ts';
import { BUILT_IN_ROLE_IDS, type GrantRecord, type Placed, type PrincipalRecord, type Privilege, type ProjectRecord } from '../spec/governance-records.ts';
import type { ChangeResult, TableCell, TableResult } from '../sql/execute-result.ts';
import type {
  GrantOwnershipStatement, GrantPrivilegeStatement, ObjectReference, RevokePrivilegeStatement, ShowGrantsOnStatement, ShowGrantsToStatement,
} from '../sql/statement.ts';
import type { SecuredObject } from './access-model.ts';
import { authorizeRequest } from './authorize-request.ts';
import { abandonedGrants } from './grant-dependencies.ts';
import type { HandlerOutcome } from './object-statements.ts';
import { packageGrantRowsTo } from './package-grant-statements.ts';
import type { ResourceName } from './policy/index.ts';
import type { StatementContext } from './statement-context.ts';

/**
 * GRANT / REVOKE of object privileges, GRANT OWNERSHIP, SHOW GRANTS ON / TO. Every grant records the authority it
 * rests on (`grantorId`: the owner for grants by an owner or administrator, else the granting principal, who must hold
 * the privilege WITH GRANT OPTION); REVOKE follows those links for CASCADE and RESTRICT (grant-dependencies.ts).
 */

interface Securable {
  readonly secured: SecuredObject;
  readonly resource: ResourceName;
  readonly project: ProjectRecord;
  readonly record: ProjectRecord | Placed<ConnectionRecord> | Placed<FunctionRecord>;
}

export async function grantPrivilegeGoverned(context: StatementContext, statement: GrantPrivilegeStatement): Promise<HandlerOutcome> {
  const target = await context.securable(statement.object, 'lakefn:Grant');
  const grantee = context.principalNamed(statement.grantee);
  refuseSuperAdministratorGrantee(grantee);
  for (const privilege of statement.privileges) context.require(grantRequest(context, target, 'lakefn:Grant', privilege), target.project.name, 'always');
  const grantorId = authorityOf(context, target.secured);
  const existing = await context.session.governance.grantsOn(target.secured.kind, target.secured.id);
  const notices: string[] = [];
  const now = new Date().toISOString();
  for (const privilege of statement.privileges) {
    const same = existing.find((grant) => grant.privilege === privilege && grant.granteeId === grantee.id && grant.grantorId === grantorId);
    if (same === undefined) {
      await context.session.governance.insertGrant({
        id: randomUUID(), objectKind: target.secured.kind, objectId: target.secured.id, privilege, granteeId: grantee.id, grantorId, grantOption: statement.grantOption, createdAt: now,
      });
    } else if (statement.grantOption && !same.grantOption) {
      await context.session.governance.deleteGrant(same.id);
      await context.session.governance.insertGrant({ ...same, grantOption: true });
    } else {
      notices.push(`${grantee.kind} ${grantee.name} already holds ${privilege} on ${what(target.secured)}${same.grantOption ? ' WITH GRANT OPTION' : ''}; unchanged`);
    }
  }
  const option = statement.grantOption ? ' WITH GRANT OPTION' : '';
  return change(statement, target, 'privilege', 'granted', `granted ${statement.privileges.join(', ')} on ${what(target.secured)} to ${grantee.kind} ${grantee.name}${option}`, notices);
}

export async function revokePrivilegeGoverned(context: StatementContext, statement: RevokePrivilegeStatement): Promise<HandlerOutcome> {
  const target = await context.securable(statement.object, 'lakefn:Revoke');
  const grantee = context.principalNamed(statement.grantee);
  for (const privilege of statement.privileges) context.require(grantRequest(context, target, 'lakefn:Revoke', privilege), target.project.name, 'always');
  const authority = authorityOf(context, target.secured);
  const governance = context.session.governance;
  const before = await governance.grantsOn(target.secured.kind, target.secured.id);
  // an owner or administrator revokes the grantee's grants whoever made them; anyone else only those they made
  const targets = before.filter((grant) => statement.privileges.includes(grant.privilege) && grant.granteeId === grantee.id
    && (authority === target.secured.ownerId || grant.grantorId === authority) && (!statement.grantOptionOnly || grant.grantOption));
  const notices: string[] = [];
  if (targets.length === 0) {
    notices.push(`${grantee.kind} ${grantee.name} holds no ${statement.grantOptionOnly ? 'grant option for ' : ''}${statement.privileges.join(', ')} on ${what(target.secured)} that you granted; nothing was revoked`);
  }
  const remaining = before.filter((grant) => !targets.includes(grant));
  if (statement.grantOptionOnly) remaining.push(...targets.map((grant) => ({ ...grant, grantOption: false })));
  const abandoned = abandonedGrants(remaining, target.secured.ownerId, (id) => idsOf(context, id), (id) => isAdministrator(context, id));
  if (abandoned.length > 0 && !statement.cascade) {
    throw new LakefnError(
      'E_DEPENDENT_GRANTS',
      `revoking ${statement.privileges.join(', ')} on ${what(target.secured)} from ${grantee.kind} ${grantee.name} would leave ${abandoned.length} grant(s) made on its authority: ` +
        `${describeGrants(context, abandoned)}; nothing was revoked. Add CASCADE to revoke them too (RESTRICT is the default)`,
      { data: { dependents: abandoned.map((grant) => grant.id) } },
    );
  }
  for (const grant of targets) {
    await governance.deleteGrant(grant.id);
    if (statement.grantOptionOnly) await governance.insertGrant({ ...grant, grantOption: false });
  }
  for (const grant of abandoned) await governance.deleteGrant(grant.id);
  if (abandoned.length > 0) notices.push(`CASCADE revoked ${abandoned.length} dependent grant(s): ${describeGrants(context, abandoned)}`);
  const what_ = statement.grantOptionOnly ? `grant option for ${statement.privileges.join(', ')}` : statement.privileges.join(', ');
  return { ...change(statement, target, 'privilege', 'revoked', `revoked ${what_} on ${what(target.secured)} from ${grantee.kind} ${grantee.name}`, notices), before: before.map((grant) => grantView(context, grant)) };
}

export async function grantOwnershipGoverned(context: StatementContext, statement: GrantOwnershipStatement): Promise<HandlerOutcome> {
  const target = await context.securable(statement.object, 'lakefn:TransferOwnership');
  const owner = context.principalNamed(statement.grantee);
  context.require({ action: 'lakefn:TransferOwnership', resource: target.resource, privilege: { kind: 'object', object: target.secured, accepted: [], ownership: true } }, target.project.name, 'always');
  const previous = target.secured.ownerId;
  const notices: string[] = [];
  if (previous === owner.id) {
    notices.push(`${owner.kind} ${owner.name} already owns ${what(target.secured)}; unchanged`);
    return change(statement, target, 'ownership', 'transferred', `${what(target.secured)} is owned by ${owner.kind} ${owner.name}`, notices);
  }
  await setOwner(context, target, owner.id);
  // grants made on the previous owner's authority now rest on the new owner's
  for (const grant of await context.session.governance.grantsOn(target.secured.kind, target.secured.id)) {
    if (grant.grantorId === previous) await context.session.governance.setGrantor(grant, owner.id);
  }
  if (target.secured.kind === 'function') notices.push(...(await definerRightsNotice(context, target, owner)));
  const result = change(statement, target, 'ownership', 'transferred', `ownership of ${what(target.secured)} transferred from ${context.model.describe(previous)} to ${owner.kind} ${owner.name}`, notices);
  return { ...result, before: { owner: context.model.describe(previous) } };
}

export async function showGrantsOnGoverned(context: StatementContext, statement: ShowGrantsOnStatement): Promise<HandlerOutcome> {
  const target = await context.securable(statement.object, 'lakefn:ListGrants');
  context.require({
    action: 'lakefn:ListGrants',
    resource: target.resource,
    privilege: { kind: 'object', object: target.secured, accepted: everyPrivilegeOf(statement.object), ownership: true },
  }, target.project.name);
  const governance = context.session.governance;
  const grants = await governance.grantsOn(target.secured.kind, target.secured.id);
  const rows: TableCell[][] = [['OWNERSHIP', ...granteeCells(context, target.secured.ownerId), null, null, null]];
  for (const grant of grants) rows.push([grant.privilege, ...granteeCells(context, grant.granteeId), grant.grantOption ? 'YES' : 'NO', context.model.describe(grant.grantorId), grant.createdAt]);
  const result: TableResult = {
    kind: 'table', statement: statement.kind, position: statement.position, notices: damagedNotices(context), columns: ['privilege', 'grantee_kind', 'grantee', 'grant_option', 'granted_by', 'created_at'], rows,
  };
  return { result, project: target.project.name };
}

export async function showGrantsToGoverned(context: StatementContext, statement: ShowGrantsToStatement): Promise<HandlerOutcome> {
  const grantee = context.principalNamed(statement.grantee);
  const own = context.principal.ids.has(grantee.id);
  context.require({
    action: 'lakefn:ListGrants',
    privilege: own ? { kind: 'held', description: `the grants of ${grantee.kind} ${grantee.name}, held by ${context.principal.name}` } : { kind: 'role', roles: ['auditor'] },
  }, null);
  const rows: TableCell[][] = [];
  for (const membership of context.model.roleGrants.filter((entry) => entry.memberId === grantee.id)) {
    rows.push(['ROLE', 'role', context.model.principalById(membership.roleId)?.name ?? membership.roleId, null, membership.grantedBy, membership.createdAt]);
  }
  for (const grant of await context.session.governance.grantsTo([grantee.id])) {
    rows.push([grant.privilege, grant.objectKind, await objectName(context, grant.objectKind, grant.objectId), grant.grantOption ? 'YES' : 'NO', context.model.describe(grant.grantorId), grant.createdAt]);
  }
  for (const project of await context.session.governance.projects()) {
    if (project.ownerId === grantee.id) rows.push(['OWNERSHIP', 'project', project.name, null, null, project.createdAt]);
  }
  for (const owned of await context.session.objectsOwnedBy(grantee.id)) {
    rows.push(['OWNERSHIP', owned.kind, await objectName(context, owned.kind, owned.id), null, null, null]);
  }
  rows.push(...(await packageGrantRowsTo(context, grantee.id)));
  const result: TableResult = {
    kind: 'table', statement: statement.kind, position: statement.position, notices: damagedNotices(context), columns: ['privilege', 'object_kind', 'object', 'grant_option', 'granted_by', 'created_at'], rows,
  };
  return { result, project: null };
}

/** The authority a grant by this principal rests on: the owner's when it owns the object or administers the catalog. */
function authorityOf(context: StatementContext, object: SecuredObject): string {
  const principal = context.principal;
  if (principal.admin || principal.ids.has(object.ownerId)) return object.ownerId;
  const own = principal.record;
  if (own === null) return object.ownerId;
  return own.id;
}

function grantRequest(context: StatementContext, target: Securable, action: 'lakefn:Grant' | 'lakefn:Revoke', privilege: Privilege) {
  return {
    action,
    resource: target.resource,
    context: target.secured.kind === 'project' ? {} : target.secured.kind === 'connection' ? { 'lakefn:ConnectionName': target.resource.name } : { 'lakefn:FunctionName': target.resource.name },
    privilege: { kind: 'object' as const, object: target.secured, accepted: [privilege], ownership: true, grantOption: true },
  };
}

async function setOwner(context: StatementContext, target: Securable, ownerId: string): Promise<void> {
  const session = context.session;
  switch (target.secured.kind) {
    case 'project':
      await session.governance.setProjectOwner(target.record as ProjectRecord, ownerId);
      return;
    case 'connection': {
      const placed = target.record as Placed<ConnectionRecord>;
      await session.updateConnection(placed.record, placed.record, { projectId: placed.projectId, ownerId });
      return;
    }
    case 'function':
      await session.setFunctionOwner((target.record as Placed<FunctionRecord>).record, ownerId);
  }
}

/** After a function changes owner: say so when the new owner lacks USAGE on its connection (calls then fail closed). */
async function definerRightsNotice(context: StatementContext, target: Securable, owner: PrincipalRecord): Promise<string[]> {
  const fn = (target.record as Placed<FunctionRecord>).record;
  const connection = await context.session.placedConnectionById(fn.connectionId);
  if (connection === undefined) return [];
  const project = await context.session.governance.projectById(connection.projectId);
  const resolvedOwner = await context.model.resolveId(owner.id);
  const decision = authorizeRequest(context.model, resolvedOwner, {
    action: 'lakefn:UseConnection',
    resource: { type: 'connection', project: project?.name ?? connection.projectId, name: connection.record.name },
    privilege: { kind: 'object', object: { kind: 'connection', id: connection.record.id, displayName: `${project?.name ?? '?'}.${connection.record.name}`, ownerId: connection.ownerId }, accepted: ['USAGE'], ownership: true },
  });
  if (decision.allowed) return [];
  return [`${owner.kind} ${owner.name} has no USAGE on connection ${project?.name ?? '?'}.${connection.record.name}: calls of ${what(target.secured)} fail until it is granted (definer rights)`];
}

function refuseSuperAdministratorGrantee(grantee: PrincipalRecord): void {
  if (grantee.id === BUILT_IN_ROLE_IDS.super_administrator) {
    throw new LakefnError('E_BUILT_IN_ROLE', 'super_administrator already holds every privilege; grant to another user or role');
  }
}

function idsOf(context: StatementContext, id: string): ReadonlySet<string> {
  const ids = context.model.rolesHeldBy(id);
  ids.add(id);
  return ids;
}

function isAdministrator(context: StatementContext, id: string): boolean {
  const ids = idsOf(context, id);
  return ids.has(BUILT_IN_ROLE_IDS.admin) || ids.has(BUILT_IN_ROLE_IDS.super_administrator);
}

function what(object: SecuredObject): string {
  return `${object.kind} ${object.displayName}`;
}

function everyPrivilegeOf(reference: ObjectReference): readonly Privilege[] {
  return reference.kind === 'project' ? ['CREATE CONNECTION', 'CREATE FUNCTION', 'MONITOR'] : reference.kind === 'connection' ? ['USAGE', 'DESCRIBE'] : ['EXECUTE'];
}

function granteeCells(context: StatementContext, id: string): [TableCell, TableCell] {
  const principal = context.model.principalById(id);
  return principal === undefined ? [null, id] : [principal.kind, principal.name];
}

function describeGrants(context: StatementContext, grants: readonly GrantRecord[]): string {
  const listed = grants.slice(0, 10).map((grant) => `${grant.privilege} to ${context.model.describe(grant.granteeId)} (granted by ${context.model.describe(grant.grantorId)})`);
  return `${listed.join(', ')}${grants.length > 10 ? `, and ${grants.length - 10} more` : ''}`;
}

function grantView(context: StatementContext, grant: GrantRecord): Record<string, unknown> {
  return { privilege: grant.privilege, grantee: context.model.describe(grant.granteeId), grant_option: grant.grantOption, granted_by: context.model.describe(grant.grantorId) };
}

async function objectName(context: StatementContext, kind: 'project' | 'connection' | 'function', id: string): Promise<string> {
  const session = context.session;
  try {
    if (kind === 'project') return (await session.governance.projectById(id))?.name ?? id;
    const placed = kind === 'connection' ? await session.placedConnectionById(id) : await session.placedFunctionById(id);
    if (placed === undefined) return id;
    const project = await session.governance.projectById(placed.projectId);
    return `${project?.name ?? placed.projectId}.${placed.record.name}`;
  } catch (error) {
    if (LakefnError.isInstance(error) && error.code === 'E_STORE_TAMPERED') return `${id} (fails its integrity check)`;
    throw error;
  }
}

function damagedNotices(context: StatementContext): string[] {
  const damaged = context.session.governance.damaged;
  if (damaged.length === 0) return [];
  return [`${damaged.length} governance row(s) failed their integrity check and grant nothing: ${damaged.slice(0, 3).map((row) => row.message).join(' | ')}`];
}

function change(
  statement: { readonly kind: ChangeResult['statement']; readonly position: ChangeResult['position'] },
  target: Securable,
  object: ChangeResult['object'],
  outcome: ChangeResult['outcome'],
  message: string,
  notices: readonly string[],
): HandlerOutcome {
  return { result: { kind: 'change', statement: statement.kind, position: statement.position, notices, object, name: target.secured.displayName, outcome, message }, project: target.project.name };
}
