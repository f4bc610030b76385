import type { PreparedRequest } from './authorization-request.ts';
import type { CompiledPolicy, CompiledStatement } from './compile-policy.ts';
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

/**
 * The statements of one effect that apply to a request, across policies, in order; with `all` false, at most the first.
 * Only statements naming the request's action are looked at (the compiled index).
 */
export function matchingStatements(policies: readonly AttachedPolicy[], effect: 'Allow' | 'Deny', request: PreparedRequest, all: boolean): StatementReference[] {
  const found: StatementReference[] = [];
  const ordinal = request.action.ordinal;
  for (const attached of policies) {
    const candidates = effect === 'Allow' ? attached.policy.allowByAction[ordinal] : attached.policy.denyByAction[ordinal];
    if (candidates === undefined) continue;
    for (const statement of candidates) {
      if (!statementApplies(statement, request)) continue;
      found.push({ policy: attached.policy.name, attachedTo: attached.attachedTo, sid: statement.sid, statement: statement.index, effect });
      if (!all) return found;
    }
  }
  return found;
}
