import { didYouMean } from '../../sql/did-you-mean.ts';
import { PROVIDER_NAMES } from '../../registry/providers.ts';
import { CONDITION_KEY_NAMES, CONDITION_KEYS, type ConditionKeyName } from './condition-keys.ts';
import { CONDITION_OPERATORS, type ConditionOperatorName } from './condition-operators.ts';
import { compileGlob, matchGlob, type GlobMatcher } from './glob-pattern.ts';
import { parsePolicyDate } from './policy-date.ts';
import type { ConditionValue } from './policy-document.ts';
import { POLICY_LIMITS } from './policy-limits.ts';
import { parseCidr, type CidrBlock, type SourceAddress } from './source-address.ts';

/** A request's value of a condition key: string keys hold strings, `ip` a SourceAddress, `date` epoch ms, `boolean` a boolean. */
export type ConditionKeyValue = string | number | boolean | SourceAddress;

/** One (operator, key, values) triple of a statement's Condition, ready to test. */
export interface CompiledCondition {
  readonly operator: ConditionOperatorName;
  readonly key: ConditionKeyName;
  /** Index of the key in CONDITION_KEY_NAMES (where a prepared request keeps its value). */
  readonly keyIndex: number;
  readonly negated: boolean;
  /** Whether the request's (present) value matches one of the policy's values. */
  readonly matchesAny: (value: ConditionKeyValue) => boolean;
}

/**
 * IAM semantics (AWS documents them; the issue is silent): the values of one key are OR-ed; the keys of one operator
 * and the operators of one Condition are AND-ed (`statementApplies`); a negated operator is the NOR of its values and
 * is true when the key is absent; a non-negated operator is false when the key is absent. See condition-operators.ts
 * for the citations.
 */
export function conditionHolds(condition: CompiledCondition, value: ConditionKeyValue | undefined): boolean {
  if (value === undefined) return condition.negated;
  return condition.negated ? !condition.matchesAny(value) : condition.matchesAny(value);
}

/** Reports a problem with one value (index into the key's value list, or undefined for the key as a whole). */
export type ConditionProblemSink = (valueIndex: number | undefined, message: string, suggestion?: string) => void;

const TYPE_NAMES = { string: 'a string key', ip: 'an IP address key', date: 'a date key', boolean: 'a boolean key' } as const;

/** Checks and compiles the values of one key under one operator; undefined when a problem was reported. */
export function compileCondition(operator: ConditionOperatorName, key: ConditionKeyName, values: readonly ConditionValue[], report: ConditionProblemSink): CompiledCondition | undefined {
  const operatorDefinition = CONDITION_OPERATORS[operator];
  const keyType = CONDITION_KEYS[key].type;
  if (operatorDefinition.type !== keyType) {
    const fitting = Object.entries(CONDITION_OPERATORS).filter(([, definition]) => definition.type === keyType).map(([name]) => name);
    report(undefined, `${key} is ${TYPE_NAMES[keyType]}: ${operator} does not apply to it (use ${fitting.join(' or ')})`);
    return undefined;
  }
  const base = { operator, key, keyIndex: CONDITION_KEY_NAMES.indexOf(key), negated: operatorDefinition.negated };
  let failed = false;
  const fail = (index: number, message: string, suggestion?: string): void => {
    failed = true;
    report(values.length === 1 ? undefined : index, message, suggestion);
  };
  switch (keyType) {
    case 'string': {
      const strings: string[] = [];
      values.forEach((value, index) => {
        if (typeof value !== 'string') return fail(index, `${operator} compares strings: ${JSON.stringify(value)} is not one (write it in quotes)`);
        if (value.length > POLICY_LIMITS.patternLength) return fail(index, `is longer than ${POLICY_LIMITS.patternLength} characters`);
        if (key === 'lakefn:Provider' && (operator === 'StringEquals' || operator === 'StringNotEquals') && !(PROVIDER_NAMES as readonly string[]).includes(value)) {
          const suggestion = didYouMean(value, PROVIDER_NAMES);
          return fail(index, `${JSON.stringify(value)} is not a provider (${PROVIDER_NAMES.join(', ')}; lower-case as stored)`, suggestion);
        }
        strings.push(value);
      });
      if (failed) return undefined;
      if (operator === 'StringLike' || operator === 'StringNotLike') {
        const patterns: GlobMatcher[] = strings.map(compileGlob);
        return { ...base, matchesAny: (value) => patterns.some((pattern) => matchGlob(pattern, value as string)) };
      }
      const set = new Set(strings);
      return { ...base, matchesAny: (value) => set.has(value as string) };
    }
    case 'ip': {
      const blocks: CidrBlock[] = [];
      values.forEach((value, index) => {
        if (typeof value !== 'string') return fail(index, `${JSON.stringify(value)} is not an IP address or CIDR block in quotes`);
        const cidr = parseCidr(value);
        if ('problem' in cidr) return fail(index, `${JSON.stringify(value)} ${cidr.problem}`);
        blocks.push(cidr);
      });
      if (failed) return undefined;
      return { ...base, matchesAny: (value) => (value as SourceAddress).isInAny(blocks) };
    }
    case 'date': {
      const times: number[] = [];
      values.forEach((value, index) => {
        if (typeof value === 'boolean') return fail(index, `${String(value)} is not a date`);
        const time = parsePolicyDate(value);
        if (typeof time !== 'number') return fail(index, `${JSON.stringify(value)} ${time.problem}`);
        times.push(time);
      });
      if (failed) return undefined;
      // DateLessThan: the request's time is before a policy value; DateGreaterThan: after one.
      const limit = operator === 'DateLessThan' ? Math.max(...times) : Math.min(...times);
      return { ...base, matchesAny: operator === 'DateLessThan' ? (value) => (value as number) < limit : (value) => (value as number) > limit };
    }
    case 'boolean': {
      const booleans: boolean[] = [];
      values.forEach((value, index) => {
        if (value === true || value === 'true') return void booleans.push(true);
        if (value === false || value === 'false') return void booleans.push(false);
        const suggestion = typeof value === 'string' ? didYouMean(value, ['true', 'false']) : undefined;
        return fail(index, `${JSON.stringify(value)} is not true or false`, suggestion);
      });
      if (failed) return undefined;
      const accepted = new Set(booleans);
      return { ...base, matchesAny: (value) => accepted.has(value as boolean) };
    }
  }
}
