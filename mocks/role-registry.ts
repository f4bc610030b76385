import { type MockProviders, mockProviderOf } from './mock-state.ts';
import type { ProviderName, RoleDefinition } from './mock-types.ts';
import { parseTrustPolicy, type TrustPolicy } from './trust-policy.ts';
import { LakefnError } from '../src/errors/index.ts';

export interface MockRole {
  readonly provider: ProviderName;
  readonly roleArn: string;
  readonly accountId: string;
  /** The account space the role lives in (from its ARN, else the cloud's default). */
  readonly partition: string;
  readonly roleName: string;
  /** A stable role id (AWS AROA…, Aliyun/Tencent digits), used in AssumedRoleId. */
  readonly roleId: string;
  readonly trust: TrustPolicy;
  readonly maxSessionDurationSeconds: number;
}

const MAX_ARN_LENGTH = 2048;

/** Roles by provider and ARN (compared case-insensitively where the cloud's role names are, as RAM's). */
export class RoleRegistry {
  readonly #providers: MockProviders;
  readonly #roles = new Map<string, MockRole>();
  #nextRoleNumber = 1;

  constructor(providers: MockProviders) {
    this.#providers = providers;
  }

  put(definition: RoleDefinition): MockRole {
    const mock = mockProviderOf(this.#providers, definition.provider);
    const parsed = definition.roleArn.length > MAX_ARN_LENGTH ? undefined : mock.roles.parseArn(definition.roleArn);
    if (parsed === undefined) throw new LakefnError('E_INVALID_ARGUMENT', `'${definition.roleArn.slice(0, 200)}' is not a ${definition.provider} role ARN`);
    const maxSessionDurationSeconds = definition.maxSessionDurationSeconds ?? mock.roles.defaultMaxSessionSeconds;
    if (!Number.isInteger(maxSessionDurationSeconds) || maxSessionDurationSeconds < 900 || maxSessionDurationSeconds > 43_200) {
      throw new LakefnError('E_INVALID_ARGUMENT', 'maxSessionDurationSeconds must be an integer from 900 to 43200');
    }
    const key = this.#key(definition.provider, definition.roleArn);
    const roleId = this.#roles.get(key)?.roleId ?? mock.roles.roleId(this.#nextRoleNumber++);
    const role: MockRole = {
      provider: definition.provider,
      roleArn: definition.roleArn,
      accountId: parsed.accountId,
      partition: parsed.partition ?? mock.accounts.partitions[0].id,
      roleName: parsed.roleName,
      roleId,
      trust: parseTrustPolicy(mock.trust, definition.trustPolicy),
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
    return `${provider}\n${mockProviderOf(this.#providers, provider).roles.caseInsensitive ? roleArn.toLowerCase() : roleArn}`;
  }
}
