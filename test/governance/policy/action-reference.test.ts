import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ACTION_REFERENCE_PATH, ACTIONS, renderActionReference } from '../../../src/governance/policy/index.ts';

describe(ACTION_REFERENCE_PATH, () => {
  it('is what npm run docs:actions generates from the catalog (run it after changing the catalog)', () => {
    const committed = readFileSync(new URL(`../../../${ACTION_REFERENCE_PATH}`, import.meta.url), 'utf8');
    assert.ok(committed === renderActionReference(), `${ACTION_REFERENCE_PATH} is stale: run npm run docs:actions and commit the result`);
  });

  it('lists every action', () => {
    const page = renderActionReference();
    for (const definition of ACTIONS) assert.ok(page.includes(`| \`${definition.name}\` |`), definition.name);
  });
});
