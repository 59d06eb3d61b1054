import { describe, expect, it } from 'vitest';
import { parseQualityFlags } from './quality-flags.js';

describe('parseQualityFlags', () => {
  it('is empty for null, undefined and blank text', () => {
    expect(parseQualityFlags(null)).toEqual([]);
    expect(parseQualityFlags(undefined)).toEqual([]);
    expect(parseQualityFlags(' ; ')).toEqual([]);
  });

  it('splits variable:flag pairs joined by ;', () => {
    expect(parseQualityFlags('no2:warmup;pm25:spike')).toEqual([
      { variable: 'no2', flag: 'warmup' },
      { variable: 'pm25', flag: 'spike' },
    ]);
  });

  it('keeps a flag without a variable as the variable, flagged', () => {
    expect(parseQualityFlags('humidity')).toEqual([{ variable: 'humidity', flag: 'flagged' }]);
  });
});
