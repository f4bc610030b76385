import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { format, inspect } from 'node:util';
import { type ErrorCode, LakefnError } from '../../src/errors/index.ts';
import type { ProviderAdapterV1 } from '../../src/spec/index.ts';

/** Everything written to the console and stderr while capturing (stdout stays with the test reporter). */
export interface OutputCapture {
  readonly lines: string[];
  restore(): void;
}

export function captureOutput(): OutputCapture {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const originals = methods.map((method) => Object.getOwnPropertyDescriptor(console, method));
  for (const method of methods) console[method] = (...values: unknown[]) => void lines.push(format(...values));
  const originalWrite = Object.getOwnPropertyDescriptor(process.stderr, 'write');
  const capturingWrite = (chunk: string | Uint8Array): boolean => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  Object.defineProperty(process.stderr, 'write', { value: capturingWrite, configurable: true, writable: true });
  let restored = false;
  return {
    lines,
    restore() {
      if (restored) return;
      restored = true;
      methods.forEach((method, index) => {
        const original = originals[index];
        if (original !== undefined) Object.defineProperty(console, method, original);
      });
      // The stream's own `write` is inherited (no own property), so removing ours restores it.
      if (originalWrite === undefined) Reflect.deleteProperty(process.stderr, 'write');
      else Object.defineProperty(process.stderr, 'write', originalWrite);
    },
  };
}

/** Awaits a rejection with a LakefnError of `code`, records it (for the secret scan) and returns it. */
export async function expectLakefnError(promise: Promise<unknown>, code: ErrorCode, observed: unknown[]): Promise<LakefnError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    observed.push(error);
    assert.ok(LakefnError.isInstance(error), `expected a LakefnError, got ${inspect(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}, but the call resolved with ${inspect(outcome)}`);
}

/** Polls until `condition` holds. The bound only turns a bug into a failure instead of a hang; it is not a timing assertion. */
export async function until(condition: () => boolean | Promise<boolean>, what = 'a condition'): Promise<void> {
  const giveUpAt = performance.now() + 30_000;
  while (!(await condition())) {
    if (performance.now() > giveUpAt) assert.fail(`gave up waiting for ${what}`);
    await sleep(5);
  }
}

/** Wraps an adapter so that every secret it obtains from STS is remembered for the secret scan. */
export function recordingAdapter(adapter: ProviderAdapterV1, secrets: Set<string>): ProviderAdapterV1 {
  return {
    ...adapter,
    async doAssumeRole(options) {
      const result = await adapter.doAssumeRole(options);
      secrets.add(result.credentials.secretAccessKey);
      secrets.add(result.credentials.sessionToken);
      return result;
    },
  };
}

/** Every way an error can be printed: message, util.inspect with the whole cause chain, stack, JSON. */
export function renderings(error: unknown): string[] {
  const texts = [inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }), JSON.stringify(error) ?? ''];
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current instanceof Error; depth += 1) {
    texts.push(current.message, current.stack ?? '', String(current));
    current = current.cause;
  }
  return texts;
}
