/**
 * SQL LIKE for SHOW … LIKE: `%` matches any run of characters, `_` exactly one, everything else itself
 * (case-insensitively, as catalog names fold case). No escape character. Greedy matching with a single
 * backtrack point, so the cost is at most pattern length × name length, and both are bounded.
 */
export function matchesLikePattern(pattern: string, value: string): boolean {
  const lowerPattern = pattern.toLowerCase();
  const lowerValue = value.toLowerCase();
  let patternIndex = 0;
  let valueIndex = 0;
  let starPattern = -1;
  let starValue = 0;
  while (valueIndex < lowerValue.length) {
    const expected = lowerPattern[patternIndex];
    if (expected === '%') {
      starPattern = patternIndex;
      starValue = valueIndex;
      patternIndex += 1;
    } else if (expected !== undefined && (expected === '_' || expected === lowerValue[valueIndex])) {
      patternIndex += 1;
      valueIndex += 1;
    } else if (starPattern >= 0) {
      patternIndex = starPattern + 1;
      starValue += 1;
      valueIndex = starValue;
    } else {
      return false;
    }
  }
  while (lowerPattern[patternIndex] === '%') patternIndex += 1;
  return patternIndex === lowerPattern.length;
}
