import { describe, expect, it } from 'vitest';
import { validateReviewLabel } from './validate-review-label.js';

describe('validateReviewLabel', () => {
  it('accepts canonical labels and aliases, normalised', () => {
    expect(validateReviewLabel('Métro')).toEqual({ ok: true, label: 'Métro' });
    expect(validateReviewLabel(' Rue ')).toEqual({ ok: true, label: 'Walk' });
    expect(validateReviewLabel('Voiture_arrêt')).toEqual({ ok: true, label: 'Voiture' });
  });

  it('refuses unknown, out-of-vocabulary and non-string labels with a reason', () => {
    const unknown = validateReviewLabel('Inconnu');
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.reason).toMatch(/^label 'Inconnu' means unknown; a review must choose a micro-environment; accepted labels: Domicile, Bureau,/);
    const near = validateReviewLabel('metro');
    expect(!near.ok && near.reason).toMatch(/^label 'metro' is not a Polluscope micro-environment \(did you mean 'Métro'\?\); accepted labels:/);
    const far = validateReviewLabel('Spaceship');
    expect(!far.ok && far.reason).toMatch(/^label 'Spaceship' is not a Polluscope micro-environment; accepted/);
    expect(validateReviewLabel(42)).toEqual({ ok: false, reason: 'label must be a string, got number' });
    expect(validateReviewLabel(null)).toEqual({ ok: false, reason: 'label must be a string, got null' });
  });
});
