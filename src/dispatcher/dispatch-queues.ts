import PQueue from 'p-queue';
import { AdaptiveConcurrency } from './adaptive-concurrency.ts';
import type { ResolvedFunction } from './dispatcher-types.ts';

/** The queue and adaptive limit of one function on one connection, and those of its connection. */
export interface FunctionLane {
  readonly key: string;
  readonly connectionId: string;
  readonly queue: PQueue;
  readonly connectionQueue: PQueue;
  /** AIMD of this function on this connection (its own quota, max_concurrency). */
  readonly concurrency: AdaptiveConcurrency;
  /** AIMD of the connection, shared by all its functions (the account's quota, SPEC §5). */
  readonly connectionConcurrency: AdaptiveConcurrency;
}

interface ConnectionSlot {
  readonly queue: PQueue;
  readonly concurrency: AdaptiveConcurrency;
}

/** Retries jump ahead of first attempts so that streamed results (yielded in order) are not held up. */
export const RETRY_PRIORITY = 1;
export const FIRST_ATTEMPT_PRIORITY = 0;

/**
 * Three levels of p-queue: per function (adaptive), per connection (adaptive), global. An attempt takes its
 * slots from the most specific to the most general queue, so a throttled function waiting for its own slot
 * never holds a connection or global slot that other functions could use.
 *
 * Both adaptive levels react to every throttle: functions of one connection act in one customer account and
 * share the provider's account quota, so a throttle of one is a signal for all of them (the connection's
 * limit), while a function's own quota (reserved concurrency, max_concurrency) is tracked by its lane.
 */
export class DispatchQueues {
  readonly #global: PQueue;
  readonly #perConnection: number;
  readonly #connections = new Map<string, ConnectionSlot>();
  readonly #lanes = new Map<string, FunctionLane>();
  readonly #globalConcurrency: number;

  constructor(globalConcurrency: number, perConnectionConcurrency: number) {
    this.#globalConcurrency = globalConcurrency;
    this.#perConnection = perConnectionConcurrency;
    this.#global = new PQueue({ concurrency: globalConcurrency });
  }

  /** The lane of a function (created on first use); its maximum follows the function's current max_concurrency. */
  lane(resolved: ResolvedFunction): FunctionLane {
    const key = `${resolved.connection.id}/${resolved.function.name}`;
    const max = Math.max(1, Math.min(resolved.function.properties.maxConcurrency, this.#perConnection, this.#globalConcurrency));
    const existing = this.#lanes.get(key);
    if (existing !== undefined) {
      existing.concurrency.setMax(max);
      return existing;
    }
    const queue = new PQueue({ concurrency: max });
    const concurrency = new AdaptiveConcurrency(max, (limit) => {
      queue.concurrency = limit;
    });
    const connection = this.#connection(resolved.connection.id);
    const lane: FunctionLane = {
      key,
      connectionId: resolved.connection.id,
      queue,
      connectionQueue: connection.queue,
      concurrency,
      connectionConcurrency: connection.concurrency,
    };
    this.#lanes.set(key, lane);
    return lane;
  }

  /** Runs `task` holding one slot of the lane, its connection and the global queue. */
  run<T>(lane: FunctionLane, priority: number, task: () => Promise<T>): Promise<T> {
    const options = { priority };
    return lane.queue.add(() => lane.connectionQueue.add(() => this.#global.add(task, options), options), options);
  }

  #connection(connectionId: string): ConnectionSlot {
    let slot = this.#connections.get(connectionId);
    if (slot === undefined) {
      const queue = new PQueue({ concurrency: this.#perConnection });
      const concurrency = new AdaptiveConcurrency(this.#perConnection, (limit) => {
        queue.concurrency = limit;
      });
      slot = { queue, concurrency };
      this.#connections.set(connectionId, slot);
    }
    return slot;
  }
}
