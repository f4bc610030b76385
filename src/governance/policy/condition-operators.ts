import type { ConditionValueType } from './condition-keys.ts';

export interface ConditionOperatorDefinition {
  /** The key type the operator tests. */
  readonly type: ConditionValueType;
  /**
   * A negated operator is true when NO value matches (the values are NOR-ed), and true when the key is absent from
   * the request. This is IAM's documented behaviour: "If the key that you specify in a policy condition is not present
   * in the request context, the values do not match and the condition is false. If the policy condition requires that
   * the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition is
   * true." (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html) and
   * "If a single negated matching condition operator includes multiple values for a context key, those values are
   * evaluated using a logical NOR." (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html).
   * So a `Deny` with `NotIpAddress` also denies requests that carry no source IP (local CLI, in-process hook): fail closed.
   */
  readonly negated: boolean;
  readonly description: string;
}

/** The condition operators, IAM's names and meanings (no IfExists, Null or set operators). */
export const CONDITION_OPERATORS = {
  StringEquals: { type: 'string', negated: false, description: 'The key equals one of the values (case-sensitive).' },
  StringNotEquals: { type: 'string', negated: true, description: 'The key equals none of the values, or is absent.' },
  StringLike: { type: 'string', negated: false, description: 'The key matches one of the values; * matches any run of characters, ? one character (no escape character: match a literal * or ? with ?).' },
  StringNotLike: { type: 'string', negated: true, description: 'The key matches none of the values, or is absent.' },
  IpAddress: { type: 'ip', negated: false, description: 'The address is in one of the CIDR blocks (IPv4 or IPv6; a bare address is a /32 or /128).' },
  NotIpAddress: { type: 'ip', negated: true, description: 'The address is in none of the CIDR blocks, or is absent.' },
  DateLessThan: { type: 'date', negated: false, description: 'The time is before one of the values (ISO 8601 with a zone, a date alone meaning 00:00Z, or epoch seconds).' },
  DateGreaterThan: { type: 'date', negated: false, description: 'The time is after one of the values.' },
  Bool: { type: 'boolean', negated: false, description: 'The key equals the value (true or false, as a JSON boolean or the string "true" / "false").' },
} as const satisfies Record<string, ConditionOperatorDefinition>;

export type ConditionOperatorName = keyof typeof CONDITION_OPERATORS;

export const CONDITION_OPERATOR_NAMES = Object.keys(CONDITION_OPERATORS) as ConditionOperatorName[];

export function isConditionOperatorName(value: string): value is ConditionOperatorName {
  return Object.hasOwn(CONDITION_OPERATORS, value);
}
