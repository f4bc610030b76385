/**
 * Size limits of policy documents and of the names and patterns in them. They are checked before any other
 * validation, so no later step (zod, pattern compilation, did-you-mean) ever sees an oversized input, and they
 * bound the work of every match at evaluation time.
 */
export const POLICY_LIMITS = {
  /** UTF-8 bytes of a policy document's JSON text (AWS allows 6,144 characters for a managed policy). */
  documentBytes: 16_384,
  /** Statements in one document. */
  statements: 100,
  /** Entries in one list: Action, Resource, or the values of one condition key. */
  listValues: 100,
  /** Action patterns, resource patterns and condition values in one document, all together. */
  documentValues: 1_000,
  /** Characters of one action pattern, resource pattern or condition value. */
  patternLength: 1_024,
  /** Characters of a statement's Sid. */
  sidLength: 128,
  /** Characters of a resource name (LRN) given to `parseResourceName`. */
  resourceNameLength: 2_048,
  /** Characters of a project or object name inside a resource name (a `schema.name` function name is 257). */
  objectNameLength: 512,
} as const;
