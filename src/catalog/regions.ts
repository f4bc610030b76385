import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { type ProviderName, providerDefinition } from '../registry/providers.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

const MAX_REGION_LENGTH = 32;

/**
 * Checks a region's syntax for the provider and, unless `allowUnknownRegion`, that the provider offers it (a new
 * region should not need a release, but a typo should not silently create a connection that can never work).
 */
export function validateRegion(provider: ProviderName, region: string, allowUnknownRegion: boolean, location?: ErrorLocation): string {
  checkPlainText(region, { field: 'REGION', code: 'E_INVALID_REGION', maxLength: MAX_REGION_LENGTH, location });
  const { names, catalog } = providerDefinition(provider);
  const { pattern, example, known } = catalog.regions;
  if (!pattern.test(region)) {
    throw fieldError('E_INVALID_REGION', 'REGION', `REGION ${quoteValue(region)} is not a valid ${names.cloud} region id (expected lower-case like '${example}', pattern ${pattern.source})`, location);
  }
  if (!allowUnknownRegion && !known.includes(region)) {
    throw fieldError('E_INVALID_REGION', 'REGION', `REGION ${quoteValue(region)} is not a known ${names.cloud} region (known: ${known.join(', ')}); if it is new, pass --allow-unknown-region`, location);
  }
  return region;
}
