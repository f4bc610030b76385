/**
 * `*` / `?` wildcard patterns (IAM style: `*` any run of characters, including none; `?` exactly one character),
 * compiled once and matched without regular expressions. The general matcher is the greedy algorithm with a single
 * backtrack point (the last `*` seen): it never revisits an earlier `*`, so its cost is at most
 * (value length + 1) × (pattern length + 1) steps whatever the pattern (`*?*?*?…` included), and both lengths are
 * capped (POLICY_LIMITS) before a pattern is compiled or a name is built. Patterns without wildcards, or with a
 * single trailing `*`, take string fast paths.
 */

/** A token of a compiled pattern: a code point (≥ 0), or one of the two wildcards. */
export const STAR = -1;
export const QUESTION_MARK = -2;

export type GlobMatcher =
  | { readonly kind: 'any' }
  | { readonly kind: 'exact'; readonly text: string }
  | { readonly kind: 'prefix'; readonly text: string }
  /** Only `*` wildcards: `first*middle…*last`, matched with startsWith / indexOf / endsWith. */
  | { readonly kind: 'segments'; readonly first: string; readonly middle: readonly string[]; readonly last: string }
  | { readonly kind: 'general'; readonly tokens: readonly number[] };

/** Counts the steps of `matchTokens` (tests assert the quadratic bound on adversarial patterns). */
export interface StepCounter {
  steps: number;
}

/** Compiles pattern tokens (code points, STAR, QUESTION_MARK); consecutive stars collapse into one. */
export function compileGlobTokens(tokens: readonly number[]): GlobMatcher {
  const collapsed: number[] = [];
  for (const token of tokens) {
    if (token === STAR && collapsed[collapsed.length - 1] === STAR) continue;
    collapsed.push(token);
  }
  if (collapsed.length === 1 && collapsed[0] === STAR) return { kind: 'any' };
  const wildcards = collapsed.filter((token) => token < 0).length;
  if (wildcards === 0) return { kind: 'exact', text: String.fromCodePoint(...collapsed) };
  if (wildcards === 1 && collapsed[collapsed.length - 1] === STAR) return { kind: 'prefix', text: String.fromCodePoint(...collapsed.slice(0, -1)) };
  if (!collapsed.includes(QUESTION_MARK)) {
    const segments: string[] = [''];
    for (const token of collapsed) {
      if (token === STAR) segments.push('');
      else segments[segments.length - 1] += String.fromCodePoint(token);
    }
    return { kind: 'segments', first: segments[0] ?? '', middle: segments.slice(1, -1), last: segments[segments.length - 1] ?? '' };
  }
  return { kind: 'general', tokens: collapsed };
}

/** Compiles a pattern in which every `*` and `?` is a wildcard (no escape character, as IAM's StringLike). */
export function compileGlob(pattern: string): GlobMatcher {
  return compileGlobTokens(Array.from(pattern, (character) => (character === '*' ? STAR : character === '?' ? QUESTION_MARK : character.codePointAt(0) ?? 0)));
}

/** Whether `value` matches. `?` consumes one code point, so an astral character counts as one character. */
export function matchGlob(matcher: GlobMatcher, value: string): boolean {
  switch (matcher.kind) {
    case 'any':
      return true;
    case 'exact':
      return value === matcher.text;
    case 'prefix':
      return value.startsWith(matcher.text);
    case 'segments':
      return matchSegments(matcher.first, matcher.middle, matcher.last, value);
    case 'general':
      return matchTokens(matcher.tokens, value);
  }
}

/**
 * A `*`-only pattern: the value starts with the first segment, ends with the last, and holds the middle ones in order
 * in between. Taking each middle segment at its leftmost place is optimal (it leaves the most room for the rest), so
 * there is no backtracking: at most one indexOf per segment.
 */
function matchSegments(first: string, middle: readonly string[], last: string, value: string): boolean {
  const end = value.length - last.length;
  if (end < first.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let position = first.length;
  for (const segment of middle) {
    const found = value.indexOf(segment, position);
    if (found < 0 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
}

/**
 * The greedy single-backtrack matcher; see the module comment for its cost bound. It walks `value` by code point in
 * place (no array is built: a decision runs it dozens of times).
 */
export function matchTokens(tokens: readonly number[], value: string, counter?: StepCounter): boolean {
  let tokenIndex = 0;
  let valueIndex = 0;
  let starToken = -1;
  let starValue = 0;
  let steps = 0;
  while (valueIndex < value.length) {
    steps += 1;
    const token = tokens[tokenIndex];
    const codePoint = value.codePointAt(valueIndex) ?? 0;
    if (token === STAR) {
      starToken = tokenIndex;
      starValue = valueIndex;
      tokenIndex += 1;
    } else if (token !== undefined && (token === QUESTION_MARK || token === codePoint)) {
      tokenIndex += 1;
      valueIndex += codePoint > 0xffff ? 2 : 1;
    } else if (starToken >= 0) {
      tokenIndex = starToken + 1;
      starValue += (value.codePointAt(starValue) ?? 0) > 0xffff ? 2 : 1;
      valueIndex = starValue;
    } else {
      if (counter !== undefined) counter.steps += steps;
      return false;
    }
  }
  while (tokens[tokenIndex] === STAR) tokenIndex += 1;
  if (counter !== undefined) counter.steps += steps;
  return tokenIndex === tokens.length;
}
