import { randomUUID } from 'node:crypto';
import { LakefnError } from '../errors/index.ts';
import { BUILT_IN_ROLE_IDS } from '../spec/governance-records.ts';
import type { PolicyRecord } from '../spec/policy-records.ts';
import type { JsonValue } from '../spec/policy-document.ts';
import type { ChangeResult, PolicyDescription, TableCell, TableResult } from '../sql/execute-result.ts';
import type { CreatePolicyStatement, DescribePolicyStatement, DropPolicyStatement, PolicyAttachmentStatement, ShowPolicyCatalogStatement } from '../sql/statement.ts';
import { checkLikePattern, nameMatches } from '../store/like-pattern.ts';
import type { PrivilegeQuestion } from './authorize-request.ts';
import type { HandlerOutcome } from './object-statements.ts';
import { isManagedPolicyName, MANAGED_POLICIES, MANAGED_POLICY_NAMES } from './policy/index.ts';
import type { StatementContext } from './statement-context.ts';

/**
 * CREATE [OR REPLACE] / ATTACH / DETACH / SHOW / DESC / DROP POLICY. Policies are account-wide: creating, attaching,
 * detaching and dropping them is permission management for administrators (members of `admin` through
 * LakefnDataFullAccess, or super_administrator), and, like every request, subject to Deny and boundaries: a boundary
 * or a Deny on lakefn:DetachPolicy keeps a capped administrator from removing what caps it. Anyone sees the managed
 * policies and the policies that apply to them (attached to them or their roles, or set as their boundary);
 * auditors and administrators see all.
 */

const ADMINISTRATORS: PrivilegeQuestion = { kind: 'administrators' };

export async function createPolicyGoverned(context: StatementContext, statement: CreatePolicyStatement): Promise<HandlerOutcome> {
  context.require({ action: 'lakefn:CreatePolicy', privilege: ADMINISTRATORS }, null, 'always');
  const existing = context.model.policies.state.policies.find((policy) => policy.name === statement.name);
  const now = new Date().toISOString();
  const policies = context.session.policies;
  const notices = [...statement.warnings.map((warning) => `policy '${statement.name}': ${warning}`)];
  if (existing !== undefined) {
    if (!statement.orReplace) throw policyExists(statement.name);
    await policies.replacePolicy({ ...existing, document: statement.document, comment: statement.comment, updatedAt: now });
    const outcome = change(statement, 'policy', statement.name, 'replaced', `policy '${statement.name}' replaced (its attachments and boundaries now use the new document)`, notices);
    return { ...outcome, before: { document: existing.document, comment: existing.comment } };
  }
  if (await policies.policyRowExists(statement.name)) {
    // a row that failed its integrity check: only OR REPLACE (or DROP POLICY) takes its name
    if (!statement.orReplace) throw policyExists(statement.name);
    await policies.deletePolicy(statement.name);
    notices.push(`policy '${statement.name}' had failed its integrity check; OR REPLACE replaced it`);
  }
  const record: PolicyRecord = { id: randomUUID(), name: statement.name, document: statement.document, comment: statement.comment, ownerId: context.creatorId, createdAt: now, updatedAt: now };
  await policies.insertPolicy(record);
  return change(statement, 'policy', statement.name, 'created', `policy '${statement.name}' created (attach it with ATTACH POLICY ${statement.name} TO USER|ROLE <name>)`, notices);
}

export async function policyAttachmentGoverned(context: StatementContext, statement: PolicyAttachmentStatement): Promise<HandlerOutcome> {
  const attaching = statement.kind === 'attach-policy';
  const principal = context.principalNamed(statement.principal);
  context.require({ action: attaching ? 'lakefn:AttachPolicy' : 'lakefn:DetachPolicy', privilege: ADMINISTRATORS }, null, 'always');
  const subject = principal.id === BUILT_IN_ROLE_IDS.public ? 'role PUBLIC' : `${principal.kind} ${principal.name}`;
  const model = context.model.policies;
  const attached = model.state.attachments.some((attachment) => attachment.policyName === statement.policy && attachment.principalId === principal.id);
  if (attaching) {
    if (!model.has(statement.policy)) throw noSuchPolicy(statement.policy);
    if (attached) return change(statement, 'policy-attachment', statement.policy, 'attached', `policy ${statement.policy} is already attached to ${subject}`, [`policy ${statement.policy} is already attached to ${subject}; unchanged`]);
    await context.session.policies.insertAttachment({ id: randomUUID(), policyName: statement.policy, principalId: principal.id, attachedBy: context.principal.name, createdAt: new Date().toISOString() });
    const notices = principal.id === BUILT_IN_ROLE_IDS.super_administrator ? ['super_administrator is exempt from every policy (break-glass): this attachment changes nothing for it'] : [];
    return change(statement, 'policy-attachment', statement.policy, 'attached', `attached policy ${statement.policy} to ${subject}`, notices);
  }
  const removed = await context.session.policies.deleteAttachment(statement.policy, principal.id);
  if (!removed) {
    if (!model.has(statement.policy)) throw noSuchPolicy(statement.policy);
    return change(statement, 'policy-attachment', statement.policy, 'detached', `policy ${statement.policy} is not attached to ${subject}`, [`policy ${statement.policy} is not attached to ${subject}; nothing was detached`]);
  }
  const notices = statement.policy === 'LakefnFullAccess' && principal.id === BUILT_IN_ROLE_IDS.public
    ? ['the API layer is now enforced: principals need an attached policy that allows each action (admin members keep LakefnFullAccess)']
    : [];
  return change(statement, 'policy-attachment', statement.policy, 'detached', `detached policy ${statement.policy} from ${subject}`, notices);
}

export async function showPoliciesGoverned(context: StatementContext, statement: ShowPolicyCatalogStatement<'show-policies'>): Promise<HandlerOutcome> {
  context.require({ action: 'lakefn:ListPolicies', privilege: { kind: 'held', description: 'SHOW POLICIES lists the managed policies and those that apply to the principal (all of them for auditors and administrators)' } }, null);
  if (statement.like !== null) checkLikePattern(statement.like);
  const seesAll = context.principal.admin || context.principal.auditor;
  const projects = await projectNames(context);
  const rows: TableCell[][] = [];
  for (const name of MANAGED_POLICY_NAMES) {
    if (!nameMatches(name, statement.like)) continue;
    const managed = MANAGED_POLICIES[name];
    rows.push([name, 'YES', managed.layer, attachedTo(context, name).join(', '), boundaryOf(context, name, projects).join(', '), managed.description, null, null]);
  }
  for (const policy of context.model.policies.state.policies) {
    if (!nameMatches(policy.name, statement.like) || !(seesAll || appliesToPrincipal(context, policy.name))) continue;
    rows.push([policy.name, 'NO', 'api', attachedTo(context, policy.name).join(', '), boundaryOf(context, policy.name, projects).join(', '), policy.comment, context.model.describe(policy.ownerId), policy.createdAt]);
  }
  const damaged = context.model.policies.state.damaged;
  const notices = damaged.length === 0 || !seesAll ? [] : [`${damaged.length} policy row(s) failed their integrity check and apply nothing: ${damaged.slice(0, 3).map((row) => row.message).join(' | ')}`];
  const result: TableResult = {
    kind: 'table', statement: statement.kind, position: statement.position, notices, columns: ['name', 'managed', 'layer', 'attached_to', 'boundary_of', 'comment', 'owner', 'created_at'], rows,
  };
  return { result, project: null };
}

export async function describePolicyGoverned(context: StatementContext, statement: DescribePolicyStatement): Promise<HandlerOutcome> {
  const managed = isManagedPolicyName(statement.name);
  const record = context.model.policies.state.policies.find((policy) => policy.name === statement.name);
  const privilege: PrivilegeQuestion = managed
    ? { kind: 'held', description: 'the managed policies are readable by everyone' }
    : appliesToPrincipal(context, statement.name)
      ? { kind: 'held', description: `policy ${statement.name} applies to ${context.principal.name}` }
      : { kind: 'role', roles: ['auditor'] };
  if (!managed && record === undefined) {
    // not an oracle: a policy that does not exist reads like one the principal may not see
    throw noSuchPolicy(statement.name);
  }
  const decision = context.decide({ action: 'lakefn:DescribePolicy', privilege }, null);
  if (!decision.allowed) throw noSuchPolicy(statement.name);
  const document = (managed ? MANAGED_POLICIES[statement.name].document : JSON.parse(record?.document ?? '{}')) as JsonValue;
  const description: PolicyDescription = {
    name: statement.name,
    managed,
    layer: managed ? MANAGED_POLICIES[statement.name].layer : 'api',
    comment: managed ? MANAGED_POLICIES[statement.name].description : (record?.comment ?? null),
    owner: record === undefined ? null : context.model.describe(record.ownerId),
    created_at: record?.createdAt ?? null,
    updated_at: record?.updatedAt ?? null,
    attached_to: attachedTo(context, statement.name),
    boundary_of: boundaryOf(context, statement.name, await projectNames(context)),
    document,
  };
  return { result: { kind: 'policy-description', statement: statement.kind, position: statement.position, notices: [], description }, project: null };
}

export async function dropPolicyGoverned(context: StatementContext, statement: DropPolicyStatement): Promise<HandlerOutcome> {
  context.require({ action: 'lakefn:DropPolicy', privilege: ADMINISTRATORS }, null, 'always');
  if (isManagedPolicyName(statement.name)) throw new LakefnError('E_INVALID_ARGUMENT', `'${statement.name}' is a managed policy (built in): it cannot be dropped; DETACH it instead`);
  const policies = context.session.policies;
  if (!(await policies.policyRowExists(statement.name))) {
    if (statement.ifExists) return change(statement, 'policy', statement.name, 'not-found', `policy '${statement.name}' not found`, [`policy '${statement.name}' does not exist; IF EXISTS made this a no-op`]);
    throw noSuchPolicy(statement.name);
  }
  const attachments = await policies.attachmentRowCount(statement.name);
  const boundaries = await policies.boundaryRowCount(statement.name);
  const attached = attachedTo(context, statement.name);
  const bounding = boundaryOf(context, statement.name, await projectNames(context));
  if (attachments + boundaries > 0 && !statement.cascade) {
    const uses = [...attached.map((where) => `attached to ${where}`), ...bounding.map((where) => `the boundary of ${where}`)];
    throw new LakefnError(
      'E_POLICY_IN_USE',
      `policy '${statement.name}' is in use (${uses.length > 0 ? uses.join(', ') : `${attachments + boundaries} damaged row(s)`}); DETACH it and UNSET the boundaries first, ` +
        `or DROP POLICY ${statement.name} CASCADE. Nothing was changed`,
      { data: { attached_to: attached, boundary_of: bounding } },
    );
  }
  const notices: string[] = [];
  if (statement.cascade && attachments + boundaries > 0) {
    await policies.deleteAttachmentsOf(statement.name);
    await policies.deleteBoundariesUsing(statement.name);
    notices.push(`CASCADE detached it from ${attachments} principal(s) and removed ${boundaries} boundary(ies)${attached.length + bounding.length > 0 ? `: ${[...attached, ...bounding.map((where) => `boundary of ${where}`)].join(', ')}` : ''}`);
  }
  const record = context.model.policies.state.policies.find((policy) => policy.name === statement.name);
  await policies.deletePolicy(statement.name);
  const outcome = change(statement, 'policy', statement.name, 'dropped', `policy '${statement.name}' dropped`, notices);
  return { ...outcome, before: { document: record?.document ?? null, attached_to: attached, boundary_of: bounding } };
}

/** `user alice`, `role PUBLIC`, … for each principal the policy is attached to, sorted. */
function attachedTo(context: StatementContext, policy: string): string[] {
  return context.model.policies.state.attachments
    .filter((attachment) => attachment.policyName === policy)
    .map((attachment) => (attachment.principalId === BUILT_IN_ROLE_IDS.public ? 'role PUBLIC' : context.model.describe(attachment.principalId)))
    .sort();
}

/** `project prod`, `role contractors`, … for each boundary the policy is. */
function boundaryOf(context: StatementContext, policy: string, projects: ReadonlyMap<string, string>): string[] {
  return context.model.policies.state.boundaries
    .filter((boundary) => boundary.policyName === policy)
    .map((boundary) => describeBoundaryTarget(context, boundary.targetKind, boundary.targetId, projects))
    .sort();
}

export function describeBoundaryTarget(context: StatementContext, kind: 'project' | 'user' | 'role', id: string, projects: ReadonlyMap<string, string>): string {
  if (kind !== 'project') return id === BUILT_IN_ROLE_IDS.public ? 'role PUBLIC' : context.model.describe(id);
  return `project ${projects.get(id) ?? id}`;
}

/** Project id → name (boundaries name projects by id). */
export async function projectNames(context: StatementContext): Promise<Map<string, string>> {
  return new Map((await context.session.governance.projects()).map((project) => [project.id, project.name]));
}

/** Whether the policy is attached to the principal or one of its roles, or is the boundary of one of them. */
function appliesToPrincipal(context: StatementContext, policy: string): boolean {
  const ids = context.principal.ids;
  const state = context.model.policies.state;
  return state.attachments.some((attachment) => attachment.policyName === policy && ids.has(attachment.principalId))
    || state.boundaries.some((boundary) => boundary.policyName === policy && boundary.targetKind !== 'project' && ids.has(boundary.targetId));
}

export function noSuchPolicy(name: string): LakefnError {
  return new LakefnError('E_NO_SUCH_POLICY', `policy '${name}' does not exist or not authorized (SHOW POLICIES lists those you can see)`, { data: { policy: name } });
}

function policyExists(name: string): LakefnError {
  return new LakefnError('E_POLICY_EXISTS', `policy '${name}' already exists; use CREATE OR REPLACE POLICY to replace its document (its attachments and boundaries stay)`, { data: { policy: name } });
}

export function change(
  statement: { readonly kind: ChangeResult['statement']; readonly position: ChangeResult['position'] },
  object: ChangeResult['object'],
  name: string,
  outcome: ChangeResult['outcome'],
  message: string,
  notices: readonly string[],
  project: string | null = null,
): HandlerOutcome {
  return { result: { kind: 'change', statement: statement.kind, position: statement.position, notices, object, name, outcome, message }, project };
}
