export { ERROR_CODES, type ErrorCode, isRetryableCode, NOT_EXECUTED_CODES, isNotExecutedCode } from './error-codes.ts';
export { LakefnError, type LakefnErrorOptions, type ErrorLocation, toLakefnError, quoteValue, describeError } from './lakefn-error.ts';
export { expectInteger, expectNumber } from './option-checks.ts';
