import { validateComment } from '../catalog/validate-connection-fields.ts';
import { API_TOKEN_ID, checkOidcSubject } from '../catalog/authentication-rules.ts';
import { parseSimpleName } from './governance-parser.ts';
import type { Token } from './lexer.ts';
import type { StatementBody, TokenLifetime } from './statement.ts';
import { positionedError } from './syntax-error.ts';
import type { TokenCursor } from './token-cursor.ts';

/**
 * After ALTER USER: `u ADD TOKEN [EXPIRES IN 'P90D'] [COMMENT '…']`, `u REVOKE TOKEN id`,
 * `u SET OIDC_SUBJECT = 'issuer|sub' | NULL`, `u UNSET OIDC_SUBJECT`.
 */
export function parseAlterUser(cursor: TokenCursor): StatementBody<'add-token' | 'revoke-token' | 'set-oidc-subject'> {
  const user = parseSimpleName(cursor, 'a user name', true);
  if (cursor.acceptKeywords('add', 'token')) {
    let expiresIn: TokenLifetime | null = null;
    let comment: string | null = null;
    for (;;) {
      if (expiresIn === null && cursor.acceptKeywords('expires', 'in')) {
        expiresIn = parseLifetime(cursor.expectString("after EXPIRES IN (an ISO-8601 duration, e.g. 'P90D' or 'PT12H')"));
      } else if (comment === null && cursor.acceptKeywords('comment')) {
        cursor.acceptSymbol('=');
        const token = cursor.expectString('after COMMENT');
        comment = validateComment(token.value, { line: token.line, column: token.column });
      } else break;
    }
    return { kind: 'add-token', user, expiresIn, comment };
  }
  if (cursor.acceptKeywords('revoke', 'token')) {
    const token = cursor.peek();
    if (token.kind !== 'word' && token.kind !== 'string' && token.kind !== 'quoted-identifier') throw cursor.fail('expected a token id after REVOKE TOKEN (SHOW TOKENS lists them)');
    cursor.next();
    if (!API_TOKEN_ID.test(token.value)) throw positionedError('E_INVALID_ARGUMENT', token, `'${token.value.slice(0, 40)}' is not a token id (tk and 16 hex digits, as SHOW TOKENS lists them)`);
    return { kind: 'revoke-token', user, tokenId: token.value };
  }
  if (cursor.acceptKeywords('unset', 'oidc_subject')) return { kind: 'set-oidc-subject', user, subject: null };
  if (cursor.acceptKeywords('set', 'oidc_subject')) {
    cursor.expectSymbol('=', 'after SET OIDC_SUBJECT');
    if (cursor.acceptKeywords('null')) return { kind: 'set-oidc-subject', user, subject: null };
    const token = cursor.expectString("after OIDC_SUBJECT = ('issuer|sub', e.g. 'https://accounts.google.com|1234567890', or NULL)");
    const problem = checkOidcSubject(token.value);
    if (problem !== undefined) throw positionedError('E_INVALID_ARGUMENT', token, `OIDC_SUBJECT: ${problem}`);
    return { kind: 'set-oidc-subject', user, subject: token.value };
  }
  throw cursor.fail('expected ADD TOKEN, REVOKE TOKEN <id>, SET OIDC_SUBJECT = \'issuer|sub\' or UNSET OIDC_SUBJECT after ALTER USER <name>');
}

/** Anchored, each group a fixed unit with a bounded digit run: linear time. */
const DURATION = /^P(?:(\d{1,4})Y)?(?:(\d{1,4})M)?(?:(\d{1,5})W)?(?:(\d{1,5})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,7})M)?(?:(\d{1,9})S)?)?$/;
/** A token lives at most ten years: longer is "never", which is what leaving out EXPIRES IN says. */
const MAX_LIFETIME_MS = 10 * 366 * 86_400_000;
const MIN_LIFETIME_MS = 60_000;

/** An ISO-8601 duration (`P90D`, `P1Y`, `PT12H`, `P2W`, `P1DT12H`), at least a minute and at most ten years. */
export function parseLifetime(token: Token): TokenLifetime {
  const text = token.value.trim().toUpperCase();
  const match = DURATION.exec(text);
  const fail = (why: string): never => {
    throw positionedError('E_INVALID_ARGUMENT', token, `EXPIRES IN '${token.value.slice(0, 40)}': ${why}`);
  };
  if (match === null || text === 'P' || text.endsWith('T')) return fail("expected an ISO-8601 duration such as 'P90D', 'P1Y', 'P2W' or 'PT12H'");
  const part = (index: number): number => Number(match[index] ?? 0);
  const [years, months] = [part(1), part(2)];
  const milliseconds = (((part(3) * 7 + part(4)) * 24 + part(5)) * 60 + part(6)) * 60_000 + part(7) * 1000;
  const approximate = (years * 365 + months * 31) * 86_400_000 + milliseconds;
  if (approximate < MIN_LIFETIME_MS) fail('a token must live at least one minute');
  if (approximate > MAX_LIFETIME_MS) fail('at most ten years (leave out EXPIRES IN for a token that does not expire)');
  return { text, years, months, milliseconds };
}

/** When a token issued at `issued` with this lifetime expires (years and months on the calendar, in UTC). */
export function expiryOf(issued: Date, lifetime: TokenLifetime): Date {
  const expiry = new Date(issued.getTime());
  expiry.setUTCFullYear(expiry.getUTCFullYear() + lifetime.years, expiry.getUTCMonth() + lifetime.months);
  return new Date(expiry.getTime() + lifetime.milliseconds);
}
