import type { ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { type ProviderName, PROVIDER_NAMES, isProviderName } from '../registry/providers.ts';
import { fieldError } from './field-error.ts';
import { checkPlainText } from './text-rules.ts';

const MAX_PROVIDER_LENGTH = 32;

/** The accepted PROVIDER values, quoted, in PROVIDERS order (`'a', 'b' or 'c'`), for messages. */
export function providerChoices(): string {
  const quoted = PROVIDER_NAMES.map((name) => `'${name}'`);
  return quoted.length === 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1) ?? ''}`;
}

/** Accepts `aliyun`, `TENCENT`, `Aws`…: case-insensitive on input, returned lower-case. */
export function parseProvider(value: string, location?: ErrorLocation): ProviderName {
  checkPlainText(value, { field: 'PROVIDER', code: 'E_INVALID_PROVIDER', maxLength: MAX_PROVIDER_LENGTH, location });
  const lower = value.toLowerCase();
  if (!isProviderName(lower)) {
    throw fieldError('E_INVALID_PROVIDER', 'PROVIDER', `PROVIDER ${quoteValue(value)} is not supported (expected one of ${PROVIDER_NAMES.map((name) => `'${name}'`).join(', ')})`, location);
  }
  return lower;
}
