import type { ProviderName } from './mock-types.ts';

/** One statement of a trust policy, reduced to what AssumeRole decisions need. */
interface TrustStatement {
  readonly effect: 'allow' | 'deny';
  /** Trusted account ids; '*' = anyone. */
  readonly accounts: readonly string[];
  readonly allowsAssumeRole: boolean;
  /** Accepted external ids; undefined = no external-ID condition (the insecure case). */
  readonly externalIds: readonly string[] | undefined;
  /** A condition the mock does not understand: the statement never matches (fail closed). */
  readonly unsupportedCondition: boolean;
}

/** A parsed trust policy of any of the three providers. */
export interface TrustPolicy {
  readonly statements: readonly TrustStatement[];
}

const MAX_POLICY_CHARACTERS = 64 * 1024;

/**
 * Parses AWS, Aliyun RAM or Tencent CAM trust-policy JSON (the documents DESC API CONNECTION prints). Lenient on form:
 * keys in any case, principal as string or array, with or without `:root`, bare account ids, action with Tencent's
 * `name/` prefix. A statement with no condition requires no external ID. Throws on a document with no statements.
 */
export function parseTrustPolicy(provider: ProviderName, document: string | object): TrustPolicy {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  if (text.length > MAX_POLICY_CHARACTERS) throw new Error(`the trust policy is longer than ${MAX_POLICY_CHARACTERS} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('the trust policy is not valid JSON');
  }
  const root = lowerKeys(parsed);
  const statementValue = root?.['statement'];
  const rawStatements = Array.isArray(statementValue) ? statementValue : statementValue === undefined ? [] : [statementValue];
  if (rawStatements.length === 0) throw new Error('the trust policy has no Statement');
  return { statements: rawStatements.map((statement, index) => parseStatement(provider, statement, index)) };
}

/** Whether `callerAccountId` may assume the role, given the external ID it sent (if any). Explicit Deny wins. */
export function trustAllows(policy: TrustPolicy, callerAccountId: string, externalId: string | undefined): boolean {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statement.allowsAssumeRole || statement.unsupportedCondition) continue;
    if (!statement.accounts.includes('*') && !statement.accounts.includes(callerAccountId)) continue;
    const conditionHolds = statement.externalIds === undefined || (externalId !== undefined && statement.externalIds.includes(externalId));
    if (!conditionHolds) continue;
    if (statement.effect === 'deny') return false;
    allowed = true;
  }
  return allowed;
}

function parseStatement(provider: ProviderName, value: unknown, index: number): TrustStatement {
  const statement = lowerKeys(value);
  if (statement === undefined) throw new Error(`Statement ${index} is not an object`);
  const effectValue = statement['effect'];
  const effect = typeof effectValue === 'string' ? effectValue.toLowerCase() : '';
  if (effect !== 'allow' && effect !== 'deny') throw new Error(`Statement ${index} needs Effect Allow or Deny`);
  const actions = strings(statement['action']).map((action) => action.toLowerCase().replace(/^name\//, ''));
  const { externalIds, unsupported } = parseCondition(statement['condition']);
  return {
    effect,
    accounts: principalAccounts(provider, statement['principal']),
    allowsAssumeRole: actions.some((action) => action === 'sts:assumerole' || action === 'sts:*' || action === '*'),
    externalIds,
    unsupportedCondition: unsupported,
  };
}

/** Account ids named by a principal: AWS {"AWS": …}, Aliyun {"RAM": …}, Tencent {"qcs": …}, or "*". */
function principalAccounts(provider: ProviderName, value: unknown): string[] {
  if (value === '*') return ['*'];
  const principal = lowerKeys(value);
  if (principal === undefined) return [];
  const key = { aws: 'aws', aliyun: 'ram', tencent: 'qcs' }[provider];
  return strings(principal[key]).map((entry) => accountOf(provider, entry)).filter((id) => id !== '');
}

function accountOf(provider: ProviderName, principal: string): string {
  const value = principal.trim();
  if (value === '*' || /^\d{1,32}$/.test(value)) return value;
  if (provider === 'tencent') {
    // qcs::cam::uin/<uin>[:root | :uin/<sub>]
    const start = value.indexOf('uin/');
    if (start === -1) return '';
    const rest = value.slice(start + 4);
    const end = rest.indexOf(':');
    return end === -1 ? rest : rest.slice(0, end);
  }
  // arn:aws:iam::<acct>:root and acs:ram::<uid>:root: the account is the field before the resource
  const parts = value.split(':');
  const account = provider === 'aws' ? parts[4] : parts[3];
  return account !== undefined && /^\d{1,32}$/.test(account) ? account : '';
}

/** External IDs from StringEquals/sts:ExternalId (AWS, Aliyun) or string_equal/sts:external_id (Tencent). */
function parseCondition(value: unknown): { externalIds: string[] | undefined; unsupported: boolean } {
  const condition = lowerKeys(value);
  if (condition === undefined || Object.keys(condition).length === 0) return { externalIds: undefined, unsupported: false };
  let externalIds: string[] | undefined;
  let unsupported = false;
  for (const [operator, body] of Object.entries(condition)) {
    const entries = lowerKeys(body);
    if ((operator !== 'stringequals' && operator !== 'string_equal') || entries === undefined) {
      unsupported = true;
      continue;
    }
    for (const [key, accepted] of Object.entries(entries)) {
      if (key.replaceAll('_', '') === 'sts:externalid') externalIds = [...(externalIds ?? []), ...strings(accepted)];
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
