import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize } from '../../src/sql/lexer.ts';

describe('tokenize', () => {
  it('folds words to lower case, keeps quoted identifiers and strings verbatim, tracks positions', () => {
    const tokens = tokenize("Create `Mixed``Case` \"dq\"\"x\" 'it''s' 42 (,;=.<>:) my_name$1\n  -- comment\n  /* block\n */ End");
    assert.deepEqual(tokens.map(({ kind, value, line, column }) => [kind, value, line, column]), [
      ['word', 'create', 1, 1],
      ['quoted-identifier', 'Mixed`Case', 1, 8],
      ['quoted-identifier', 'dq"x', 1, 22],
      ['string', "it's", 1, 30],
      ['number', '42', 1, 38],
      ['symbol', '(', 1, 41], ['symbol', ',', 1, 42], ['symbol', ';', 1, 43], ['symbol', '=', 1, 44], ['symbol', '.', 1, 45],
      ['symbol', '<', 1, 46], ['symbol', '>', 1, 47], ['symbol', ':', 1, 48], ['symbol', ')', 1, 49],
      ['word', 'my_name$1', 1, 51],
      ['word', 'end', 4, 5],
      ['end', '', 4, 8],
    ]);
  });

  it('records source offsets so statement text can be sliced back out', () => {
    const source = "  SHOW  'a b' ";
    const [show, text] = tokenize(source);
    assert.equal(source.slice(show?.start, show?.end), 'SHOW');
    assert.equal(source.slice(text?.start, text?.end), "'a b'");
  });

  it('accepts empty strings and multi-line strings (content checks belong to the fields)', () => {
    assert.deepEqual(tokenize("'' 'a\nb'").map((token) => token.value), ['', 'a\nb', '']);
  });
});
