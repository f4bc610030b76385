import type { ErrorCode } from '../errors/index.ts';
import type { ProviderDefinition } from '../spec/provider-definition.ts';

export type { ProviderCallPhase, ProviderErrorTable } from '../spec/provider-definition.ts';

/** What the shared provider helpers need of a definition: its id, its names (for messages) and its error table. */
export type ProviderProfile = Pick<ProviderDefinition, 'id' | 'names' | 'errors'>;

/** Status fallbacks of most invoke APIs, for a provider's table to start from. */
export const COMMON_INVOKE_STATUSES: Readonly<Record<number, ErrorCode>> = { 401: 'E_AUTH', 403: 'E_AUTH', 404: 'E_FUNCTION_NOT_FOUND', 413: 'E_PAYLOAD_TOO_LARGE', 429: 'E_THROTTLED' };

/**
 * Status fallbacks of most STS APIs. A 403 from STS is most likely the trust policy refusing the broker (wrong or
 * missing external ID, wrong principal), so it reads as E_STS_DENIED; VALIDATE still treats a bare 403 as
 * inconclusive: only the table's `stsRefusals` codes prove a refusal.
 */
export const COMMON_STS_STATUSES: Readonly<Record<number, ErrorCode>> = { 401: 'E_AUTH', 403: 'E_STS_DENIED', 429: 'E_THROTTLED' };

/** Socket-level codes that mean "no answer in time" rather than a broken connection. */
export const TIMEOUT_TRANSPORT_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The table entry for a vendor code: the exact code, then each dotted prefix, longest first. */
export function lookUpCode<T>(codes: Readonly<Record<string, T>>, providerCode: string): T | undefined {
  let candidate = providerCode;
  for (;;) {
    const found = Object.hasOwn(codes, candidate) ? codes[candidate] : undefined;
    if (found !== undefined) return found;
    const dot = candidate.lastIndexOf('.');
    if (dot <= 0) return undefined;
    candidate = candidate.slice(0, dot);
  }
}

/** Whether an STS error code proves the role refused the broker (the table's `stsRefusals`, matched like codes). */
export function isStsRefusal(profile: ProviderProfile, providerCode: string | undefined): boolean {
  if (providerCode === undefined) return false;
  const refusals = Object.fromEntries(profile.errors.stsRefusals.map((code) => [code, true]));
  return lookUpCode(refusals, providerCode) === true;
}

/** Whether an STS error code proves a VALIDATE probe was refused (`stsRefusals` and `probeRefusals`, matched like codes). */
export function isProbeRefusal(profile: ProviderProfile, providerCode: string | undefined): boolean {
  if (providerCode === undefined) return false;
  const refusals = Object.fromEntries([...profile.errors.stsRefusals, ...(profile.errors.probeRefusals ?? [])].map((code) => [code, true]));
  return lookUpCode(refusals, providerCode) === true;
}
