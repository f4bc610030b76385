import { LakefnError } from './lakefn-error.ts';

/**
 * Checks of programmatic options (factories such as createDispatcher, createCredentialBroker): every one fails the
 * same way, E_INVALID_ARGUMENT with the p-queue-style message *Expected `name` to be …, got `value` (type)*.
 */
export function expectInteger(value: number, name: string, minimum: number, maximum = Number.POSITIVE_INFINITY): number {
  if (Number.isInteger(value) && value >= minimum && value <= maximum) return value;
  throw invalidOption(name, maximum === Number.POSITIVE_INFINITY ? `an integer ≥ ${minimum}` : `an integer from ${minimum} to ${maximum}`, value);
}

/** A finite number ≥ `minimum`, and below `below` when given (a fraction: `below` 1). */
export function expectNumber(value: number, name: string, minimum: number, below?: number): number {
  if (Number.isFinite(value) && value >= minimum && (below === undefined || value < below)) return value;
  throw invalidOption(name, below === undefined ? `a finite number ≥ ${minimum}` : `a number in [${minimum}, ${below})`, value);
}

function invalidOption(name: string, expected: string, value: unknown): LakefnError {
  return new LakefnError('E_INVALID_ARGUMENT', `Expected \`${name}\` to be ${expected}, got \`${String(value)}\` (${typeof value})`);
}
