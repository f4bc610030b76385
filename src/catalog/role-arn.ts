import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { type ProviderName, providerDefinition } from '../registry/providers.ts';
import type { ParsedRoleArn } from '../spec/provider-definition.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

export type { ParsedRoleArn };

const MAX_ROLE_ARN_LENGTH = 2048;

/** Parses and validates a role ARN for the provider; throws E_INVALID_ROLE_ARN naming the expected form. */
export function parseRoleArn(provider: ProviderName, roleArn: string, location?: ErrorLocation): ParsedRoleArn {
  checkPlainText(roleArn, { field: 'ROLE_ARN', code: 'E_INVALID_ROLE_ARN', maxLength: MAX_ROLE_ARN_LENGTH, location });
  const rule = providerDefinition(provider).catalog.roleArn;
  const parsed = rule.parse(roleArn);
  if (parsed === undefined) {
    throw fieldError('E_INVALID_ROLE_ARN', 'ROLE_ARN', `ROLE_ARN ${quoteValue(roleArn)} is not ${rule.description}`, location);
  }
  return parsed;
}

/** The customer's account id (the account that owns the role) from a role ARN. */
export function accountIdFromRoleArn(provider: ProviderName, roleArn: string): string {
  return parseRoleArn(provider, roleArn).accountId;
}
