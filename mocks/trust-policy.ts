import type { TrustDialect } from './mock-provider.ts';
import { LakefnError } from '../src/errors/index.ts';

/** One principal a statement trusts: an account (of a partition, when the principal says which), or anyone. */
type TrustedPrincipal = { readonly accountId: string; readonly partition: string | undefined } | '*';

/** One statement of a trust policy, reduced to what AssumeRole decisions need. */
interface TrustStatement {
  readonly effect: 'allow' | 'deny';
  readonly principals: readonly TrustedPrincipal[];
  readonly allowsAssumeRole: boolean;
  /** Accepted external ids; undefined = no external-ID condition (the insecure case). */
  readonly externalIds: readonly string[] | undefined;
  /** A condition the mock does not understand: the statement never matches (fail closed). */
  readonly unsupportedCondition: boolean;
}

/** A parsed trust policy, in any cloud's dialect. */
export interface TrustPolicy {
  readonly statements: readonly TrustStatement[];
}

const MAX_POLICY_CHARACTERS = 64 * 1024;

/**
 * Parses a trust-policy document in the cloud's own dialect (the documents DESC API CONNECTION prints). Lenient on
 * form: keys in any case, principal as string or array, with or without `:root`, bare account ids, action with
 * Tencent's `name/` prefix. Strict on meaning, as the clouds are: only the dialect's principal key, operator and
 * external-ID key count (another cloud's condition is not understood, so its statement never matches). A statement
 * with no condition requires no external ID. Throws on a document with no statements.
 */
export function parseTrustPolicy(dialect: TrustDialect, document: string | object): TrustPolicy {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  if (text.length > MAX_POLICY_CHARACTERS) throw new LakefnError('E_INVALID_ARGUMENT', `the trust policy is longer than ${MAX_POLICY_CHARACTERS} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LakefnError('E_INVALID_ARGUMENT', 'the trust policy is not valid JSON');
  }
  const root = lowerKeys(parsed);
  const statementValue = root?.['statement'];
  const rawStatements = Array.isArray(statementValue) ? statementValue : statementValue === undefined ? [] : [statementValue];
  if (rawStatements.length === 0) throw new LakefnError('E_INVALID_ARGUMENT', 'the trust policy has no Statement');
  return { statements: rawStatements.map((statement, index) => parseStatement(dialect, statement, index)) };
}

/**
 * Whether an account may assume the role, given the external ID it sent (if any). A principal that names a
 * partition admits only callers of that partition (an `arn:aws:…` principal is not the same account as an
 * `aws-cn` one with the same digits). Explicit Deny wins.
 */
export function trustAllows(policy: TrustPolicy, callerAccountId: string, externalId: string | undefined, callerPartition?: string): boolean {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statement.allowsAssumeRole || statement.unsupportedCondition) continue;
    const admitted = statement.principals.some(
      (principal) => principal === '*' || (principal.accountId === callerAccountId && (principal.partition === undefined || callerPartition === undefined || principal.partition === callerPartition)),
    );
    if (!admitted) continue;
    const conditionHolds = statement.externalIds === undefined || (externalId !== undefined && statement.externalIds.includes(externalId));
    if (!conditionHolds) continue;
    if (statement.effect === 'deny') return false;
    allowed = true;
  }
  return allowed;
}

function parseStatement(dialect: TrustDialect, value: unknown, index: number): TrustStatement {
  const statement = lowerKeys(value);
  if (statement === undefined) throw new LakefnError('E_INVALID_ARGUMENT', `Statement ${index} is not an object`);
  const effectValue = statement['effect'];
  const effect = typeof effectValue === 'string' ? effectValue.toLowerCase() : '';
  if (effect !== 'allow' && effect !== 'deny') throw new LakefnError('E_INVALID_ARGUMENT', `Statement ${index} needs Effect Allow or Deny`);
  const actions = strings(statement['action']).map((action) => action.toLowerCase().replace(/^name\//, ''));
  const { externalIds, unsupported } = parseCondition(dialect, statement['condition']);
  return {
    effect,
    principals: principals(dialect, statement['principal']),
    allowsAssumeRole: actions.some((action) => dialect.assumeActions.includes(action) || action === 'sts:*' || action === '*'),
    externalIds,
    unsupportedCondition: unsupported,
  };
}

/** Principals under the dialect's key (`{"AWS": …}`, `{"RAM": …}`, `{"qcs": …}`), or "*". */
function principals(dialect: TrustDialect, value: unknown): TrustedPrincipal[] {
  if (value === '*') return ['*'];
  const principal = lowerKeys(value);
  if (principal === undefined) return [];
  return strings(principal[dialect.principalKey]).flatMap((entry): TrustedPrincipal[] => {
    const trimmed = entry.trim();
    if (trimmed === '*') return ['*'];
    const account = dialect.principalAccount(trimmed);
    return account === undefined ? [] : [account];
  });
}

/** External IDs from the dialect's equality operator and key; anything else is a condition the mock cannot honour. */
function parseCondition(dialect: TrustDialect, value: unknown): { externalIds: string[] | undefined; unsupported: boolean } {
  const condition = lowerKeys(value);
  if (condition === undefined || Object.keys(condition).length === 0) return { externalIds: undefined, unsupported: false };
  let externalIds: string[] | undefined;
  let unsupported = false;
  for (const [operator, body] of Object.entries(condition)) {
    const entries = lowerKeys(body);
    if (operator !== dialect.equalsOperator || entries === undefined) {
      unsupported = true;
      continue;
    }
    for (const [key, accepted] of Object.entries(entries)) {
      if (key === dialect.externalIdKey) externalIds = [...(externalIds ?? []), ...strings(accepted)];
      else unsupported = true;
    }
  }
  return { externalIds, unsupported };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function lowerKeys(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key.toLowerCase(), entry]));
}
