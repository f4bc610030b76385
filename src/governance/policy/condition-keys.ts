import { PROVIDER_NAMES } from '../../registry/providers.ts';

/** What kind of value a condition key holds; it decides which operators may test it. */
export type ConditionValueType = 'string' | 'ip' | 'date' | 'boolean';

export interface ConditionKeyDefinition {
  readonly type: ConditionValueType;
  readonly description: string;
}

/**
 * Every condition key a policy may test. Keys are case-sensitive as written here. `lakefn:Project`,
 * `lakefn:ConnectionName` and `lakefn:FunctionName` are derived from the request's resource when it is of that type;
 * `lakefn:PrincipalName` and `lakefn:CurrentTime` are always present; the others come from the caller's context.
 * `lakefn:ViaPackage` is the one boolean key, so that `Bool` has something to test.
 */
export const CONDITION_KEYS = {
  'lakefn:Provider': { type: 'string', description: `The cloud of the connection involved (${PROVIDER_NAMES.join(', ')}), lower-case as stored. For CreateConnection and AlterConnection, the value after the statement.` },
  'lakefn:Region': { type: 'string', description: 'The region of the connection involved, e.g. cn-shanghai. For CreateConnection and AlterConnection, the value after the statement.' },
  'lakefn:Project': { type: 'string', description: 'The project of the resource (the project itself for a project resource). Absent for account-wide actions.' },
  'lakefn:ConnectionName': { type: 'string', description: "The connection's name: the resource's for connection actions, the function's connection for function actions." },
  'lakefn:FunctionName': { type: 'string', description: "The function's name as stored ([schema.]name), for function actions and package contents." },
  'lakefn:SourceIp': { type: 'ip', description: "The client's IP address (IPv4, or IPv6; an IPv4-mapped IPv6 address is tested as IPv4). Absent for the local CLI and the in-process hook." },
  'lakefn:CurrentTime': { type: 'date', description: 'The time of the request (UTC).' },
  'lakefn:PrincipalName': { type: 'string', description: 'The name of the authenticated user (or role) making the request; for a definer-rights check, the function owner.' },
  'lakefn:ViaPackage': { type: 'boolean', description: 'true when a function is reached through a package installed from another project.' },
} as const satisfies Record<`lakefn:${string}`, ConditionKeyDefinition>;

export type ConditionKeyName = keyof typeof CONDITION_KEYS;

export const CONDITION_KEY_NAMES = Object.keys(CONDITION_KEYS) as ConditionKeyName[];

/** Keys every action supports (they describe the request, not the resource). */
export const GLOBAL_CONDITION_KEYS: readonly ConditionKeyName[] = ['lakefn:SourceIp', 'lakefn:CurrentTime', 'lakefn:PrincipalName'];

export function isConditionKeyName(value: string): value is ConditionKeyName {
  return Object.hasOwn(CONDITION_KEYS, value);
}
