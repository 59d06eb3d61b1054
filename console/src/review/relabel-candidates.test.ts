import { describe, expect, it } from 'vitest';
import { relabelCandidates } from './relabel-candidates.js';
import { item, LABELS } from './test-items.js';

describe('relabelCandidates', () => {
  it('offers the most probable labels first, then the declaration, then the vocabulary in order', () => {
    const candidates = relabelCandidates(item(0, { probabilities: { Domicile: 0.3, Bureau: 0.5 }, declaredLabel: 'Métro' }), LABELS);
    expect(candidates.slice(0, 5)).toEqual(['Bureau', 'Domicile', 'Métro', 'Restaurant', 'Magasin']);
    expect([...candidates].sort()).toEqual([...LABELS].sort());
  });

  it('offers each label once, a declared label already probable at its rank', () => {
    expect(relabelCandidates(item(0, { probabilities: { Walk: 0.6, Bureau: 0.4 }, declaredLabel: 'Walk' }), LABELS).slice(0, 3)).toEqual(['Walk', 'Bureau', 'Domicile']);
  });

  it('without probabilities or declaration: the vocabulary; unknown or zero-probability labels are not promoted', () => {
    expect(relabelCandidates(item(0, { probabilities: null, declaredLabel: null }), LABELS)).toEqual(LABELS);
    expect(relabelCandidates(item(0, { probabilities: { Rue: 0.9, Bus: 0 }, declaredLabel: 'Inconnu' }), LABELS)).toEqual(LABELS);
  });

  it('breaks a tie in probability by the vocabulary order', () => {
    expect(relabelCandidates(item(0, { probabilities: { Walk: 0.4, Bureau: 0.4 }, declaredLabel: null }), LABELS).slice(0, 2)).toEqual(['Bureau', 'Walk']);
  });
});
