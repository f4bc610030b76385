import PQueue from 'p-queue';
import { AdaptiveConcurrency } from './adaptive-concurrency.ts';
import type { ResolvedFunction } from './dispatcher-types.ts';

/** The queue and adaptive limit of one function on one connection. */
export interface FunctionLane {
  readonly key: string;
  readonly queue: PQueue;
  readonly connectionQueue: PQueue;
  readonly concurrency: AdaptiveConcurrency;
}

/** Retries jump ahead of first attempts so that streamed results (yielded in order) are not held up. */
export const RETRY_PRIORITY = 1;
export const FIRST_ATTEMPT_PRIORITY = 0;

/**
 * Three levels of p-queue: per function (adaptive), per connection, global. An attempt takes its slots
 * from the most specific to the most general queue, so a throttled function waiting for its own slot
 * never holds a connection or global slot that other functions could use.
 */
export class DispatchQueues {
  readonly #global: PQueue;
  readonly #perConnection: number;
  readonly #connections = new Map<string, PQueue>();
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
    const lane: FunctionLane = { key, queue, connectionQueue: this.#connectionQueue(resolved.connection.id), concurrency };
    this.#lanes.set(key, lane);
    return lane;
  }

  /** Runs `task` holding one slot of the lane, its connection and the global queue. */
  run<T>(lane: FunctionLane, priority: number, task: () => Promise<T>): Promise<T> {
    const options = { priority };
    return lane.queue.add(() => lane.connectionQueue.add(() => this.#global.add(task, options), options), options);
  }

  #connectionQueue(connectionId: string): PQueue {
    let queue = this.#connections.get(connectionId);
    if (queue === undefined) {
      queue = new PQueue({ concurrency: this.#perConnection });
      this.#connections.set(connectionId, queue);
    }
    return queue;
  }
}
