import { describe, expect, it } from 'vitest';
import { fuseTimeline } from '../fusion/fuse-timeline.js';
import { decision, seg } from '../test-fixtures.js';
import { applyReviewDecision } from './apply-review-decision.js';

describe('applyReviewDecision', () => {
  const [entry] = fuseTimeline([seg(0, 'Bus', { declared_label: 'Walk', bc_mean: 900 })], [], []);
  if (!entry) throw new Error('fixture');

  it('sets the reviewed label, group, source, confidence and match', () => {
    expect(applyReviewDecision(entry, decision(0, 'Rue'))).toEqual({ ...entry, final_label: 'Walk', label_group: 'outdoor', source: 'review', confidence: 1, match: true });
  });

  it('leaves the entry alone for another segment or a label outside the vocabulary', () => {
    expect(applyReviewDecision(entry, decision(1, 'Walk'))).toBe(entry);
    expect(applyReviewDecision(entry, decision(0, 'Spaceship'))).toBe(entry);
  });
});
