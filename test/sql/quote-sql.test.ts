// Identifiers and strings lakefn prints for copying (hints) or builds itself read back as exactly themselves:
// one statement, the same name, whatever the name contains.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseStatements } from '../../src/sql/parse-statements.ts';
import { quoteFunctionName, quoteIdentifier, quoteString } from '../../src/sql/quote-sql.ts';

/** Names CREATE accepts: 1-128 characters, no control or format characters, no surrounding whitespace. */
const names = fc
  .string({ minLength: 1, maxLength: 40, unit: fc.constantFrom('a', 'Z', '_', '0', ';', '"', "'", '`', ' ', '-', '.', '(', '*', '/', 'é', '漢') })
  .filter((name) => name.trim() === name);

describe('quoteIdentifier / quoteString', () => {
  it('keeps plain lower-case names bare and quotes everything else', () => {
    assert.equal(quoteIdentifier('sales_2'), 'sales_2');
    assert.equal(quoteIdentifier('Sales'), '"Sales"');
    assert.equal(quoteIdentifier('a;b"c\'d'), '"a;b""c\'d"');
    assert.equal(quoteFunctionName('ml.Score'), 'ml."Score"');
    assert.equal(quoteString("it's"), "'it''s'");
  });

  it('a quoted name in a hint reads back as one statement naming exactly it', () => {
    fc.assert(
      fc.property(names, (name) => {
        const statements = parseStatements(`VALIDATE API CONNECTION ${quoteIdentifier(name)}`);
        assert.equal(statements.length, 1);
        assert.deepEqual(statements.map((statement) => statement.kind === 'validate-connection' && statement.name), [name]);
      }),
      { numRuns: 500 },
    );
  });

  it('a quoted string reads back as exactly itself', () => {
    fc.assert(
      fc.property(names, (value) => {
        const [statement] = parseStatements(`CREATE API CONNECTION c TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/r' COMMENT ${quoteString(value)}`);
        assert.equal(statement?.kind === 'create-connection' && statement.fields.comment, value);
      }),
      { numRuns: 300 },
    );
  });
});
