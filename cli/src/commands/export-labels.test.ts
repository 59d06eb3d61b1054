import { describe, expect, it } from 'vitest';
import { minuteLabel } from './export-labels.js';

describe('minuteLabel', () => {
  it('prefers the review decision over the declaration', () => {
    expect(minuteLabel({ declared: 'Domicile', reviewed: 'Bureau' }, 'both')).toEqual({ label: 'Bureau', from: 'review' });
  });

  it('falls back to the normalised declaration', () => {
    expect(minuteLabel({ declared: 'Rue', reviewed: null }, 'both')).toEqual({ label: 'Walk', from: 'declared' });
  });

  it('keeps only what the source asks for', () => {
    expect(minuteLabel({ declared: 'Domicile', reviewed: null }, 'reviews')).toBeNull();
    expect(minuteLabel({ declared: 'Domicile', reviewed: 'Bureau' }, 'declared')).toEqual({ label: 'Domicile', from: 'declared' });
  });

  it('drops unknown declarations', () => {
    expect(minuteLabel({ declared: 'Inconnu', reviewed: null }, 'both')).toBeNull();
    expect(minuteLabel({ declared: 'nan', reviewed: null }, 'declared')).toBeNull();
  });
});
