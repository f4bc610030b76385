import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { isProviderName, PROVIDER_NAMES } from '../spec/provider-name.ts';
import type { ProviderName } from '../spec/provider-name.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

/** Human names used in messages. */
export const PROVIDER_TITLES = { aliyun: 'Alibaba Cloud', tencent: 'Tencent Cloud', aws: 'AWS' } as const satisfies Record<ProviderName, string>;

/** Accepts `aliyun`, `TENCENT`, `Aws`…: case-insensitive on input, returned lower-case. */
export function parseProvider(value: string, location?: ErrorLocation): ProviderName {
  checkPlainText(value, { field: 'PROVIDER', code: 'E_INVALID_PROVIDER', maxLength: 16, location });
  const lower = value.toLowerCase();
  if (!isProviderName(lower)) {
    throw fieldError('E_INVALID_PROVIDER', 'PROVIDER', `PROVIDER ${quoteValue(value)} is not supported (expected one of ${PROVIDER_NAMES.map((name) => `'${name}'`).join(', ')})`, location);
  }
  return lower;
}
