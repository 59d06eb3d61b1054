import { describe, expect, it } from 'vitest';
import { currentDecision, currentLabel, pruneSent, reviewProgress } from './current-decision.js';
import { decision, item } from './test-items.js';

describe('the current decision of a segment', () => {
  it("is the warehouse's newest, else the timeline's label counts", () => {
    const reviewed = item(0, { decisions: [decision('Walk', 100), decision('Bureau', 90)] });
    expect(currentDecision(reviewed, new Map())?.label).toBe('Walk');
    expect(currentLabel(item(5), new Map())).toBe('Bureau');
    expect(currentLabel(item(5, { finalLabel: null }), new Map())).toBeNull();
  });

  it('is a decision this page sent, until the warehouse shows a newer or the same one', () => {
    const sent = new Map([[item(0).startMs, decision('Métro', 120)]]);
    expect(currentLabel(item(0, { decisions: [decision('Walk', 100)] }), sent)).toBe('Métro');
    expect(currentLabel(item(0, { decisions: [decision('Bus', 130)] }), sent)).toBe('Bus');
  });

  it('counts progress as segments with a decision, stored or sent, of those flagged', () => {
    const items = [item(0, { decisions: [decision('Walk', 100)] }), item(5), item(10)];
    expect(reviewProgress(items, new Map())).toEqual({ decided: 1, total: 3 });
    expect(reviewProgress(items, new Map([[item(10).startMs, decision('Bus', 120)]]))).toEqual({ decided: 2, total: 3 });
    expect(reviewProgress([], new Map())).toEqual({ decided: 0, total: 0 });
  });

  it('forgets sent decisions once the warehouse shows them', () => {
    const sent = new Map([
      [item(0).startMs, decision('Walk', 100)],
      [item(5).startMs, decision('Bus', 110)],
    ]);
    const pruned = pruneSent([item(0, { decisions: [decision('Walk', 100)] }), item(5)], sent);
    expect([...pruned.keys()]).toEqual([item(5).startMs]);
  });
});
