import { FAULT_KINDS, type FaultPlanDefinition, type FaultPlanEntry, type ProviderName } from './mock-types.ts';
import { LakefnError } from '../src/errors/index.ts';

/** mulberry32: a tiny seeded generator, so that probabilistic plans replay identically. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface ActiveEntry {
  readonly entry: FaultPlanEntry;
  readonly callNumbers: ReadonlySet<number> | undefined;
  readonly random: (() => number) | undefined;
}

/** An installed plan: its own call counter (call 1 = the first call after installation) and generators. */
class ActivePlan {
  readonly definition: FaultPlanDefinition;
  readonly #entries: readonly ActiveEntry[];
  #calls = 0;

  constructor(definition: FaultPlanDefinition) {
    this.definition = definition;
    this.#entries = definition.plan.map((entry, index) => {
      validateEntry(entry, index);
      const numbers = entry.on === undefined ? undefined : typeof entry.on === 'number' ? [entry.on] : entry.on;
      return {
        entry,
        callNumbers: numbers === undefined ? undefined : new Set(numbers),
        random: entry.probability === undefined ? undefined : seededRandom(entry.seed ?? 1),
      };
    });
  }

  /** The fault for the next call, if any. Every probabilistic entry draws on every call (reproducible sequences). */
  next(): FaultPlanEntry | undefined {
    this.#calls += 1;
    let chosen: FaultPlanEntry | undefined;
    for (const active of this.#entries) {
      const byNumber = active.callNumbers?.has(this.#calls) ?? false;
      const byChance = active.random !== undefined && active.random() < (active.entry.probability ?? 0);
      if (chosen === undefined && (byNumber || byChance)) chosen = active.entry;
    }
    return chosen;
  }

  matches(accountId: string, region: string, namespace: string | undefined): boolean {
    const { accountId: account, region: wantedRegion, namespace: wantedNamespace } = this.definition;
    return (account === undefined || account === accountId) && (wantedRegion === undefined || wantedRegion === region) && (wantedNamespace === undefined || wantedNamespace === namespace);
  }
}

function validateEntry(entry: FaultPlanEntry, index: number): void {
  if (!(FAULT_KINDS as readonly string[]).includes(entry.fault)) throw new LakefnError('E_INVALID_ARGUMENT', `plan entry ${index}: unknown fault '${String(entry.fault).slice(0, 40)}' (one of ${FAULT_KINDS.join(', ')})`);
  if (entry.on === undefined && entry.probability === undefined) throw new LakefnError('E_INVALID_ARGUMENT', `plan entry ${index}: give 'on' (call numbers) or 'probability'`);
  const numbers = entry.on === undefined ? [] : typeof entry.on === 'number' ? [entry.on] : entry.on;
  if (numbers.some((number) => !Number.isInteger(number) || number < 1)) throw new LakefnError('E_INVALID_ARGUMENT', `plan entry ${index}: call numbers are integers from 1`);
  if (entry.probability !== undefined && !(entry.probability >= 0 && entry.probability <= 1)) throw new LakefnError('E_INVALID_ARGUMENT', `plan entry ${index}: probability must be within [0, 1]`);
}

/** Fault plans by provider and function name. A new plan for the same target replaces the old one. */
export class FaultPlans {
  readonly #plans = new Map<string, ActivePlan[]>();

  put(definition: FaultPlanDefinition): void {
    const key = `${definition.provider}\n${definition.function}`;
    const plan = new ActivePlan(definition);
    const sameTarget = (other: ActivePlan) =>
      other.definition.accountId === definition.accountId && other.definition.region === definition.region && other.definition.namespace === definition.namespace;
    const others = (this.#plans.get(key) ?? []).filter((other) => !sameTarget(other));
    const plans = definition.plan.length > 0 ? [...others, plan] : others;
    if (plans.length > 0) this.#plans.set(key, plans);
    else this.#plans.delete(key);
  }

  /** Advances the first plan that targets this function and returns its fault for this call, if any. */
  next(provider: ProviderName, name: string, accountId: string, region: string, namespace: string | undefined): FaultPlanEntry | undefined {
    if (this.#plans.size === 0) return undefined;
    const plan = this.#plans.get(`${provider}\n${name}`)?.find((candidate) => candidate.matches(accountId, region, namespace));
    return plan?.next();
  }

  clear(): void {
    this.#plans.clear();
  }
}
