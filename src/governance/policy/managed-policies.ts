import { ACTIONS, type ActionDefinition } from './action-catalog.ts';
import { compilePolicy, type CompiledPolicy, type PolicyLayer } from './compile-policy.ts';
import type { PolicyDocument } from './policy-document.ts';

export const MANAGED_POLICY_NAMES = ['LakefnFullAccess', 'LakefnReadOnlyAccess', 'LakefnDataFullAccess', 'LakefnDataReadOnlyAccess'] as const;
export type ManagedPolicyName = (typeof MANAGED_POLICY_NAMES)[number];

/** A built-in policy (the analogue of DLF's AliyunDLF* and AliyunDLFDSS* policies); its name is reserved. */
export interface ManagedPolicy {
  readonly name: ManagedPolicyName;
  readonly layer: PolicyLayer;
  readonly description: string;
  readonly document: PolicyDocument;
  /** The document as JSON text (what DESC POLICY shows). */
  readonly text: string;
  readonly compiled: CompiledPolicy;
}

const isReadOnly = (definition: ActionDefinition): boolean => definition.level === 'list' || definition.level === 'read';

function managed(name: ManagedPolicyName, layer: PolicyLayer, description: string, sid: string, actions: readonly string[]): ManagedPolicy {
  const document: PolicyDocument = { Version: '1', Statement: [{ Sid: sid, Effect: 'Allow', Action: [...actions], Resource: ['*'] }] };
  const text = JSON.stringify(document, null, 2);
  return { name, layer, description, document, text, compiled: compilePolicy(name, text, layer) };
}

/**
 * The four managed policies, derived from the catalog's access levels:
 * - LakefnFullAccess (API layer): every action;
 * - LakefnReadOnlyAccess (API layer): the list and read actions;
 * - LakefnDataFullAccess (data layer): every object and every action;
 * - LakefnDataReadOnlyAccess (data layer): the list and read actions and executing functions (InvokeFunction).
 * Data-layer policies count only in step 6 (the OR with object privileges); `admin` implies LakefnFullAccess and
 * LakefnDataFullAccess (the caller attaches them to the admin role's members).
 */
export const MANAGED_POLICIES: Readonly<Record<ManagedPolicyName, ManagedPolicy>> = {
  LakefnFullAccess: managed('LakefnFullAccess', 'api', 'API layer: every lakefn action.', 'FullAccess', ['lakefn:*']),
  LakefnReadOnlyAccess: managed('LakefnReadOnlyAccess', 'api', 'API layer: the list and read actions.', 'ReadOnlyAccess', ACTIONS.filter(isReadOnly).map((definition) => definition.name)),
  LakefnDataFullAccess: managed('LakefnDataFullAccess', 'data', 'Coarse data layer: every object, every action.', 'DataFullAccess', ['lakefn:*']),
  LakefnDataReadOnlyAccess: managed(
    'LakefnDataReadOnlyAccess',
    'data',
    'Coarse data layer: read and execute on every object (the list and read actions, InvokeFunction).',
    'DataReadOnlyAccess',
    ACTIONS.filter((definition) => isReadOnly(definition) || definition.executes === true).map((definition) => definition.name),
  ),
};

export function isManagedPolicyName(name: string): name is ManagedPolicyName {
  return (MANAGED_POLICY_NAMES as readonly string[]).includes(name);
}
