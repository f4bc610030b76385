import { LakefnError } from '../../errors/index.ts';
import { findAction, type ActionDefinition, type ActionName } from './action-catalog.ts';
import type { ConditionKeyValue } from './compiled-condition.ts';
import { CONDITION_KEY_NAMES, type ConditionKeyName } from './condition-keys.ts';
import type { ResourceName } from './resource-name.ts';
import { SourceAddress } from './source-address.ts';

/**
 * The condition keys a caller supplies. `lakefn:Project`, `lakefn:PrincipalName`, and `lakefn:ConnectionName` /
 * `lakefn:FunctionName` of a connection / function resource are derived (from the resource and the principal) and
 * cannot be given here. A key the action does not support (see its catalog entry) is ignored: for that action it is
 * absent, whatever is passed.
 */
export interface RequestContext {
  readonly 'lakefn:Provider'?: string | undefined;
  readonly 'lakefn:Region'?: string | undefined;
  /** For function actions: the function's connection. */
  readonly 'lakefn:ConnectionName'?: string | undefined;
  /** For package contents (ADD/REMOVE FUNCTION) and project-wide history: the function concerned. */
  readonly 'lakefn:FunctionName'?: string | undefined;
  /** The client address as the socket reports it; absent for the local CLI and the in-process hook. */
  readonly 'lakefn:SourceIp'?: string | undefined;
  /** Defaults to the time of the `authorize` call. */
  readonly 'lakefn:CurrentTime'?: Date | number | undefined;
  readonly 'lakefn:ViaPackage'?: boolean | undefined;
}

/** What is asked: an action on a resource (none for an account-wide action), with the request's context. */
export interface AuthorizationRequest {
  readonly action: ActionName;
  /** Omitted (or undefined) exactly for account-wide requests: the action's catalog entry must list `account`. */
  readonly resource?: ResourceName | undefined;
  readonly context?: RequestContext | undefined;
}

/** A request checked against the catalog, with every supported key's value at its CONDITION_KEY_NAMES index. */
export interface PreparedRequest {
  readonly action: ActionDefinition;
  readonly resource: ResourceName | undefined;
  readonly values: readonly (ConditionKeyValue | undefined)[];
}

const KEY_INDEX = Object.fromEntries(CONDITION_KEY_NAMES.map((key, index) => [key, index])) as Record<ConditionKeyName, number>;

const EMPTY_CONTEXT: RequestContext = {};
/** Context keys copied as given (when the action supports them). */
const PASSED_THROUGH = ['lakefn:Provider', 'lakefn:Region', 'lakefn:ViaPackage'] as const satisfies readonly ConditionKeyName[];

function misuse(message: string): LakefnError {
  return new LakefnError('E_INTERNAL', `authorization request is malformed: ${message}`);
}

/**
 * Checks a request against the catalog and gathers its condition values. A request the catalog does not allow
 * (unknown action, a resource of a type the action does not apply to, a missing resource, an unparseable source IP)
 * is a programming error: it throws E_INTERNAL rather than being decided.
 */
export function prepareRequest(request: AuthorizationRequest, principalName: string, now: number, sourceAddress?: SourceAddress): PreparedRequest {
  const action = findAction(request.action);
  if (action === undefined) throw misuse(`unknown action ${request.action}`);
  const resource = request.resource;
  if (resource === undefined ? !action.resources.includes('account') : !action.resources.includes(resource.type)) {
    throw misuse(`${action.name} applies to ${action.resources.join(', ')}, not to ${resource === undefined ? 'the account (no resource)' : `a ${resource.type}`}`);
  }
  const context = request.context ?? EMPTY_CONTEXT;
  const values = new Array<ConditionKeyValue | undefined>(CONDITION_KEY_NAMES.length);
  const supported = action.supportsKey;
  // Derived keys first; a key the action does not support stays absent.
  if (resource !== undefined && supported[KEY_INDEX['lakefn:Project']] === true) values[KEY_INDEX['lakefn:Project']] = resource.type === 'project' ? resource.name : resource.project;
  const connectionName = resource?.type === 'connection' ? resource.name : context['lakefn:ConnectionName'];
  if (connectionName !== undefined && supported[KEY_INDEX['lakefn:ConnectionName']] === true) values[KEY_INDEX['lakefn:ConnectionName']] = connectionName;
  const functionName = resource?.type === 'function' ? resource.name : context['lakefn:FunctionName'];
  if (functionName !== undefined && supported[KEY_INDEX['lakefn:FunctionName']] === true) values[KEY_INDEX['lakefn:FunctionName']] = functionName;
  for (const key of PASSED_THROUGH) {
    const value = context[key];
    if (value !== undefined && supported[KEY_INDEX[key]] === true) values[KEY_INDEX[key]] = value;
  }
  values[KEY_INDEX['lakefn:PrincipalName']] = principalName;
  const time = context['lakefn:CurrentTime'];
  values[KEY_INDEX['lakefn:CurrentTime']] = time === undefined ? now : typeof time === 'number' ? time : time.getTime();
  const sourceIp = context['lakefn:SourceIp'];
  if (sourceAddress !== undefined) values[KEY_INDEX['lakefn:SourceIp']] = sourceAddress;
  else if (sourceIp !== undefined) {
    const address = SourceAddress.parse(sourceIp);
    if (address === undefined) throw misuse(`lakefn:SourceIp ${JSON.stringify(sourceIp.slice(0, 64))} is not an IP address`);
    values[KEY_INDEX['lakefn:SourceIp']] = address;
  }
  return { action, resource, values };
}
