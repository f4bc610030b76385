const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Never sign with credentials that expire within this (SPEC §4). */
export const MINIMUM_REMAINING_MS = MINUTE;

export type CredentialFreshness = 'fresh' | 'refresh-in-background' | 'refresh-now';

/**
 * Where credentials stand in their lifetime (governance-security §6.7):
 * - background refresh when remaining ≤ max(1 min, min(15 min, 25 % of lifetime)), still serving them;
 * - blocking refresh when remaining ≤ max(1 min, min(5 min, 10 % of lifetime)): with the default
 *   3600 s that is the last 5 minutes, and never less than the last minute.
 */
export function credentialFreshness(obtainedAt: number, expiresAt: number, now: number): CredentialFreshness {
  const lifetime = Math.max(0, expiresAt - obtainedAt);
  const remaining = expiresAt - now;
  const mandatory = Math.max(MINIMUM_REMAINING_MS, Math.min(5 * MINUTE, 0.1 * lifetime));
  const advisory = Math.max(mandatory, MINUTE, Math.min(15 * MINUTE, 0.25 * lifetime));
  if (remaining <= mandatory) return 'refresh-now';
  if (remaining <= advisory) return 'refresh-in-background';
  return 'fresh';
}
