import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

/** The namespace of a connection that did not name one (Alibaba Cloud and AWS have no namespaces). */
export const DEFAULT_NAMESPACE = 'default';

/** SCF's namespace rule, applied on every provider (elsewhere the namespace is only a grouping label). */
const NAMESPACE = /^[A-Za-z][A-Za-z0-9_-]{0,28}[A-Za-z0-9]$/;

/** Validates a namespace (2-30 of [A-Za-z0-9_-], letter first, letter or digit last) on any provider. */
export function validateNamespace(namespace: string, location?: ErrorLocation): string {
  checkPlainText(namespace, { field: 'NAMESPACE', code: 'E_INVALID_NAMESPACE', maxLength: 30, location });
  if (!NAMESPACE.test(namespace)) {
    throw fieldError('E_INVALID_NAMESPACE', 'NAMESPACE', `NAMESPACE ${quoteValue(namespace)} is not valid (2-30 characters of [A-Za-z0-9_-], starting with a letter, ending with a letter or digit)`, location);
  }
  return namespace;
}
