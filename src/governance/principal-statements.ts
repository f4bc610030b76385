import { randomUUID } from 'node:crypto';
import { LakefnError } from '../errors/index.ts';
import { BUILT_IN_ROLE_IDS, type GrantObjectKind, type PrincipalRecord } from '../spec/governance-records.ts';
import type { TableCell, TableResult } from '../sql/execute-result.ts';
import type { CreatePrincipalStatement, DropPrincipalStatement, RoleMembershipStatement, ShowGovernanceStatement } from '../sql/statement.ts';
import { checkLikePattern, nameMatches } from '../store/like-pattern.ts';
import type { GovernedRequest } from './authorize-request.ts';
import { abandonedGrants } from './grant-dependencies.ts';
import type { HandlerOutcome } from './object-statements.ts';
import { change } from './policy-statements.ts';
import type { StatementContext } from './statement-context.ts';

/**
 * CREATE / DROP / SHOW USERS and ROLES, GRANT / REVOKE ROLE, with the built-in roles' rules (DLF's): built-in roles are
 * never dropped; only super_administrator changes the membership of super_administrator and admin; super_administrator
 * is never emptied; PUBLIC is implicit (every principal holds it; it cannot be granted).
 */

const MEMBERSHIP_RULE = 'only super_administrator changes the membership of super_administrator and admin';
const PROTECTED_ROLES: ReadonlySet<string> = new Set([BUILT_IN_ROLE_IDS.super_administrator, BUILT_IN_ROLE_IDS.admin]);

export async function createPrincipalGoverned(context: StatementContext, statement: CreatePrincipalStatement): Promise<HandlerOutcome> {
  const kind = statement.kind === 'create-user' ? 'user' : 'role';
  context.require({ action: kind === 'user' ? 'lakefn:CreateUser' : 'lakefn:CreateRole', privilege: { kind: 'administrators' } }, null, 'always');
  if (context.model.principal(kind, statement.name) !== undefined) {
    if (statement.ifNotExists) return change(statement, kind, statement.name, 'existed', `${kind} '${statement.name}' already exists (unchanged)`, [`${kind} '${statement.name}' already exists; IF NOT EXISTS left it unchanged`]);
    throw new LakefnError('E_PRINCIPAL_EXISTS', `${kind} '${statement.name}' already exists (SHOW ${kind === 'user' ? 'USERS' : 'ROLES'} lists them)`);
  }
  const record: PrincipalRecord = { id: randomUUID(), kind, name: statement.name, builtIn: false, comment: statement.comment, createdAt: new Date().toISOString() };
  await context.session.governance.insertPrincipal(record);
  return change(statement, kind, statement.name, 'created', `${kind} '${statement.name}' created`, []);
}

export async function dropPrincipalGoverned(context: StatementContext, statement: DropPrincipalStatement): Promise<HandlerOutcome> {
  const kind = statement.kind === 'drop-user' ? 'user' : 'role';
  const record = context.model.principal(kind, statement.name);
  const touchesProtected = record !== undefined && [...PROTECTED_ROLES].some((role) => context.model.membersOf(role).includes(record.id));
  context.require({
    action: kind === 'user' ? 'lakefn:DropUser' : 'lakefn:DropRole',
    privilege: { kind: 'administrators' },
    ...(touchesProtected ? { rule: { refused: `${kind} ${statement.name} is a member of super_administrator or admin, and ${MEMBERSHIP_RULE}`, superAdministratorMay: true } } : {}),
  }, null, 'always');
  if (record === undefined) {
    if (statement.ifExists) return change(statement, kind, statement.name, 'not-found', `${kind} '${statement.name}' not found`, [`${kind} '${statement.name}' does not exist; IF EXISTS made this a no-op`]);
    context.principalNamed({ kind, name: statement.name });
    throw new LakefnError('E_INTERNAL', 'unreachable');
  }
  if (record.builtIn) throw new LakefnError('E_BUILT_IN_ROLE', `role '${record.name}' is built in and cannot be dropped`);
  refuseEmptying(context, BUILT_IN_ROLE_IDS.super_administrator, record.id);
  const owned = [
    ...(await context.session.governance.projects()).filter((project) => project.ownerId === record.id).map((project) => `project ${project.name}`),
    ...(await context.session.objectsOwnedBy(record.id)).map((object) => `${object.kind} ${object.name}`),
  ];
  if (owned.length > 0) {
    throw new LakefnError(
      'E_PRINCIPAL_IN_USE',
      `${kind} '${record.name}' owns ${owned.length} object(s): ${owned.slice(0, 10).join(', ')}${owned.length > 10 ? ', …' : ''}; transfer them first ` +
        `(GRANT OWNERSHIP ON <object> TO USER|ROLE <name>), then drop it`,
      { data: { owned } },
    );
  }
  // grants it made on its own grant option go, with what rests on them; grants it holds and its memberships go with it
  const notices: string[] = [];
  const governance = context.session.governance;
  const made = await governance.grantsBy(record.id);
  const objects = new Map<string, { kind: GrantObjectKind; id: string }>();
  for (const grant of made) {
    await governance.deleteGrant(grant.id);
    objects.set(`${grant.objectKind}:${grant.objectId}`, { kind: grant.objectKind, id: grant.objectId });
  }
  // re-grants by its members on a grant option it held lose their basis too
  for (const grant of await governance.grantsTo([record.id])) {
    if (grant.grantOption) objects.set(`${grant.objectKind}:${grant.objectId}`, { kind: grant.objectKind, id: grant.objectId });
  }
  let cascaded = 0;
  for (const object of objects.values()) {
    const ownerId = await ownerOf(context, object.kind, object.id);
    if (ownerId === undefined) continue;
    const remaining = (await governance.grantsOn(object.kind, object.id)).filter((grant) => grant.granteeId !== record.id);
    const abandoned = abandonedGrants(remaining, ownerId, (id) => idsOf(context, id, record.id), (id) => isAdministrator(context, id, record.id));
    for (const grant of abandoned) await governance.deleteGrant(grant.id);
    cascaded += abandoned.length;
  }
  if (made.length > 0) notices.push(`${made.length} grant(s) ${kind} ${record.name} had made were revoked${cascaded > 0 ? `, with ${cascaded} grant(s) that rested on them` : ''}`);
  // READ on installed packages goes with it; packages it created stay with their project, owned by the project's owner
  const packages = context.session.packages;
  await packages.deleteGrantsTo(record.id);
  for (const pkg of await packages.packagesOwnedBy(record.id)) {
    const project = await governance.projectById(pkg.projectId);
    if (project === undefined) continue;
    await packages.setPackageOwner(pkg, project.ownerId);
    notices.push(`package ${project.name}.${pkg.name} it created is now owned by ${context.model.describe(project.ownerId)}, the owner of project ${project.name}`);
  }
  await governance.deletePrincipal(record.id);
  const outcome = change(statement, kind, record.name, 'dropped', `${kind} '${record.name}' dropped`, notices);
  return { ...outcome, before: { kind, name: record.name, roles: context.model.roleGrants.filter((grant) => grant.memberId === record.id).map((grant) => context.model.describe(grant.roleId)) } };
}

export async function showPrincipalsGoverned(context: StatementContext, statement: ShowGovernanceStatement<'show-users'> | ShowGovernanceStatement<'show-roles'>): Promise<HandlerOutcome> {
  const kind = statement.kind === 'show-users' ? 'user' : 'role';
  context.require({ action: kind === 'user' ? 'lakefn:ListUsers' : 'lakefn:ListRoles', privilege: { kind: 'role', roles: ['auditor'] } }, null);
  if (statement.like !== null) checkLikePattern(statement.like);
  const model = context.model;
  const rows: TableCell[][] = [];
  for (const principal of model.principals(kind)) {
    if (!nameMatches(principal.name, statement.like)) continue;
    const roles = model.roleGrants.filter((grant) => grant.memberId === principal.id).map((grant) => model.principalById(grant.roleId)?.name ?? grant.roleId).sort().join(', ');
    if (kind === 'user') rows.push([principal.name, roles, principal.comment, principal.createdAt]);
    else {
      const members = principal.id === BUILT_IN_ROLE_IDS.public ? '(every principal)' : model.membersOf(principal.id).map((id) => model.describe(id)).sort().join(', ');
      rows.push([displayRoleName(principal), principal.builtIn ? 'YES' : 'NO', roles, members, principal.comment, principal.createdAt]);
    }
  }
  const columns = kind === 'user' ? ['name', 'roles', 'comment', 'created_at'] : ['name', 'built_in', 'granted_roles', 'members', 'comment', 'created_at'];
  const damaged = context.session.governance.damaged;
  const notices = damaged.length === 0 ? [] : [`${damaged.length} governance row(s) failed their integrity check and grant nothing: ${damaged.slice(0, 3).map((row) => row.message).join(' | ')}`];
  const result: TableResult = { kind: 'table', statement: statement.kind, position: statement.position, notices, columns, rows };
  return { result, project: null };
}

export async function roleMembershipGoverned(context: StatementContext, statement: RoleMembershipStatement): Promise<HandlerOutcome> {
  const granting = statement.kind === 'grant-role';
  const role = context.principalNamed({ kind: 'role', name: statement.role });
  const member = context.principalNamed(statement.member);
  const request: GovernedRequest = {
    action: granting ? 'lakefn:GrantRole' : 'lakefn:RevokeRole',
    privilege: { kind: 'administrators' },
    ...(PROTECTED_ROLES.has(role.id) ? { rule: { refused: MEMBERSHIP_RULE, superAdministratorMay: true } } : {}),
  };
  context.require(request, null, 'always');
  if (role.id === BUILT_IN_ROLE_IDS.public) throw new LakefnError('E_BUILT_IN_ROLE', 'PUBLIC is implicit: every user and role holds it, so it is never granted or revoked');
  if (member.id === BUILT_IN_ROLE_IDS.public) throw new LakefnError('E_BUILT_IN_ROLE', 'PUBLIC cannot be a member of a role (it is every principal)');
  const model = context.model;
  const isMember = model.membersOf(role.id).includes(member.id);
  const subject = `${member.kind} ${member.name}`;
  if (granting) {
    if (isMember) return change(statement, 'role-membership', role.name, 'granted', `${subject} already holds role ${role.name}`, [`${subject} is already a member of role ${role.name}; unchanged`]);
    const cycle = member.kind === 'role' ? model.cycleThrough(role.id, member.id) : undefined;
    if (cycle !== undefined) {
      throw new LakefnError('E_ROLE_CYCLE', `GRANT ROLE ${role.name} TO ROLE ${member.name} would make a cycle of roles: ${cycle.join(' → ')} (each is a member of the next); role graphs are acyclic. Nothing was changed`, {
        data: { cycle },
      });
    }
    await context.session.governance.insertRoleGrant({ roleId: role.id, memberId: member.id, grantedBy: context.principal.name, createdAt: new Date().toISOString() });
    return change(statement, 'role-membership', role.name, 'granted', `granted role ${role.name} to ${subject}`, []);
  }
  if (!isMember) return change(statement, 'role-membership', role.name, 'revoked', `${subject} does not hold role ${role.name}`, [`${subject} is not a direct member of role ${role.name}; nothing was revoked`]);
  refuseEmptying(context, role.id, member.id);
  await context.session.governance.deleteRoleGrant(role.id, member.id);
  return change(statement, 'role-membership', role.name, 'revoked', `revoked role ${role.name} from ${subject}`, []);
}

/** super_administrator keeps at least one member once it has one (DLF: it cannot be emptied). */
function refuseEmptying(context: StatementContext, roleId: string, leaving: string): void {
  if (roleId !== BUILT_IN_ROLE_IDS.super_administrator) return;
  const members = context.model.membersOf(roleId);
  if (members.length === 1 && members[0] === leaving) {
    throw new LakefnError('E_BUILT_IN_ROLE', `super_administrator cannot be emptied: ${context.model.describe(leaving)} is its last member. Grant it to someone else first`);
  }
}

function displayRoleName(principal: PrincipalRecord): string {
  return principal.id === BUILT_IN_ROLE_IDS.public ? 'PUBLIC' : principal.name;
}

async function ownerOf(context: StatementContext, kind: GrantObjectKind, id: string): Promise<string | undefined> {
  try {
    if (kind === 'project') return (await context.session.governance.projectById(id))?.ownerId;
    return (kind === 'connection' ? await context.session.placedConnectionById(id) : await context.session.placedFunctionById(id))?.ownerId;
  } catch (error) {
    if (LakefnError.isInstance(error) && error.code === 'E_STORE_TAMPERED') return undefined;
    throw error;
  }
}

/** A principal's ids, as if `leaving` were gone already. */
function idsOf(context: StatementContext, id: string, leaving: string): ReadonlySet<string> {
  if (id === leaving) return new Set();
  const ids = context.model.rolesHeldBy(id);
  ids.add(id);
  ids.delete(leaving);
  return ids;
}

function isAdministrator(context: StatementContext, id: string, leaving: string): boolean {
  const ids = idsOf(context, id, leaving);
  return ids.has(BUILT_IN_ROLE_IDS.admin) || ids.has(BUILT_IN_ROLE_IDS.super_administrator);
}
