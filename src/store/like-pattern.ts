import { LakefnError, quoteValue } from '../errors/index.ts';
import { matchesLikePattern } from '../sql/like-pattern.ts';

/** Longer LIKE patterns are refused: names are short, and this bounds the matcher's work. */
export const MAX_LIKE_PATTERN_LENGTH = 1024;

/** Rejects over-long patterns before any matching (E_INVALID_ARGUMENT). */
export function checkLikePattern(pattern: string): void {
  if (pattern.length > MAX_LIKE_PATTERN_LENGTH) {
    throw new LakefnError('E_INVALID_ARGUMENT', `LIKE pattern ${quoteValue(pattern)} is longer than ${MAX_LIKE_PATTERN_LENGTH} characters`);
  }
}

/**
 * Whether a stored name matches an optional SHOW … LIKE pattern (`%`, `_`, case-insensitive; the
 * matcher is the parser's linear-backtracking one, never a regex built from user input).
 */
export function nameMatches(name: unknown, like: string | null | undefined): boolean {
  return like === null || like === undefined || matchesLikePattern(like, String(name));
}
