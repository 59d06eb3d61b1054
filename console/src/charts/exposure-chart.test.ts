import { describe, expect, it } from 'vitest';
import { coverageText, shareBars } from './exposure-chart.js';
import { day } from './test-day.js';

describe('shareBars and coverageText', () => {
  it('stacks the time and each pollutant by micro-environment, leaving out the places not visited', () => {
    const bars = shareBars(day);
    expect(bars.filter((b) => b.quantity === 'time').map((b) => [b.microEnvironment, b.share])).toEqual([
      ['Domicile', 0.8],
      ['Walk', 0.2],
    ]);
    expect(bars.filter((b) => b.quantity === 'bc').map((b) => [b.microEnvironment, b.share])).toEqual([
      ['Domicile', 0.75],
      ['Walk', 0.25],
    ]);
  });

  it('says what the shares rest on', () => {
    expect(coverageText(day)).toBe('Coverage: measured 30 of 1440 min (2 %), labelled 25 min (2 %). Shares are of the measured time only.');
  });
});
