import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { type ProviderName, providerDefinition } from '../registry/providers.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

/** Validates the code bucket by the provider's object-storage naming rules (S3, OSS, COS…). */
export function validateCodeBucket(provider: ProviderName, bucket: string, location?: ErrorLocation): string {
  const rule = providerDefinition(provider).catalog.codeBucket;
  checkPlainText(bucket, { field: 'CODE_BUCKET', code: 'E_INVALID_CODE_BUCKET', maxLength: rule.maxLength, minLength: rule.minLength, location });
  if (!rule.isValid(bucket)) {
    throw fieldError('E_INVALID_CODE_BUCKET', 'CODE_BUCKET', `CODE_BUCKET ${quoteValue(bucket)} is not ${rule.description}`, location);
  }
  return bucket;
}
