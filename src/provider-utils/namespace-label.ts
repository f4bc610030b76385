import type { ProviderNamespaceRule } from '../spec/provider-definition.ts';

/**
 * NAMESPACE on a cloud that has no function namespaces: only a grouping label (policies and listings show it), kept to
 * a conservative syntax so that the same connection can later move to a cloud that has namespaces.
 */
export const NAMESPACE_LABEL_RULE: ProviderNamespaceRule = {
  required: false,
  description: '2-30 characters of [A-Za-z0-9_-], starting with a letter, ending with a letter or digit (a grouping label only: this cloud has no function namespaces)',
  maxLength: 30,
  pattern: /^[A-Za-z][A-Za-z0-9_-]{0,28}[A-Za-z0-9]$/,
};
