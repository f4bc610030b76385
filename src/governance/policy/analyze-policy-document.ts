import type { core } from 'zod';
import { didYouMean } from '../../sql/did-you-mean.ts';
import { ACTION_NAMES, ACTIONS, type ActionDefinition, type ResourceScope } from './action-catalog.ts';
import { compileCondition, type CompiledCondition } from './compiled-condition.ts';
import { CONDITION_KEY_NAMES, isConditionKeyName } from './condition-keys.ts';
import { CONDITION_OPERATOR_NAMES, CONDITION_OPERATORS, isConditionOperatorName } from './condition-operators.ts';
import { findDuplicateJsonKey } from './duplicate-json-key.ts';
import { compileGlob, matchGlob } from './glob-pattern.ts';
import { formatJsonPath, type JsonPath } from './json-path.ts';
import { DOCUMENT_FIELDS, policyDocumentSchema, policyStatementSchema, STATEMENT_FIELDS, type ConditionValue, type PolicyDocument, type PolicyStatement } from './policy-document.ts';
import { POLICY_LIMITS } from './policy-limits.ts';
import { compileResourcePattern, type ResourcePattern } from './resource-pattern.ts';

/** One problem in a policy document: where (JSON path, `''` for the whole document), what, and a likely fix. */
export interface PolicyIssue {
  readonly path: string;
  readonly message: string;
  /** The closest valid spelling, when the problem looks like a typo. */
  readonly suggestion?: string;
}

/** A statement after validation: actions expanded against the catalog, patterns and conditions compiled. */
export interface AnalyzedStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly ActionDefinition[];
  readonly resources: readonly ResourcePattern[];
  readonly conditions: readonly CompiledCondition[];
  /**
   * The statement's Resource and Condition as written, as one string: statements with the same scope apply to exactly
   * the same requests (`statementApplies` reads nothing else), so a decision tests one of them for all (policies
   * stamped from one template repeat their statements).
   */
  readonly scope: string;
}

export interface PolicyAnalysis {
  readonly errors: readonly PolicyIssue[];
  readonly warnings: readonly PolicyIssue[];
  /** Present when there are no errors. */
  readonly document: PolicyDocument | undefined;
  readonly statements: readonly AnalyzedStatement[];
}

const LOWER_CASE_ACTION_NAMES = ACTIONS.map((definition) => definition.name.toLowerCase());
const SID = /^[A-Za-z0-9_-]+$/;
const UNSUPPORTED_FIELDS: Readonly<Record<string, string>> = {
  NotAction: 'lakefn policies list what they cover in Action (use a Deny statement to exclude actions)',
  NotResource: 'lakefn policies list what they cover in Resource (use a Deny statement to exclude resources)',
  Principal: 'a policy applies to the users and roles it is attached to (ATTACH POLICY), so it names no principal',
  NotPrincipal: 'a policy applies to the users and roles it is attached to (ATTACH POLICY), so it names no principal',
};

class IssueList {
  readonly errors: PolicyIssue[] = [];
  readonly warnings: PolicyIssue[] = [];

  error(path: JsonPath, message: string, suggestion?: string): void {
    this.errors.push(issue(path, message, suggestion));
  }

  warning(path: JsonPath, message: string): void {
    this.warnings.push(issue(path, message, undefined));
  }
}

function issue(path: JsonPath, message: string, suggestion: string | undefined): PolicyIssue {
  return suggestion === undefined ? { path: formatJsonPath(path), message } : { path: formatJsonPath(path), message, suggestion };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Entries of a string-or-list field with the path of each entry (`Action` for a string, `Action[2]` in a list). */
function listEntries<T>(value: T | readonly T[], path: JsonPath): { value: T; path: JsonPath }[] {
  return Array.isArray(value) ? (value as readonly T[]).map((entry, index) => ({ value: entry, path: [...path, index] })) : [{ value: value as T, path }];
}

/**
 * Validates a policy document's JSON text completely and compiles what it can. Order: size in bytes, JSON syntax,
 * duplicate keys, counts (statements, list entries, values), then the shape (zod, strict), then meaning (actions,
 * resource patterns, operators, keys, values, and whether the statement's actions support its keys and resources).
 * Each step runs only on what the previous ones accepted, so no step sees an oversized input.
 */
export function analyzePolicyDocument(text: string): PolicyAnalysis {
  const issues = new IssueList();
  const failed = (): PolicyAnalysis => ({ errors: issues.errors, warnings: issues.warnings, document: undefined, statements: [] });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > POLICY_LIMITS.documentBytes) {
    issues.error([], `the document holds ${bytes} bytes, more than the ${POLICY_LIMITS.documentBytes} allowed: split it into several policies`);
    return failed();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    issues.error([], `the document is not valid JSON: ${(error as Error).message}`);
    return failed();
  }
  const duplicate = findDuplicateJsonKey(text);
  if (duplicate !== undefined) {
    issues.error(duplicate, 'appears twice in the same object (JSON parsers disagree on which one counts)');
    return failed();
  }
  checkCounts(parsed, issues);
  if (issues.errors.length > 0) return failed();
  const result = policyDocumentSchema.safeParse(parsed);
  const statements: AnalyzedStatement[] = [];
  const sids = new Map<string, number>();
  if (!result.success) {
    for (const zodIssue of result.error.issues) reportShapeIssue(zodIssue, parsed, issues);
    // Statements of a good shape are still checked for meaning, so one pass reports every problem it can.
    const candidates = isRecord(parsed) && Array.isArray(parsed['Statement']) ? (parsed['Statement'] as unknown[]) : [];
    candidates.forEach((candidate, index) => {
      const statement = policyStatementSchema.safeParse(candidate);
      if (statement.success) analyzeStatement(statement.data, index, issues, sids);
    });
    return failed();
  }
  const document = result.data;
  document.Statement.forEach((statement, index) => {
    const analyzed = analyzeStatement(statement, index, issues, sids);
    if (analyzed !== undefined) statements.push(analyzed);
  });
  if (issues.errors.length > 0) return failed();
  return { errors: [], warnings: issues.warnings, document, statements };
}

function checkCounts(parsed: unknown, issues: IssueList): void {
  if (!isRecord(parsed) || !Array.isArray(parsed['Statement'])) return;
  const statements = parsed['Statement'] as unknown[];
  if (statements.length > POLICY_LIMITS.statements) {
    issues.error(['Statement'], `holds ${statements.length} statements, more than the ${POLICY_LIMITS.statements} allowed: split the policy`);
    return;
  }
  let total = 0;
  const count = (value: unknown, path: JsonPath): void => {
    const entries = Array.isArray(value) ? value.length : value === undefined ? 0 : 1;
    if (entries > POLICY_LIMITS.listValues) issues.error(path, `holds ${entries} entries, more than the ${POLICY_LIMITS.listValues} allowed`);
    total += entries;
  };
  statements.forEach((statement, index) => {
    if (!isRecord(statement)) return;
    count(statement['Action'], ['Statement', index, 'Action']);
    count(statement['Resource'], ['Statement', index, 'Resource']);
    const condition = statement['Condition'];
    if (!isRecord(condition)) return;
    for (const [operator, block] of Object.entries(condition)) {
      if (!isRecord(block)) continue;
      for (const [key, values] of Object.entries(block)) count(values, ['Statement', index, 'Condition', operator, key]);
    }
  });
  if (total > POLICY_LIMITS.documentValues) issues.error([], `the document holds ${total} actions, resources and condition values, more than the ${POLICY_LIMITS.documentValues} allowed: split it`);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function reportShapeIssue(zodIssue: core.$ZodIssue, parsed: unknown, issues: IssueList): void {
  const path = zodIssue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  if (zodIssue.code === 'unrecognized_keys') {
    const known = path.length === 0 ? DOCUMENT_FIELDS : STATEMENT_FIELDS;
    for (const key of zodIssue.keys) {
      const unsupported = UNSUPPORTED_FIELDS[key];
      if (unsupported !== undefined) issues.error([...path, key], `${key} is not supported: ${unsupported}`);
      else issues.error([...path, key], `unknown field ${JSON.stringify(key)} (fields: ${known.join(', ')})`, didYouMean(key, known));
    }
    return;
  }
  if (path.length > 0 && valueAt(parsed, path) === undefined) {
    issues.error(path, 'is required');
    return;
  }
  issues.error(path, zodIssue.message);
}

function analyzeStatement(statement: PolicyStatement, index: number, issues: IssueList, sids: Map<string, number>): AnalyzedStatement | undefined {
  const path: JsonPath = ['Statement', index];
  const errorsBefore = issues.errors.length;
  if (statement.Sid !== undefined) {
    if (statement.Sid.length > POLICY_LIMITS.sidLength || !SID.test(statement.Sid)) {
      issues.error([...path, 'Sid'], `must be 1 to ${POLICY_LIMITS.sidLength} letters, digits, '_' or '-'`);
    } else if (sids.has(statement.Sid)) {
      issues.error([...path, 'Sid'], `${JSON.stringify(statement.Sid)} is already the Sid of Statement[${sids.get(statement.Sid)}]: Sids name statements in decisions, so they must be unique`);
    } else {
      sids.set(statement.Sid, index);
    }
  }
  const actions = analyzeActions(statement.Action, [...path, 'Action'], issues);
  const resources = analyzeResources(statement.Resource, [...path, 'Resource'], actions, issues);
  const conditions = analyzeConditions(statement.Condition, [...path, 'Condition'], actions, issues);
  if (issues.errors.length > errorsBefore) return undefined;
  return { index, sid: statement.Sid, effect: statement.Effect, actions, resources, conditions, scope: JSON.stringify([statement.Resource, statement.Condition ?? null]) };
}

function analyzeActions(field: string | readonly string[], path: JsonPath, issues: IssueList): ActionDefinition[] {
  const matched = new Set<ActionDefinition>();
  for (const entry of listEntries(field, path)) {
    const pattern = entry.value;
    if (pattern.length > POLICY_LIMITS.patternLength) {
      issues.error(entry.path, `is longer than ${POLICY_LIMITS.patternLength} characters`);
      continue;
    }
    // Action names are case-insensitive, as in IAM.
    const matcher = compileGlob(pattern.toLowerCase());
    let any = false;
    ACTIONS.forEach((definition, ordinal) => {
      if (matchGlob(matcher, LOWER_CASE_ACTION_NAMES[ordinal] ?? '')) {
        matched.add(definition);
        any = true;
      }
    });
    if (!any) {
      const shape = pattern === '' || (!pattern.toLowerCase().startsWith('lakefn:') && pattern !== '*') ? ' (actions are named lakefn:<Verb><Noun>; SHOW ACTIONS lists them)' : ' (SHOW ACTIONS lists them)';
      issues.error(entry.path, `${JSON.stringify(pattern)} matches no lakefn action${shape}`, didYouMean(pattern, ACTION_NAMES));
    }
  }
  return [...matched].sort((left, right) => left.ordinal - right.ordinal);
}

function scopesOf(actions: readonly ActionDefinition[]): Set<ResourceScope> {
  return new Set(actions.flatMap((definition) => definition.resources));
}

function analyzeResources(field: string | readonly string[], path: JsonPath, actions: readonly ActionDefinition[], issues: IssueList): ResourcePattern[] {
  const patterns: ResourcePattern[] = [];
  const scopes = scopesOf(actions);
  for (const entry of listEntries(field, path)) {
    if (entry.value.length > POLICY_LIMITS.patternLength) {
      issues.error(entry.path, `is longer than ${POLICY_LIMITS.patternLength} characters`);
      continue;
    }
    const compiled = compileResourcePattern(entry.value);
    if ('problem' in compiled) {
      issues.error(entry.path, `${JSON.stringify(entry.value)} ${compiled.problem}`);
      continue;
    }
    patterns.push(compiled);
    if (compiled.kind === 'all' || actions.length === 0) continue;
    if (compiled.types.some((type) => scopes.has(type))) continue;
    const accountOnly = [...scopes].every((scope) => scope === 'account');
    issues.error(
      entry.path,
      accountOnly
        ? `${JSON.stringify(entry.value)} names ${compiled.types.join(' or ')} resources, but ${describeActions(actions)} ${actions.length === 1 ? 'applies' : 'apply'} to no resource (account-wide): write "Resource": "*"`
        : `${JSON.stringify(entry.value)} names ${compiled.types.join(' or ')} resources, which none of the statement's actions applies to (they apply to: ${[...scopes].join(', ')})`,
    );
  }
  return patterns;
}

function describeActions(actions: readonly ActionDefinition[]): string {
  const names = actions.slice(0, 3).map((definition) => definition.name);
  return actions.length > 3 ? `${names.join(', ')} and ${actions.length - 3} more` : names.join(', ');
}

function analyzeConditions(condition: PolicyStatement['Condition'], path: JsonPath, actions: readonly ActionDefinition[], issues: IssueList): CompiledCondition[] {
  const compiled: CompiledCondition[] = [];
  if (condition === undefined) return compiled;
  for (const [operator, block] of Object.entries(condition)) {
    const operatorPath = [...path, operator];
    if (!isConditionOperatorName(operator)) {
      issues.error(operatorPath, `unknown condition operator ${JSON.stringify(operator)} (operators: ${CONDITION_OPERATOR_NAMES.join(', ')})`, didYouMean(operator, CONDITION_OPERATOR_NAMES));
      continue;
    }
    const keys = Object.entries(block);
    if (keys.length === 0) issues.error(operatorPath, 'names no condition key');
    for (const [key, rawValues] of keys) {
      const keyPath = [...operatorPath, key];
      if (!isConditionKeyName(key)) {
        issues.error(keyPath, `unknown condition key ${JSON.stringify(key)} (keys: ${CONDITION_KEY_NAMES.join(', ')})`, didYouMean(key, CONDITION_KEY_NAMES));
        continue;
      }
      const values: readonly ConditionValue[] = Array.isArray(rawValues) ? rawValues : [rawValues];
      const result = compileCondition(operator, key, values, (valueIndex, message, suggestion) => {
        issues.error(valueIndex === undefined ? keyPath : [...keyPath, valueIndex], message, suggestion);
      });
      if (result === undefined || actions.length === 0) continue;
      compiled.push(result);
      const supporting = actions.filter((definition) => definition.conditionKeys.includes(key));
      if (supporting.length === 0) {
        issues.error(keyPath, `${key} is not supported by ${describeActions(actions)} (the keys of each action are in SHOW ACTIONS)`);
      } else if (supporting.length < actions.length) {
        const ignoring = actions.filter((definition) => !supporting.includes(definition));
        issues.warning(
          keyPath,
          `${key} is absent from requests for ${ignoring.length} of the statement's ${actions.length} actions (e.g. ${ignoring[0]?.name}): for those, this ${operator} condition is ${CONDITION_OPERATORS[operator].negated ? 'true' : 'false'}`,
        );
      }
    }
  }
  return compiled;
}

/** One line per issue: `Statement[1].Action[0]: "lakefn:DropConection" matches no lakefn action (did you mean "lakefn:DropConnection"?)`. */
export function formatPolicyIssue(policyIssue: PolicyIssue): string {
  const where = policyIssue.path === '' ? '' : `${policyIssue.path}: `;
  const hint = policyIssue.suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(policyIssue.suggestion)}?)`;
  return `${where}${policyIssue.message}${hint}`;
}
