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

function candidatesOf(attached: AttachedPolicy, effect: 'Allow' | 'Deny', request: PreparedRequest): readonly CompiledStatement[] | undefined {
  return effect === 'Allow' ? attached.policy.allowByAction[request.action.ordinal] : attached.policy.denyByAction[request.action.ordinal];
}

/**
 * The statements of one effect that apply to a request, across policies (of one layer, when `layer` is given), in
 * order; with `all` false, at most the first. Only statements naming the request's action are looked at (the compiled
 * index). Allocates nothing when nothing matches.
 */
export function matchingStatements(policies: readonly AttachedPolicy[], effect: 'Allow' | 'Deny', request: PreparedRequest, all: boolean, layer?: PolicyLayer): readonly StatementReference[] {
  let found: StatementReference[] | undefined;
  for (const attached of policies) {
    if (layer !== undefined && attached.policy.layer !== layer) continue;
    found = collectApplying(attached, candidatesOf(attached, effect, request), effect, request, all, found);
    if (found !== undefined && !all) return found;
  }
  return found ?? NONE;
}

/** `matchingStatements` over a single policy (a boundary is evaluated on its own). */
export function matchingStatementsOf(attached: AttachedPolicy, effect: 'Allow' | 'Deny', request: PreparedRequest, all: boolean): readonly StatementReference[] {
  return collectApplying(attached, candidatesOf(attached, effect, request), effect, request, all, undefined) ?? NONE;
}
