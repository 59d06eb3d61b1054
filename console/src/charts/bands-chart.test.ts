import { describe, expect, it } from 'vitest';
import { bandsOf } from './bands-chart.js';
import { day } from './test-day.js';

describe('bandsOf', () => {
  it('gives one band per segment labelled in that row, none where nothing was declared or predicted', () => {
    expect(bandsOf(day, 'declared').map((b) => b.label)).toEqual(['Domicile']);
    expect(bandsOf(day, 'predicted').map((b) => b.label)).toEqual(['Domicile']);
    expect(bandsOf(day, 'final').map((b) => [b.label, b.title])).toEqual([
      ['Domicile', '01:00 final: Domicile, sensors 90 %'],
      ['Walk', '01:05 final: Walk, sensors 90 %'],
    ]);
  });
});
