import { LakefnError, quoteValue } from '../../errors/index.ts';
import { ACTIONS } from './action-catalog.ts';
import { analyzePolicyDocument, formatPolicyIssue, type AnalyzedStatement, type PolicyIssue } from './analyze-policy-document.ts';
import type { PolicyDocument } from './policy-document.ts';

/**
 * Which layer a policy belongs to: `api` (identity policies, step 5, and every policy used as a boundary) or `data`
 * (the coarse managed data policies of step 6: LakefnDataFullAccess and LakefnDataReadOnlyAccess only).
 */
export type PolicyLayer = 'api' | 'data';

/** A compiled statement: its actions are already resolved into the policy's index, its patterns pre-split. */
export type CompiledStatement = AnalyzedStatement;

/**
 * A policy compiled once for fast evaluation: statements indexed by action ordinal, separately for Allow and Deny,
 * so a decision looks at only the statements that name its action. Immutable; safe to share and cache.
 */
export interface CompiledPolicy {
  readonly name: string;
  readonly layer: PolicyLayer;
  readonly document: PolicyDocument;
  readonly statements: readonly CompiledStatement[];
  /** Warnings found at validation (e.g. a key some of a statement's actions do not carry). */
  readonly warnings: readonly PolicyIssue[];
  /** `allowByAction[ordinal]`: the Allow statements naming that action, in document order (undefined: none). */
  readonly allowByAction: readonly (readonly CompiledStatement[] | undefined)[];
  readonly denyByAction: readonly (readonly CompiledStatement[] | undefined)[];
}

/** The outcome of validating a document: the accepted document, or every error found (with JSON paths). */
export type PolicyValidation =
  | { readonly ok: true; readonly document: PolicyDocument; readonly warnings: readonly PolicyIssue[] }
  | { readonly ok: false; readonly errors: readonly PolicyIssue[]; readonly warnings: readonly PolicyIssue[] };

/**
 * Validates a policy document's JSON text (what `CREATE POLICY p AS '<json>'` carries) without compiling it for use.
 * Errors name the JSON path, e.g. `Statement[1].Condition.IpAddress["lakefn:SourceIp"]`, and carry a did-you-mean
 * suggestion for a misspelt action, key, operator or field.
 */
export function validatePolicyDocument(text: string): PolicyValidation {
  const analysis = analyzePolicyDocument(text);
  if (analysis.document === undefined) return { ok: false, errors: analysis.errors, warnings: analysis.warnings };
  return { ok: true, document: analysis.document, warnings: analysis.warnings };
}

/**
 * Validates and compiles a policy. Throws LakefnError E_INVALID_ARGUMENT naming the policy and every problem (one per
 * line after the first) when the document is invalid; `data.issues` holds them as PolicyIssue objects. Pure: cache the
 * result per (name, text) and drop the cache when the store's version counter moves. Use it on documents read back
 * from the store too (re-validation).
 */
export function compilePolicy(name: string, text: string, layer: PolicyLayer = 'api'): CompiledPolicy {
  const analysis = analyzePolicyDocument(text);
  if (analysis.document === undefined) throw invalidPolicyError(name, analysis.errors);
  const allowByAction: CompiledStatement[][] = ACTIONS.map(() => []);
  const denyByAction: CompiledStatement[][] = ACTIONS.map(() => []);
  for (const statement of analysis.statements) {
    const index = statement.effect === 'Allow' ? allowByAction : denyByAction;
    for (const action of statement.actions) index[action.ordinal]?.push(statement);
  }
  const compact = (lists: CompiledStatement[][]): (CompiledStatement[] | undefined)[] => lists.map((list) => (list.length === 0 ? undefined : list));
  return {
    name,
    layer,
    document: analysis.document,
    statements: analysis.statements,
    warnings: analysis.warnings,
    allowByAction: compact(allowByAction),
    denyByAction: compact(denyByAction),
  };
}

/** The error `compilePolicy` throws: E_INVALID_ARGUMENT, every issue on its own line, the issues in `data`. */
export function invalidPolicyError(name: string, errors: readonly PolicyIssue[]): LakefnError {
  const lines = errors.map((policyIssue) => `  ${formatPolicyIssue(policyIssue)}`).join('\n');
  return new LakefnError('E_INVALID_ARGUMENT', `policy ${quoteValue(name)} is invalid (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${lines}`, {
    data: { policy: name, issues: errors },
  });
}
