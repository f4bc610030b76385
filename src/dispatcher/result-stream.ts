import { LakefnError } from '../errors/index.ts';
import type { DispatchStats, ResultStream } from './dispatcher-types.ts';

/**
 * Wraps a generator of result batches as a ResultStream. Row iteration is a hand-written iterator (not an
 * async generator) so that each row costs one already-settled promise and nothing else.
 */
export function createResultStream(batches: () => AsyncGenerator<readonly unknown[]>, stats: () => DispatchStats): ResultStream {
  let used = false;
  const claim = (): AsyncGenerator<readonly unknown[]> => {
    if (used) throw new LakefnError('E_INVALID_ARGUMENT', 'a ResultStream can be iterated only once (by rows or by batches)');
    used = true;
    return batches();
  };
  return {
    batches: () => ({ [Symbol.asyncIterator]: claim }),
    stats,
    [Symbol.asyncIterator](): AsyncIterator<unknown> {
      const source = claim();
      let current: readonly unknown[] = [];
      let position = 0;
      const advance = async (): Promise<IteratorResult<unknown>> => {
        while (position >= current.length) {
          const step = await source.next();
          if (step.done === true) return { done: true, value: undefined };
          current = step.value;
          position = 0;
        }
        return take();
      };
      const take = (): IteratorResult<unknown> => {
        const value = current[position];
        position += 1;
        return { done: false, value };
      };
      return {
        // a row already at hand costs one settled promise, not an async function's machinery
        next: () => (position < current.length ? Promise.resolve(take()) : advance()),
        async return(): Promise<IteratorResult<unknown>> {
          await source.return(undefined);
          return { done: true, value: undefined };
        },
      };
    },
  };
}
