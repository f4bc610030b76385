import type { ProviderName, RoleDefinition } from './mock-types.ts';
import { parseTrustPolicy, type TrustPolicy } from './trust-policy.ts';

export interface MockRole {
  readonly provider: ProviderName;
  readonly roleArn: string;
  readonly accountId: string;
  readonly roleName: string;
  /** A stable role id (AWS AROA…, Aliyun/Tencent digits), used in AssumedRoleId. */
  readonly roleId: string;
  readonly trust: TrustPolicy;
  readonly maxSessionDurationSeconds: number;
}

/** The longest session each provider allows a role by default (AWS/Aliyun 1 h; Tencent's AssumeRole maximum 12 h). */
export const DEFAULT_MAX_SESSION_SECONDS = { aws: 3600, aliyun: 3600, tencent: 43_200 } as const satisfies Record<ProviderName, number>;
const MAX_ARN_LENGTH = 2048;

/**
 * Account and role name from a role ARN, or undefined when it is not one:
 * arn:aws:iam::<12 digits>:role/[path/]<name>, acs:ram::<uid>:role/<name>, qcs::cam::uin/<uin>:roleName/<name>.
 */
export function parseRoleArn(provider: ProviderName, roleArn: string): { accountId: string; roleName: string } | undefined {
  if (roleArn.length > MAX_ARN_LENGTH) return undefined;
  const parts = roleArn.split(':');
  let accountId: string | undefined;
  let resource: string | undefined;
  let resourcePrefixes: readonly string[];
  switch (provider) {
    case 'aws':
      if (parts.length !== 6 || parts[0] !== 'arn' || !parts[1]?.startsWith('aws') || parts[2] !== 'iam' || parts[3] !== '') return undefined;
      [accountId, resource, resourcePrefixes] = [parts[4], parts[5], ['role/']];
      break;
    case 'aliyun':
      if (parts.length !== 5 || parts[0] !== 'acs' || parts[1] !== 'ram' || parts[2] !== '') return undefined;
      [accountId, resource, resourcePrefixes] = [parts[3], parts[4]?.toLowerCase(), ['role/']];
      break;
    case 'tencent':
      if (parts.length !== 6 || parts[0] !== 'qcs' || parts[1] !== '' || parts[2] !== 'cam' || parts[3] !== '' || !parts[4]?.startsWith('uin/')) return undefined;
      [accountId, resource, resourcePrefixes] = [parts[4].slice(4), parts[5], ['roleName/', 'role/']];
      break;
  }
  if (accountId === undefined || resource === undefined || !/^\d{1,32}$/.test(accountId)) return undefined;
  const prefix = resourcePrefixes.find((candidate) => resource.startsWith(candidate));
  if (prefix === undefined) return undefined;
  const roleName = resource.slice(resource.lastIndexOf('/') + 1);
  return roleName === '' ? undefined : { accountId, roleName };
}

/** Roles by provider and ARN (Aliyun ARNs compare case-insensitively, as RAM role names do). */
export class RoleRegistry {
  readonly #roles = new Map<string, MockRole>();
  #nextRoleNumber = 1;

  put(definition: RoleDefinition): MockRole {
    const parsed = parseRoleArn(definition.provider, definition.roleArn);
    if (parsed === undefined) throw new Error(`'${definition.roleArn.slice(0, 200)}' is not a ${definition.provider} role ARN`);
    const maxSessionDurationSeconds = definition.maxSessionDurationSeconds ?? DEFAULT_MAX_SESSION_SECONDS[definition.provider];
    if (!Number.isInteger(maxSessionDurationSeconds) || maxSessionDurationSeconds < 900 || maxSessionDurationSeconds > 43_200) {
      throw new Error('maxSessionDurationSeconds must be an integer from 900 to 43200');
    }
    const key = this.#key(definition.provider, definition.roleArn);
    const roleNumber = this.#roles.get(key)?.roleId ?? this.#newRoleId(definition.provider);
    const role: MockRole = {
      provider: definition.provider,
      roleArn: definition.roleArn,
      ...parsed,
      roleId: roleNumber,
      trust: parseTrustPolicy(definition.provider, definition.trustPolicy),
      maxSessionDurationSeconds,
    };
    this.#roles.set(key, role);
    return role;
  }

  get(provider: ProviderName, roleArn: string): MockRole | undefined {
    return this.#roles.get(this.#key(provider, roleArn));
  }

  clear(): void {
    this.#roles.clear();
  }

  #key(provider: ProviderName, roleArn: string): string {
    return `${provider}\n${provider === 'aliyun' ? roleArn.toLowerCase() : roleArn}`;
  }

  #newRoleId(provider: ProviderName): string {
    const number = String(this.#nextRoleNumber++).padStart(12, '0');
    return provider === 'aws' ? `AROA${number}MOCK` : `3${number.padStart(17, '0')}`;
  }
}
