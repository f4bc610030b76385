export { ERROR_CODES, type ErrorCode, isRetryableCode } from './error-codes.ts';
export { LakefnError, type LakefnErrorOptions, type ErrorLocation, toLakefnError, quoteValue } from './lakefn-error.ts';
