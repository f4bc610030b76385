export { createDispatcher } from './create-dispatcher.ts';
export type { DispatcherOptions, RetryOptions } from './dispatcher-options.ts';
export type { CallContext, CallResult, Dispatcher, DispatchEvent, DispatchStats, LatencySummary, ResolvedFunction, ResultStream } from './dispatcher-types.ts';
export { RetryBudget, type RetryBudgetOptions } from './retry-budget.ts';
