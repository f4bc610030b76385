import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { type ProviderName, PROVIDERS, providerDefinition } from '../registry/providers.ts';
import type { EndpointTarget } from '../spec/provider-definition.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

/** A deployed function reference after `AS 'name[:qualifier]'` was split. */
export interface CloudFunctionReference {
  readonly cloudFunction: string;
  readonly qualifier: string | null;
}

const MAX_REFERENCE_LENGTH = 256;
const MAX_QUALIFIER_LENGTH = 128;

/**
 * Splits `AS '…'` text into function and qualifier, before the connection (and so the provider) is known. A fully
 * qualified reference of some provider (a Lambda ARN: `arn:…`) has colons of its own, so only the colon after its
 * last part starts the qualifier; any other name splits at its first colon.
 */
export function splitCloudFunctionReference(reference: string, location?: ErrorLocation): CloudFunctionReference {
  checkPlainText(reference, { field: 'AS', code: 'E_INVALID_FUNCTION', maxLength: MAX_REFERENCE_LENGTH, location });
  const parts = reference.split(':');
  const qualified = PROVIDERS.map((definition) => definition.catalog.functions.qualifiedReference).find((rule) => rule !== undefined && reference.startsWith(rule.prefix));
  const nameParts = qualified?.parts ?? 1;
  if (parts.length <= nameParts) return { cloudFunction: reference, qualifier: null };
  return { cloudFunction: parts.slice(0, nameParts).join(':'), qualifier: parts.slice(nameParts).join(':') };
}

/**
 * Checks a cloud function name and qualifier against the provider's naming rules. Called at CREATE EXTERNAL FUNCTION
 * time, once the connection (and so the provider) is known. With `connection`, a fully qualified reference must also
 * name the connection's own account, region and partition (a Lambda ARN of another account would run someone else's
 * code with the customer's rows).
 */
export function validateCloudFunctionName(
  provider: ProviderName,
  name: string,
  qualifier: string | null,
  location?: ErrorLocation,
  connection?: EndpointTarget,
): CloudFunctionReference {
  const rules = providerDefinition(provider).catalog.functions;
  checkPlainText(name, { field: 'AS', code: 'E_INVALID_FUNCTION', maxLength: MAX_REFERENCE_LENGTH, location });
  if (!rules.isValidName(name)) {
    throw fieldError('E_INVALID_FUNCTION', 'AS', `cloud function ${quoteValue(name)} is not ${rules.nameDescription}`, location);
  }
  if (qualifier !== null) {
    checkPlainText(qualifier, { field: 'AS', code: 'E_INVALID_FUNCTION', maxLength: MAX_QUALIFIER_LENGTH, location });
    if (!rules.isValidQualifier(qualifier)) {
      throw fieldError('E_INVALID_FUNCTION', 'AS', `qualifier ${quoteValue(qualifier)} of cloud function ${quoteValue(name)} is not ${rules.qualifierDescription}`, location);
    }
  }
  const elsewhere = connection === undefined ? undefined : rules.checkTarget?.(name, connection);
  if (elsewhere !== undefined) throw fieldError('E_INVALID_FUNCTION', 'AS', elsewhere, location);
  return { cloudFunction: name, qualifier };
}
