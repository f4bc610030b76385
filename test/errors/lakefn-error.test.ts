// LakefnError.message is the sentence only; `CODE: message` is rendered by describeError (the CLI and serve).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locateError } from '../../src/dispatcher/locate-error.ts';
import { describeError, LakefnError, toLakefnError } from '../../src/errors/index.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import type { ExecutionServices } from '../../src/sql/execute-services.ts';

describe('LakefnError message and rendering', () => {
  it('message holds only the sentence; describeError puts the code in front', () => {
    const error = new LakefnError('E_BAD_ROW', 'input line 3: not valid JSON');
    assert.equal(error.code, 'E_BAD_ROW');
    assert.equal(error.message, 'input line 3: not valid JSON');
    assert.equal(describeError(error), 'E_BAD_ROW: input line 3: not valid JSON');
    assert.deepEqual(JSON.parse(JSON.stringify(error)), { code: 'E_BAD_ROW', message: 'input line 3: not valid JSON', retryable: false });
  });

  it('wrapping keeps the sentence once: no code inside the located message', () => {
    const located = locateError(new LakefnError('E_THROTTLED', 'slow down'), { function: 'f', connection: 'c', provider: 'aws', batchId: 'q:f:1' });
    assert.equal(located.code, 'E_THROTTLED');
    assert.equal(located.message, "function 'f' via connection 'c' (aws), batch q:f:1: slow down");
    assert.equal(toLakefnError(new Error('plain')).message, 'plain');
  });

  it('a failed statement of a script is described without a repeated code', async () => {
    const services = { store: undefined, environment: {} } as unknown as ExecutionServices;
    const error = await executeStatements('SHOW API CONNECTIONS LIKE', services).catch((caught: unknown) => caught);
    assert.ok(LakefnError.isInstance(error));
    assert.equal(error.code, 'E_SYNTAX');
    assert.ok(!error.message.includes('E_SYNTAX'), error.message);
    assert.match(error.message, /^syntax error at 1:\d+: /);
  });
});
