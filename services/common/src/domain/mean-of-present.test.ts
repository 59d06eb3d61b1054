import { describe, expect, it } from 'vitest';
import { meanOfPresent } from './mean-of-present.js';

describe('meanOfPresent', () => {
  it('averages the values present and skips nulls', () => {
    expect(meanOfPresent([1, null, 3])).toBe(2);
    expect(meanOfPresent([-1500, 1500, 6])).toBe(2);
  });

  it('is null when no value is present', () => {
    expect(meanOfPresent([])).toBeNull();
    expect(meanOfPresent([null, null])).toBeNull();
  });
});
