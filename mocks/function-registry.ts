import { builtinFunction, BUILTIN_FUNCTION_NAMES } from './builtin-functions.ts';
import { type MockProviders, mockProviderOf } from './mock-state.ts';
import type { FunctionCounters, FunctionDefinition, FunctionHandler, ProviderName } from './mock-types.ts';
import { LakefnError } from '../src/errors/index.ts';

/** Mutable per-function statistics and warm-instance state. */
export interface FunctionState {
  calls: number;
  rows: number;
  inFlight: number;
  maxInFlight: number;
  throttled: number;
  functionErrors: number;
  faults: number;
  coldStarts: number;
  warmInstances: number;
}

export interface RegisteredFunction {
  /** `provider/account/region/name`, on namespaced clouds `provider/account/region/namespace/name`. */
  readonly key: string;
  readonly provider: ProviderName;
  readonly accountId: string;
  readonly region: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly handler: FunctionHandler;
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly coldStartMs: number;
  readonly throttleRetryAfterSeconds: number;
  readonly throttleReport: 'api_error' | 'function_error';
  /** Published versions and aliases (see FunctionDefinition.qualifiers). */
  readonly qualifiers: ReadonlySet<string>;
  readonly state: FunctionState;
}

/** @default 1000, the default account concurrency of Lambda. */
export const DEFAULT_FUNCTION_CONCURRENCY = 1000;
const DEFAULT_NAMESPACE = 'default';
const MAX_NAME_LENGTH = 170;

function emptyState(): FunctionState {
  return { calls: 0, rows: 0, inFlight: 0, maxInFlight: 0, throttled: 0, functionErrors: 0, faults: 0, coldStarts: 0, warmInstances: 0 };
}

/** Functions by provider, account, region, (namespace, on clouds that have them) and name. */
export class FunctionRegistry {
  readonly #providers: MockProviders;
  readonly #functions = new Map<string, RegisteredFunction>();
  /** `provider/account/name` → the regions' functions, for FC whose loopback requests carry no region. */
  readonly #byName = new Map<string, RegisteredFunction[]>();

  constructor(providers: MockProviders) {
    this.#providers = providers;
  }

  put(definition: FunctionDefinition): RegisteredFunction {
    const { provider, accountId, region, name } = definition;
    if (name === '' || name.length > MAX_NAME_LENGTH || name.includes('/')) throw new LakefnError('E_INVALID_ARGUMENT', `invalid function name '${name.slice(0, 40)}'`);
    if (region === '' || region.length > 64) throw new LakefnError('E_INVALID_ARGUMENT', 'a function needs a region');
    const namespace = this.#namespaced(provider) ? (definition.namespace ?? DEFAULT_NAMESPACE) : undefined;
    const handler = this.#handler(definition);
    const concurrency = definition.concurrency ?? DEFAULT_FUNCTION_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new LakefnError('E_INVALID_ARGUMENT', 'concurrency must be a positive integer');
    if ((definition.qualifiers ?? []).some((qualifier) => qualifier === '' || qualifier.length > 128)) throw new LakefnError('E_INVALID_ARGUMENT', 'a qualifier is 1 to 128 characters');
    for (const [label, value] of [['latencyMs', definition.latencyMs], ['coldStartMs', definition.coldStartMs], ['throttleRetryAfterSeconds', definition.throttleRetryAfterSeconds]] as const) {
      if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new LakefnError('E_INVALID_ARGUMENT', `${label} must be a non-negative number`);
    }
    const key = this.#key(provider, accountId, region, namespace, name);
    const registered: RegisteredFunction = {
      key,
      provider,
      accountId,
      region,
      namespace,
      name,
      handler,
      concurrency,
      latencyMs: definition.latencyMs ?? 0,
      coldStartMs: definition.coldStartMs ?? 0,
      throttleRetryAfterSeconds: definition.throttleRetryAfterSeconds ?? 1,
      throttleReport: definition.throttleReport ?? 'api_error',
      qualifiers: new Set(definition.qualifiers ?? []),
      state: this.#functions.get(key)?.state ?? emptyState(),
    };
    this.#functions.set(key, registered);
    const nameKey = `${provider}/${accountId}/${name}`;
    this.#byName.set(nameKey, [...(this.#byName.get(nameKey) ?? []).filter((other) => other.key !== key), registered]);
    return registered;
  }

  /** Whether `qualifier` (absent: the latest code) names code of `fn`: the service's latest qualifiers or a published one. */
  hasQualifier(fn: RegisteredFunction, qualifier: string | undefined): boolean {
    if (qualifier === undefined || qualifier === '') return true;
    return mockProviderOf(this.#providers, fn.provider).functions.latestQualifiers.includes(qualifier) || fn.qualifiers.has(qualifier);
  }

  get(provider: ProviderName, accountId: string, region: string, namespace: string | undefined, name: string): RegisteredFunction | undefined {
    return this.#functions.get(this.#key(provider, accountId, region, namespace, name));
  }

  /** Every region's function of that name in the account (FC requests on loopback do not say the region). */
  inAnyRegion(provider: ProviderName, accountId: string, name: string): readonly RegisteredFunction[] {
    return this.#byName.get(`${provider}/${accountId}/${name}`) ?? [];
  }

  counters(): Record<string, FunctionCounters> {
    const counters: Record<string, FunctionCounters> = {};
    for (const { key, state } of this.#functions.values()) {
      const { warmInstances: _warm, ...visible } = state;
      counters[key] = { ...visible };
    }
    return counters;
  }

  /** Zeroes statistics and warm instances (in-flight calls keep counting down to zero). */
  resetState(): void {
    for (const { state } of this.#functions.values()) {
      Object.assign(state, { ...emptyState(), inFlight: state.inFlight });
    }
  }

  clear(): void {
    this.#functions.clear();
    this.#byName.clear();
  }

  #namespaced(provider: ProviderName): boolean {
    return mockProviderOf(this.#providers, provider).functions.namespaced;
  }

  #key(provider: ProviderName, accountId: string, region: string, namespace: string | undefined, name: string): string {
    return this.#namespaced(provider) ? `${provider}/${accountId}/${region}/${namespace ?? DEFAULT_NAMESPACE}/${name}` : `${provider}/${accountId}/${region}/${name}`;
  }

  #handler(definition: FunctionDefinition): FunctionHandler {
    if ((definition.builtin === undefined) === (definition.handler === undefined)) throw new LakefnError('E_INVALID_ARGUMENT', `function '${definition.name}': give exactly one of builtin and handler`);
    if (definition.handler !== undefined) return definition.handler;
    const builtin = builtinFunction(definition.builtin ?? '');
    if (builtin === undefined) throw new LakefnError('E_INVALID_ARGUMENT', `unknown builtin '${String(definition.builtin).slice(0, 40)}' (one of ${BUILTIN_FUNCTION_NAMES.join(', ')})`);
    return builtin;
  }
}
