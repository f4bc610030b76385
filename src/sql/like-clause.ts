import { checkPlainText } from '../catalog/text-rules.ts';
import type { TokenCursor } from './token-cursor.ts';

/** Longest LIKE pattern. */
const MAX_LIKE_LENGTH = 256;

/** `[LIKE '…']`: the pattern, checked, or null. */
export function parseLike(cursor: TokenCursor): string | null {
  if (!cursor.acceptKeywords('like')) return null;
  const pattern = cursor.expectString('after LIKE');
  const location = { line: pattern.line, column: pattern.column };
  return checkPlainText(pattern.value, { field: 'LIKE', code: 'E_INVALID_ARGUMENT', maxLength: MAX_LIKE_LENGTH, location });
}
