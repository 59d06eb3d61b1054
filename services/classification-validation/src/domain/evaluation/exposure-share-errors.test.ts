import { describe, expect, it } from 'vitest';
import { exposureShareErrors, meanShareErrors } from './exposure-share-errors.js';

describe('exposureShareErrors', () => {
  it('moves the exposure of a wrongly labelled segment to the predicted micro-environment', () => {
    // True: Métro 30 + Walk 10 → shares 0.75 / 0.25. Walk called Métro → Métro 1.0.
    const days = exposureShareErrors(
      [
        { day: 'p1 d1', label: 'Métro', concentration: 30 },
        { day: 'p1 d1', label: 'Walk', concentration: 10 },
      ],
      ['Métro', 'Métro'],
    );
    expect(days).toEqual([{ day: 'p1 d1', misattributed: 0.25, labelErrors: { Métro: 0.25, Walk: 0.25 } }]);
  });

  it('is 0 for right labels, skips unmeasured segments and counts unlabelled ones as misattributed', () => {
    expect(exposureShareErrors([{ day: 'd', label: 'Bus', concentration: 5 }, { day: 'd', label: 'Walk', concentration: null }], ['Bus', 'Walk'])).toEqual([
      { day: 'd', misattributed: 0, labelErrors: { Bus: 0 } },
    ]);
    expect(exposureShareErrors([{ day: 'd', label: 'Bus', concentration: 4 }], [null])).toEqual([{ day: 'd', misattributed: 1, labelErrors: { Bus: 1, none: 1 } }]);
  });

  it('keeps days apart and leaves out a day without exposure', () => {
    const days = exposureShareErrors(
      [
        { day: 'a', label: 'Bus', concentration: 1 },
        { day: 'b', label: 'Bus', concentration: 0 },
      ],
      ['Walk', 'Walk'],
    );
    expect(days.map((d) => d.day)).toEqual(['a']);
  });
});

describe('meanShareErrors', () => {
  it('averages misattribution over days and each label over the days it appears', () => {
    const figures = meanShareErrors([
      { day: 'a', misattributed: 0.2, labelErrors: { Bus: 0.2, Walk: 0.2 } },
      { day: 'b', misattributed: 0, labelErrors: { Bus: 0 } },
    ]);
    expect(figures).toEqual({ misattributed: 0.1, 'share error Bus': 0.1, 'share error Walk': 0.2 });
    expect(meanShareErrors([])).toEqual({});
  });
});
