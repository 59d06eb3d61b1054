import { describe, expect, it } from 'vitest';
import { majorityLabel } from './majority-label.js';

describe('majorityLabel', () => {
  it('counts normalised labels and ignores unknowns', () => {
    expect(majorityLabel(['Rue', 'Walk', 'Domicile', null, 'Inconnu', 'nan'])).toBe('Walk');
    expect(majorityLabel(['Bureau_tiers', 'Bureau', 'Voiture', 'Voiture_arrêt', 'Voiture'])).toBe('Voiture');
  });

  it('breaks a tie by first appearance', () => {
    expect(majorityLabel(['Bus', 'Métro', 'Métro', 'Bus'])).toBe('Bus');
  });

  it('is null without a known label', () => {
    expect(majorityLabel([null, '', 'None', 'Spaceship'])).toBeNull();
    expect(majorityLabel([])).toBeNull();
  });
});
