import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultPlans } from '../../mocks/fault-plan.ts';
import type { FaultPlanEntry } from '../../mocks/mock-types.ts';

function draw(plans: FaultPlans, calls: number, account = '1'): (string | undefined)[] {
  return Array.from({ length: calls }, () => plans.next('aws', 'f', account, 'us-east-1', undefined)?.fault);
}

describe('fault plans', () => {
  it('fires by call number, counted from installation; the first matching entry wins', () => {
    const plans = new FaultPlans();
    plans.put({ provider: 'aws', function: 'f', plan: [{ on: [2, 4], fault: 'throttle' }, { on: 4, fault: '5xx' }, { on: 5, fault: 'reset' }] });
    assert.deepEqual(draw(plans, 6), [undefined, 'throttle', undefined, 'throttle', 'reset', undefined]);
    // a new plan for the same target replaces the old one and starts counting again
    plans.put({ provider: 'aws', function: 'f', plan: [{ on: 1, fault: 'hang' }] });
    assert.deepEqual(draw(plans, 2), ['hang', undefined]);
    plans.put({ provider: 'aws', function: 'f', plan: [] });
    assert.deepEqual(draw(plans, 2), [undefined, undefined]);
  });

  it('fires by probability reproducibly for a seed', () => {
    const plan: FaultPlanEntry[] = [{ probability: 0.3, seed: 42, fault: '5xx' }];
    const first = new FaultPlans();
    first.put({ provider: 'aws', function: 'f', plan });
    const second = new FaultPlans();
    second.put({ provider: 'aws', function: 'f', plan });
    const sequence = draw(first, 1000);
    assert.deepEqual(draw(second, 1000), sequence);
    const hits = sequence.filter((fault) => fault === '5xx').length;
    assert.ok(hits > 200 && hits < 400, `${hits} hits for p=0.3`);
    const other = new FaultPlans();
    other.put({ provider: 'aws', function: 'f', plan: [{ probability: 0.3, seed: 43, fault: '5xx' }] });
    assert.notDeepEqual(draw(other, 1000), sequence);
  });

  it('targets one account when asked to', () => {
    const plans = new FaultPlans();
    plans.put({ provider: 'aws', function: 'f', accountId: '2', plan: [{ on: 1, fault: 'throttle' }] });
    assert.deepEqual(draw(plans, 1, '1'), [undefined]);
    assert.deepEqual(draw(plans, 1, '2'), ['throttle']);
  });

  it('rejects malformed entries', () => {
    const plans = new FaultPlans();
    assert.throws(() => plans.put({ provider: 'aws', function: 'f', plan: [{ fault: 'throttle' }] }), /give 'on'/);
    assert.throws(() => plans.put({ provider: 'aws', function: 'f', plan: [{ on: 0, fault: 'throttle' }] }), /integers from 1/);
    assert.throws(() => plans.put({ provider: 'aws', function: 'f', plan: [{ probability: 2, fault: 'throttle' }] }), /probability/);
    assert.throws(() => plans.put({ provider: 'aws', function: 'f', plan: [{ on: 1, fault: 'explode' as 'throttle' }] }), /unknown fault 'explode'/);
  });
});
