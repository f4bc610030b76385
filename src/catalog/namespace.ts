import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { type ProviderName, providerDefinition } from '../registry/providers.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

/** The namespace of a connection that did not name one (on clouds without function namespaces). */
export const DEFAULT_NAMESPACE = 'default';

/** SCF's namespace rule, applied on every provider (where a cloud has no namespaces it is only a grouping label). */
const NAMESPACE = /^[A-Za-z][A-Za-z0-9_-]{0,28}[A-Za-z0-9]$/;

/** Validates a namespace (2-30 of [A-Za-z0-9_-], letter first, letter or digit last) on any provider. */
export function validateNamespace(namespace: string, location?: ErrorLocation): string {
  checkPlainText(namespace, { field: 'NAMESPACE', code: 'E_INVALID_NAMESPACE', maxLength: 30, location });
  if (!NAMESPACE.test(namespace)) {
    throw fieldError('E_INVALID_NAMESPACE', 'NAMESPACE', `NAMESPACE ${quoteValue(namespace)} is not valid (2-30 characters of [A-Za-z0-9_-], starting with a letter, ending with a letter or digit)`, location);
  }
  return namespace;
}

/**
 * Why NAMESPACE must be given for `provider` (its cloud groups functions in namespaces), or undefined when it
 * defaults to `default`.
 */
export function namespaceRequirement(provider: ProviderName): string | undefined {
  const rule = providerDefinition(provider).catalog.namespace;
  return rule.required ? (rule.hint ?? `${providerDefinition(provider).names.services.invoke} needs the function namespace`) : undefined;
}
