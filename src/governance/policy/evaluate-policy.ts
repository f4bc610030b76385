import type { PreparedRequest } from './authorization-request.ts';
import type { CompiledPolicy, CompiledStatement, PolicyLayer } from './compile-policy.ts';
import { conditionHolds } from './compiled-condition.ts';
import { matchResourcePattern } from './resource-pattern.ts';

/** Where a policy is attached (for a boundary: where it is set). */
export interface PolicyAttachment {
  readonly kind: 'user' | 'role' | 'project';
  readonly name: string;
}

/** A compiled policy as a principal holds it, or a boundary as it applies. */
export interface AttachedPolicy {
  readonly policy: CompiledPolicy;
  readonly attachedTo: PolicyAttachment;
}

/** A statement that matched, as a decision's trace names it. */
export interface StatementReference {
  readonly policy: string;
  readonly attachedTo: PolicyAttachment;
  readonly sid: string | undefined;
  /** Index in the document's Statement array. */
  readonly statement: number;
  readonly effect: 'Allow' | 'Deny';
}

/**
 * Whether a statement applies to a request (its action is already known to be one of the statement's): one of its
 * resource patterns matches, and every condition holds (operators and keys AND-ed, values OR-ed, as in IAM).
 */
export function statementApplies(statement: CompiledStatement, request: PreparedRequest): boolean {
  let resourceMatches = false;
  for (const pattern of statement.resources) {
    if (matchResourcePattern(pattern, request.resource)) {
      resourceMatches = true;
      break;
    }
  }
  if (!resourceMatches) return false;
  for (const condition of statement.conditions) {
    if (!conditionHolds(condition, request.values[condition.keyIndex])) return false;
  }
  return true;
}

const NONE: readonly StatementReference[] = Object.freeze([]);

/** Appends the applying statements among `candidates` (of one policy) to `found`, created on the first match. */
function collectApplying(
  attached: AttachedPolicy,
  candidates: readonly CompiledStatement[] | undefined,
  effect: 'Allow' | 'Deny',
  request: PreparedRequest,
  all: boolean,
  found: StatementReference[] | undefined,
): StatementReference[] | undefined {
  if (candidates === undefined) return found;
  for (const statement of candidates) {
    if (!statementApplies(statement, request)) continue;
    found ??= [];
    found.push({ policy: attached.policy.name, attachedTo: attached.attachedTo, sid: statement.sid, statement: statement.index, effect });
    if (!all) return found;
  }
  return found;
}

function candidatesOf(attached: AttachedPolicy, effect: 'Allow' | 'Deny', ordinal: number): readonly CompiledStatement[] | undefined {
  return effect === 'Allow' ? attached.policy.allowByAction[ordinal] : attached.policy.denyByAction[ordinal];
}

/** A statement of one of a principal's policies, with the policy it belongs to. */
interface Candidate {
  readonly attached: AttachedPolicy;
  readonly statement: CompiledStatement;
  /** Its place among all the candidates (policy order, then document order). */
  readonly position: number;
}

/**
 * The candidates of one scope (`CompiledStatement.scope`), in order: they all apply or none does, so a decision tests
 * the first and, when it applies, takes them all (explain) or the first (the earliest matching candidate overall, as
 * groups are kept in the order of their first candidate).
 */
interface CandidateGroup {
  readonly statement: CompiledStatement;
  readonly members: Candidate[];
  /** The projects its resources can be in, when every pattern names one exactly; undefined: any (or the account). */
  readonly projects: ReadonlySet<string> | undefined;
}

/**
 * The groups asked about one action, and those that can match in each project (kept per project on first use):
 * policies scoped to team projects are not even looked at for a request in another project.
 */
interface ActionCandidates {
  readonly groups: readonly CandidateGroup[];
  /** By the request resource's `project` field (`''` for a project resource; undefined for the account). */
  readonly byProject: Map<string | undefined, readonly CandidateGroup[]>;
}

/** The kinds of question `matchingStatements` is asked: an effect, of every layer or of one. */
const CANDIDATE_KINDS = 6;

function candidateKind(effect: 'Allow' | 'Deny', layer: PolicyLayer | undefined): number {
  return (effect === 'Deny' ? 0 : 3) + (layer === undefined ? 0 : layer === 'api' ? 1 : 2);
}

/**
 * The candidates of a principal's policy list, per kind and action ordinal, grouped by scope. A principal with 20
 * roles holds 50 or more policies, and a decision asks three kinds of question: scanning every policy for each costs
 * more than the rest of the decision, while the list is the same object for every decision of one resolved principal
 * at one catalog version (PolicyModel keeps it), so the candidates are gathered once per list, kind and action, on
 * first use. A list must not change after its first decision (none does: they are built once and kept).
 */
const CANDIDATES = new WeakMap<readonly AttachedPolicy[], (ActionCandidates | undefined)[][]>();

function candidatesFor(policies: readonly AttachedPolicy[], effect: 'Allow' | 'Deny', layer: PolicyLayer | undefined, request: PreparedRequest): readonly CandidateGroup[] {
  let byKind = CANDIDATES.get(policies);
  if (byKind === undefined) CANDIDATES.set(policies, (byKind = Array.from({ length: CANDIDATE_KINDS }, (): (ActionCandidates | undefined)[] => [])));
  const byAction = byKind[candidateKind(effect, layer)]!;
  const ordinal = request.action.ordinal;
  const candidates = (byAction[ordinal] ??= { groups: gather(policies, effect, layer, ordinal), byProject: new Map<string | undefined, readonly CandidateGroup[]>() });
  const project = request.resource?.project;
  let groups = candidates.byProject.get(project);
  if (groups === undefined) {
    groups = candidates.groups.filter((group) => group.projects === undefined || (project !== undefined && group.projects.has(project)));
    candidates.byProject.set(project, groups);
  }
  return groups;
}

function gather(policies: readonly AttachedPolicy[], effect: 'Allow' | 'Deny', layer: PolicyLayer | undefined, ordinal: number): readonly CandidateGroup[] {
  const byScope = new Map<string, CandidateGroup>();
  let position = 0;
  for (const attached of policies) {
    if (layer !== undefined && attached.policy.layer !== layer) continue;
    const statements = candidatesOf(attached, effect, ordinal);
    if (statements === undefined) continue;
    for (const statement of statements) {
      const candidate = { attached, statement, position: position++ };
      const group = byScope.get(statement.scope);
      if (group === undefined) byScope.set(statement.scope, { statement, members: [candidate], projects: projectsOf(statement) });
      else group.members.push(candidate);
    }
  }
  return [...byScope.values()];
}

/** The exact projects a statement's resources are confined to, or undefined when one pattern can reach any. */
function projectsOf(statement: CompiledStatement): ReadonlySet<string> | undefined {
  const projects = new Set<string>();
  for (const pattern of statement.resources) {
    if (pattern.kind === 'all' || pattern.project.kind !== 'exact') return undefined;
    projects.add(pattern.project.text);
  }
  return projects;
}

function reference(candidate: Candidate, effect: 'Allow' | 'Deny'): StatementReference {
  const { attached, statement } = candidate;
  return { policy: attached.policy.name, attachedTo: attached.attachedTo, sid: statement.sid, statement: statement.index, effect };
}

/**
 * The statements of one effect that apply to a request, across policies (of one layer, when `layer` is given), in
 * order; with `all` false, at most the first. Only statements naming the request's action are looked at (the compiled
 * index, gathered per policy list), and each scope is tested once. Allocates nothing when nothing matches.
 */
export function matchingStatements(policies: readonly AttachedPolicy[], effect: 'Allow' | 'Deny', request: PreparedRequest, all: boolean, layer?: PolicyLayer): readonly StatementReference[] {
  let applying: Candidate[] | undefined;
  for (const group of candidatesFor(policies, effect, layer, request)) {
    if (!statementApplies(group.statement, request)) continue;
    if (!all) return [reference(group.members[0]!, effect)];
    (applying ??= []).push(...group.members);
  }
  if (applying === undefined) return NONE;
  // Groups are in the order of their first candidate; the trace lists statements in policy and document order.
  applying.sort((left, right) => left.position - right.position);
  return applying.map((candidate) => reference(candidate, effect));
}

/** `matchingStatements` over a single policy (a boundary is evaluated on its own). */
export function matchingStatementsOf(attached: AttachedPolicy, effect: 'Allow' | 'Deny', request: PreparedRequest, all: boolean): readonly StatementReference[] {
  return collectApplying(attached, candidatesOf(attached, effect, request.action.ordinal), effect, request, all, undefined) ?? NONE;
}
