import { describe, expect, it } from 'vitest';
import { decision, item } from './test-items.js';
import { undoComment, undoRequest } from './undo-entry.js';

describe('undoRequest', () => {
  it('asks for a new decision with the label before the undone one, naming what it undoes', () => {
    const undone = decision('Bureau', 100);
    expect(undoRequest({ participant: 'sim 001', segmentStartMs: item(0).startMs, undone, restoreLabel: 'Walk' })).toEqual({
      path: 'api/reviews/sim%20001/2026-01-12T00:00:00.000Z/undo',
      body: { label: 'Walk', undoes: { label: 'Bureau', decidedAt: '2026-01-12T01:40:00.000Z' } },
    });
  });

  it('has nothing to restore when the segment had no label before', () => {
    expect(undoRequest({ participant: 'p', segmentStartMs: 0, undone: decision('Bureau', 1), restoreLabel: null })).toBeNull();
  });

  it('the comment an undo records says what it undid', () => {
    expect(undoComment({ label: 'Bureau', decidedAt: '2026-01-12T01:40:00.000Z' }, 'Walk')).toBe('undo of Bureau (decided 2026-01-12T01:40:00.000Z): back to Walk');
  });
});
