import { describe, expect, it } from 'vitest';
import { restoreGroupPrefix, restoreRanges } from './changelog-reader.js';

describe('restoreRanges', () => {
  it('reads each assigned partition from its log start to its end now, and skips empty or unassigned ones', () => {
    const offsets = [
      { partition: 0, low: '0', high: '12' },
      { partition: 1, low: '40', high: '40' }, // compacted and cleaned to nothing
      { partition: 2, low: '7', high: '9' },
      { partition: 3, low: '0', high: '5' }, // another member's
    ];
    expect(restoreRanges([0, 1, 2], offsets)).toEqual(new Map([[0, { from: 0, end: 12 }], [2, { from: 7, end: 9 }]]));
  });

  it('names the throwaway groups after the service, as its ACL allows', () => {
    expect(restoreGroupPrefix('stop-move-detection')).toBe('stop-move-detection.changelog-restore-');
  });
});
