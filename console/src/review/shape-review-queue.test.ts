import { describe, expect, it } from 'vitest';
import { at } from '../day/test-rows.js';
import { shapeReviewQueue, type ReviewQueueRow } from './shape-review-queue.js';

const row = (minute: number, p: number | null): ReviewQueueRow => ({
  segment_start: at(minute), segment_end: at(minute + 5), review_reason: 'low_confidence_no_gps', review_wrong_probability: p,
  declared_label: null, predicted_label: 'Domicile', confidence: 0.4, probabilities: { Domicile: 0.4 }, rule_applied: null, final_label: 'Domicile', final_source: 'sensors',
});

describe('shapeReviewQueue', () => {
  it('ranks likeliest wrong first, then by time, unknown probability last', () => {
    const items = shapeReviewQueue([row(0, 0.6), row(5, null), row(10, 0.9), row(15, 0.6)], []);
    expect(items.map((i) => (i.startMs - at(0).getTime()) / 60_000)).toEqual([10, 0, 15, 5]);
  });

  it("gives each segment its history, newest first", () => {
    const decided = (label: string, minute: number) => ({ segment_start: at(0), label, reviewer: 'alice', comment: null, decided_at: at(minute) });
    const [first] = shapeReviewQueue([row(0, 0.6)], [decided('Bureau', 100), decided('Walk', 200), decided('Domicile', 150)]);
    expect(first!.decisions.map((d) => d.label)).toEqual(['Walk', 'Domicile', 'Bureau']);
  });
});
