import { LakefnError } from '../errors/index.ts';

/**
 * The largest clock error lakefn corrects by itself: twice the widest signature window (SigV4, ACS3: 15 minutes). A
 * host whose clock is off by more is broken in ways a signing offset does not hide (TLS certificate checks, logs, the
 * catalog's timestamps, credentials that look valid for much longer than they are), so lakefn says so instead.
 */
export const MAX_CLOCK_CORRECTION_MS = 30 * 60_000;

/**
 * What each endpoint's clock is ahead of the local one (ms), learnt from a signature refused as expired: the next
 * requests to that endpoint are signed at local time + offset. One per adapter; endpoints (origins) are few, so the
 * map stays small. Reading it is one map lookup, the only per-call cost while no clock is skewed.
 */
export class ClockOffsets {
  readonly #offsets = new Map<string, number>();

  /** The offset to sign requests for `origin` with, 0 when none was measured. */
  offsetFor(origin: string): number {
    return this.#offsets.get(origin) ?? 0;
  }

  /** The signing time for `origin` in ms since the epoch: the local clock, corrected when an offset is known. */
  now(origin: string): number {
    const offset = this.#offsets.get(origin);
    return offset === undefined ? Date.now() : Date.now() + offset;
  }

  /** Records the offset measured from an answer of `origin` (0 forgets it). */
  set(origin: string, offsetMs: number): void {
    if (offsetMs === 0) this.#offsets.delete(origin);
    else this.#offsets.set(origin, offsetMs);
  }
}

/**
 * The service's clock minus the local one, from an answer's `Date` header (whole seconds, so within a second), or
 * undefined when the answer has none. Read only from failed calls: a success says nothing about skew worth a parse.
 */
export function serverTimeOffset(dateHeader: string | undefined, receivedAt: number = Date.now()): number | undefined {
  if (dateHeader === undefined || dateHeader.length > 64) return undefined;
  const serverTime = Date.parse(dateHeader);
  return Number.isNaN(serverTime) ? undefined : serverTime - receivedAt;
}

/**
 * After a call failed with `error`: when it is E_CLOCK_SKEW with the service's clock measured (its `data`
 * `serverTimeOffsetMs`), records that offset for `origin` and runs `call` once more, which signs with the corrected
 * clock. Anything else is rethrown as it is. A second E_CLOCK_SKEW, or an offset beyond MAX_CLOCK_CORRECTION_MS, is
 * final: its message says by how many seconds the local clock is off.
 *
 * Adapters call this from their catch block (`try { return await send() } catch (e) { return
 * retryWithCorrectedClock(…, e, send) }`), so a call that succeeds pays nothing for it.
 */
export async function retryWithCorrectedClock<T>(offsets: ClockOffsets, origin: string, error: unknown, call: () => Promise<T>): Promise<T> {
  if (!LakefnError.isInstance(error) || error.code !== 'E_CLOCK_SKEW') throw error;
  const measured = offsetOf(error);
  if (measured === undefined) throw clockSkewFinal(error, measured, 'the answer carried no Date header to correct the clock by');
  if (Math.abs(measured) > MAX_CLOCK_CORRECTION_MS) {
    throw clockSkewFinal(error, measured, `that is more than the ${MAX_CLOCK_CORRECTION_MS / 60_000} minutes lakefn corrects by itself, so nothing was signed again`);
  }
  offsets.set(origin, measured);
  try {
    return await call();
  } catch (second) {
    if (!LakefnError.isInstance(second) || second.code !== 'E_CLOCK_SKEW') throw second;
    throw clockSkewFinal(second, offsetOf(second) ?? measured, `lakefn signed again with its clock corrected for ${origin} and was refused again`);
  }
}

function offsetOf(error: LakefnError): number | undefined {
  const value = error.data?.['serverTimeOffsetMs'];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function clockSkewFinal(error: LakefnError, offsetMs: number | undefined, what: string): LakefnError {
  return new LakefnError('E_CLOCK_SKEW', `${error.message}; ${what}; set the host's clock right (NTP)`, {
    cause: error,
    location: error.location,
    ...(error.provider === undefined ? {} : { provider: error.provider }),
    data: { ...error.data, ...(offsetMs === undefined ? {} : { serverTimeOffsetMs: offsetMs, clockOffsetSeconds: Math.round(-offsetMs / 1000) }) },
  });
}

/** An STS expiration in local time: the service wrote it on its own clock, the broker compares it with the local one. */
export function localExpiration(offsets: ClockOffsets, origin: string, expiration: Date): Date {
  const offset = offsets.offsetFor(origin);
  return offset === 0 ? expiration : new Date(expiration.getTime() - offset);
}
