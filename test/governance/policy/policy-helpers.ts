import {
  compilePolicy,
  type AttachedPolicy,
  type AuthorizationInput,
  type AuthorizationRequest,
  type CompiledPolicy,
  type PolicyAttachment,
} from '../../../src/governance/policy/index.ts';

/** A statement in a test document (loosely typed so tests can also write invalid ones). */
export type TestStatement = Record<string, unknown>;

export function documentText(...statements: TestStatement[]): string {
  return JSON.stringify({ Version: '1', Statement: statements });
}

export function policy(name: string, ...statements: TestStatement[]): CompiledPolicy {
  return compilePolicy(name, documentText(...statements));
}

export function attached(compiled: CompiledPolicy, attachedTo: PolicyAttachment = { kind: 'user', name: 'alice' }): AttachedPolicy {
  return { policy: compiled, attachedTo };
}

/** An input for alice with nothing attached and no object privilege; override what the test is about. */
export function input(request: AuthorizationRequest, overrides: Partial<AuthorizationInput> = {}): AuthorizationInput {
  return {
    principal: { name: 'alice', superAdministrator: false },
    request,
    boundaries: [],
    policies: [],
    objectPrivilege: { allowed: false, missing: 'a privilege' },
    objectPrivilegesEnabled: true,
    ...overrides,
  };
}
