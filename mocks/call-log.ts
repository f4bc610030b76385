import type { CallLogEntry } from './mock-types.ts';

/** Entries kept; older ones are dropped in blocks so that a long benchmark cannot exhaust memory. */
const MAX_ENTRIES = 100_000;

/** Every API request the mock answered (or dropped), in order of completion, plus per-API counts. */
export class CallLog {
  #entries: CallLogEntry[] = [];
  #apis = new Map<string, number>();

  /** Adds an entry and counts it under `provider:service:operation` (`provider:unknown` when unrouted). */
  record(entry: CallLogEntry): void {
    if (this.#entries.length >= MAX_ENTRIES) this.#entries = this.#entries.slice(MAX_ENTRIES / 2);
    this.#entries.push(entry);
    const api = `${entry.provider}:${entry.api ?? 'unknown'}`;
    this.#apis.set(api, (this.#apis.get(api) ?? 0) + 1);
  }

  entries(): CallLogEntry[] {
    return [...this.#entries];
  }

  apiCounts(): Record<string, number> {
    return Object.fromEntries(this.#apis);
  }

  clear(): void {
    this.#entries = [];
    this.#apis = new Map();
  }
}
