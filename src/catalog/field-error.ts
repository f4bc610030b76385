import { LakefnError } from '../errors/index.ts';
import type { ErrorCode, ErrorLocation } from '../errors/index.ts';

/** Formats ` at 3:12` when the location has a source position, so messages say where. */
export function describePosition(location: ErrorLocation | undefined): string {
  return location?.line === undefined ? '' : ` at ${location.line}:${location.column ?? 1}`;
}

/** A validation error naming the field; the source position (when known) is appended to the message. */
export function fieldError(code: ErrorCode, field: string, message: string, location?: ErrorLocation): LakefnError {
  return new LakefnError(code, `${message}${describePosition(location)}`, { location: { ...location, field } });
}
