import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { PROVIDERS, type ProviderName, providerDefinition } from '../registry/providers.ts';
import type { ProviderNamespaceRule } from '../spec/provider-definition.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

/** The namespace of a connection that did not name one (on clouds without function namespaces). */
export const DEFAULT_NAMESPACE = 'default';

const RULES: readonly ProviderNamespaceRule[] = PROVIDERS.map((definition) => definition.catalog.namespace);
/** The longest namespace any provider accepts: the bound checked before a provider is known (ALTER … SET NAMESPACE). */
const MAX_NAMESPACE_LENGTH = Math.max(...RULES.map((rule) => rule.maxLength));

/** Validates a namespace by the provider's rule (ProviderDefinition.catalog.namespace). */
export function validateNamespace(provider: ProviderName, namespace: string, location?: ErrorLocation): string {
  const rule = providerDefinition(provider).catalog.namespace;
  checkPlainText(namespace, { field: 'NAMESPACE', code: 'E_INVALID_NAMESPACE', maxLength: rule.maxLength, location });
  if (!rule.pattern.test(namespace)) {
    throw fieldError('E_INVALID_NAMESPACE', 'NAMESPACE', `NAMESPACE ${quoteValue(namespace)} is not valid (expected ${rule.description})`, location);
  }
  return namespace;
}

/**
 * Checks a namespace before its provider is known (ALTER … SET NAMESPACE = '…' names no provider): refused only when no
 * provider would accept it. The executor validates the merged connection by its provider's rule.
 */
export function precheckNamespace(namespace: string, location?: ErrorLocation): string {
  checkPlainText(namespace, { field: 'NAMESPACE', code: 'E_INVALID_NAMESPACE', maxLength: MAX_NAMESPACE_LENGTH, location });
  if (!RULES.some((rule) => namespace.length <= rule.maxLength && rule.pattern.test(namespace))) {
    const expected = [...new Set(RULES.map((rule) => rule.description))].join('; or ');
    throw fieldError('E_INVALID_NAMESPACE', 'NAMESPACE', `NAMESPACE ${quoteValue(namespace)} is not valid on any provider (expected ${expected})`, location);
  }
  return namespace;
}

/**
 * Why NAMESPACE must be given for `provider` (its cloud groups functions in namespaces), or undefined when it
 * defaults to `default`.
 */
export function namespaceRequirement(provider: ProviderName): string | undefined {
  const definition = providerDefinition(provider);
  const rule = definition.catalog.namespace;
  return rule.required ? (rule.hint ?? `${definition.names.services.invoke} needs the function namespace`) : undefined;
}
