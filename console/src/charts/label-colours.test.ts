import { describe, expect, it } from 'vitest';
import { labelColour, labelColourScale } from './label-colours.js';

describe('labelColourScale', () => {
  it('lists the labels present in the fixed order, null as unknown, unknown spellings last', () => {
    expect(labelColourScale(['Walk', null, 'Domicile', 'Tram?', 'Walk'])).toEqual({
      domain: ['Domicile', 'Walk', 'unknown', 'Tram?'],
      range: [labelColour('Domicile'), labelColour('Walk'), labelColour(null), labelColour('unknown')],
    });
  });

  it('gives every canonical label its own colour', () => {
    const labels = ['Domicile', 'Bureau', 'Restaurant', 'Magasin', 'Gare', 'Indoor', 'Cinéma', 'Walk', 'Running', 'Vélo', 'Parc', 'Bus', 'Métro', 'Train', 'Voiture', 'Motorcycle'];
    expect(new Set(labels.map(labelColour)).size).toBe(labels.length);
  });
});
