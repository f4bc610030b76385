import { randomUUID } from 'node:crypto';
import { BUILT_IN_ROLE_IDS } from '../spec/governance-records.ts';
import type { TableCell, TableResult } from '../sql/execute-result.ts';
import type { AlterProjectStatement, BoundaryTarget, SetBoundaryStatement, ShowPolicyCatalogStatement, UnsetBoundaryStatement } from '../sql/statement.ts';
import { checkLikePattern, nameMatches } from '../store/like-pattern.ts';
import type { GovernedRequest } from './authorize-request.ts';
import type { HandlerOutcome } from './object-statements.ts';
import { ACTIONS, projectResource, type ResourceName } from './policy/index.ts';
import { change, describeBoundaryTarget, noSuchPolicy, projectNames } from './policy-statements.ts';
import type { StatementContext } from './statement-context.ts';

/**
 * SET / UNSET / SHOW BOUNDARIES, ALTER PROJECT … SET OBJECT_PRIVILEGES and SHOW ACTIONS. A boundary is an SCP-style cap
 * (step 3): it never grants, and a request outside any boundary that applies is denied even for `admin` (never for
 * super_administrator: break-glass). One boundary per project, user or role; SET replaces the one there.
 */

interface ResolvedTarget {
  readonly kind: BoundaryTarget['kind'];
  readonly id: string;
  readonly display: string;
  /** SET/UNSET BOUNDARY ON PROJECT names the project (its project resource); on a user or role it is account-wide. */
  readonly resource: ResourceName | undefined;
  readonly project: string | null;
}

async function resolveTarget(context: StatementContext, target: BoundaryTarget): Promise<ResolvedTarget> {
  if (target.kind === 'project') {
    const project = await context.project(target.name);
    return { kind: 'project', id: project.id, display: `project ${project.name}`, resource: projectResource(project.name), project: project.name };
  }
  const principal = context.principalNamed({ kind: target.kind, name: target.name });
  const display = principal.id === BUILT_IN_ROLE_IDS.public ? 'role PUBLIC' : `${principal.kind} ${principal.name}`;
  return { kind: target.kind, id: principal.id, display, resource: undefined, project: null };
}

function boundaryRequest(action: 'lakefn:SetBoundary' | 'lakefn:UnsetBoundary', target: ResolvedTarget): GovernedRequest {
  return { action, ...(target.resource === undefined ? {} : { resource: target.resource }), privilege: { kind: 'administrators' } };
}

export async function setBoundaryGoverned(context: StatementContext, statement: SetBoundaryStatement): Promise<HandlerOutcome> {
  const target = await resolveTarget(context, statement.target);
  context.require(boundaryRequest('lakefn:SetBoundary', target), target.project, 'always');
  if (!context.model.policies.has(statement.policy)) throw noSuchPolicy(statement.policy);
  const previous = context.model.policies.state.boundaries.find((boundary) => boundary.targetKind === target.kind && boundary.targetId === target.id);
  await context.session.policies.setBoundary({ id: randomUUID(), targetKind: target.kind, targetId: target.id, policyName: statement.policy, setBy: context.principal.name, createdAt: new Date().toISOString() });
  const notices: string[] = [];
  if (previous !== undefined) notices.push(`it replaces the boundary ${previous.policyName} that ${target.display} had`);
  if (target.id === BUILT_IN_ROLE_IDS.super_administrator) notices.push('super_administrator is exempt from boundaries (break-glass): this boundary caps nobody through that role');
  const outcome = change(statement, 'boundary', target.display, 'set', `boundary of ${target.display} set to policy ${statement.policy} (requests outside it are denied, even for admin)`, notices, target.project);
  return { ...outcome, before: { boundary: previous?.policyName ?? null } };
}

export async function unsetBoundaryGoverned(context: StatementContext, statement: UnsetBoundaryStatement): Promise<HandlerOutcome> {
  const target = await resolveTarget(context, statement.target);
  context.require(boundaryRequest('lakefn:UnsetBoundary', target), target.project, 'always');
  const previous = context.model.policies.state.boundaries.find((boundary) => boundary.targetKind === target.kind && boundary.targetId === target.id);
  const removed = await context.session.policies.unsetBoundary(target.kind, target.id);
  if (!removed) return change(statement, 'boundary', target.display, 'unset', `${target.display} has no boundary`, [`${target.display} has no boundary; nothing was removed`], target.project);
  const outcome = change(statement, 'boundary', target.display, 'unset', `boundary of ${target.display} removed`, [], target.project);
  return { ...outcome, before: { boundary: previous?.policyName ?? null } };
}

export async function showBoundariesGoverned(context: StatementContext, statement: ShowPolicyCatalogStatement<'show-boundaries'>): Promise<HandlerOutcome> {
  context.require({ action: 'lakefn:ListBoundaries', privilege: { kind: 'held', description: 'SHOW BOUNDARIES lists the boundaries that apply to the principal (all of them for auditors and administrators)' } }, null);
  const seesAll = context.principal.admin || context.principal.auditor;
  const projects = await projectNames(context);
  const rows: TableCell[][] = [];
  for (const boundary of context.model.policies.state.boundaries) {
    if (!seesAll) {
      if (boundary.targetKind !== 'project' && !context.principal.ids.has(boundary.targetId)) continue;
      if (boundary.targetKind === 'project') {
        const project = await context.session.governance.projectById(boundary.targetId);
        if (project === undefined || !(await context.projectVisible(project))) continue;
      }
    }
    const target = describeBoundaryTarget(context, boundary.targetKind, boundary.targetId, projects);
    rows.push([boundary.targetKind, target.slice(target.indexOf(' ') + 1), boundary.policyName, boundary.setBy, boundary.createdAt]);
  }
  rows.sort((left, right) => `${String(left[0])} ${String(left[1])}`.localeCompare(`${String(right[0])} ${String(right[1])}`));
  const result: TableResult = { kind: 'table', statement: statement.kind, position: statement.position, notices: [], columns: ['on', 'name', 'policy', 'set_by', 'created_at'], rows };
  return { result, project: null };
}

export async function alterProjectGoverned(context: StatementContext, statement: AlterProjectStatement): Promise<HandlerOutcome> {
  const project = await context.project(statement.name);
  context.require({
    action: 'lakefn:AlterProject',
    resource: projectResource(project.name),
    privilege: { kind: 'object', object: context.projectObject(project), accepted: [], ownership: true },
  }, project.name, 'always');
  const wasOn = context.model.policies.objectPrivilegesEnabled(project.name);
  await context.session.policies.setProjectSetting({ projectId: project.id, objectPrivileges: statement.objectPrivileges, changedBy: context.principal.name, changedAt: new Date().toISOString() });
  const setting = statement.objectPrivileges ? 'ON' : 'OFF';
  const notices = statement.objectPrivileges
    ? []
    : [`object privileges are no longer checked for connections and functions in project ${project.name}: the API layer (attached policies) alone decides; GRANT, REVOKE, ownership and policies are still checked`];
  const outcome = change(statement, 'project-setting', project.name, 'altered', `project '${project.name}': OBJECT_PRIVILEGES = ${setting}`, notices, project.name);
  return { ...outcome, before: { object_privileges: wasOn ? 'ON' : 'OFF' } };
}

export async function showActionsGoverned(context: StatementContext, statement: ShowPolicyCatalogStatement<'show-actions'>): Promise<HandlerOutcome> {
  context.require({ action: 'lakefn:ListActions' }, null);
  if (statement.like !== null) checkLikePattern(statement.like);
  const rows: TableCell[][] = ACTIONS.filter((action) => nameMatches(action.name, statement.like)).map((action) => [
    action.name,
    action.level,
    action.resources.join(', '),
    action.conditionKeys.join(', '),
    action.dependentActions.map((dependent) => `${dependent.action} (${dependent.as === 'owner' ? "the function owner's" : 'the caller'}, on ${dependent.on}${dependent.when === undefined ? '' : `, when ${dependent.when}`})`).join('; '),
    action.dataLayer,
    action.covers.join('; '),
    action.description,
  ]);
  const result: TableResult = {
    kind: 'table', statement: statement.kind, position: statement.position, notices: [],
    columns: ['action', 'level', 'resources', 'condition_keys', 'dependent_actions', 'data_layer', 'covers', 'description'], rows,
  };
  return { result, project: null };
}
