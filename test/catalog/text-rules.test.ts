import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPlainText, validateConnectionFields } from '../../src/catalog/index.ts';
import { LakefnError } from '../../src/errors/index.ts';

const RULE = { field: 'COMMENT', code: 'E_INVALID_COMMENT', maxLength: 200 } as const;

/** Invisible format characters (Cf) and the line / paragraph separators. */
const FORMAT_CHARACTERS: readonly [string, string][] = [
  ['\u202E', 'U+202E'], // right-to-left override
  ['\u202A', 'U+202A'], // left-to-right embedding
  ['\u2066', 'U+2066'], // left-to-right isolate
  ['\u200B', 'U+200B'], // zero width space
  ['\u200D', 'U+200D'], // zero width joiner
  ['\uFEFF', 'U+FEFF'], // byte order mark
  ['\u00AD', 'U+00AD'], // soft hyphen
  ['\u2028', 'U+2028'], // line separator
  ['\u2029', 'U+2029'], // paragraph separator
  ['\u{E0041}', 'U+E0041'], // tag latin capital A
];

describe('checkPlainText: invisible format and separator characters', () => {
  for (const [character, codePoint] of FORMAT_CHARACTERS) {
    it(`rejects ${codePoint}, naming the code point and not printing the character`, () => {
      assert.throws(() => checkPlainText(`invoice${character}fdp.exe`, RULE), (error: unknown) => {
        assert.ok(LakefnError.isInstance(error));
        assert.equal(error.code, 'E_INVALID_COMMENT');
        assert.equal(error.location.field, 'COMMENT');
        assert.equal(error.message, `COMMENT 'invoice<${codePoint}>fdp.exe' contains the invisible format or separator character ${codePoint} (it can make the value read differently from what it is); remove it`);
        assert.ok(!error.message.includes(character));
        return true;
      });
    });
  }

  it('keeps accepting ordinary non-ASCII text', () => {
    for (const value of ['Umsätze für Köln', '销售数据', 'مبيعات', 'emoji 😀 ok', 'a\u00A0b']) assert.equal(checkPlainText(value, RULE), value);
  });

  it('applies to connection fields (COMMENT via validateConnectionFields)', () => {
    const fields = { provider: 'aws', region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/r', namespace: 'default', codeBucket: null, comment: 'sales \u202Eteam' } as const;
    assert.throws(() => validateConnectionFields(fields), /COMMENT 'sales <U\+202E>team' contains the invisible format or separator character U\+202E/);
  });
});
