import { describe, expect, it } from 'vitest';
import { labelGroup, normaliseLabel } from './labels.js';

describe('normaliseLabel (docs/design.md §6)', () => {
  it('maps the aliases to their canonical label', () => {
    expect(normaliseLabel('Rue')).toBe('Walk');
    expect(normaliseLabel('Bureau_tiers')).toBe('Bureau');
    expect(normaliseLabel('Tramway')).toBe('Tramway');
    expect(normaliseLabel('Tram')).toBe('Tramway');
    expect(normaliseLabel('Moto')).toBe('Motorcycle');
  });

  it('puts Tramway in the transport group', () => {
    expect(labelGroup('Tramway')).toBe('transport');
  });

  it('compares after NFC normalisation and trimming, case kept', () => {
    expect(normaliseLabel('Me\u0301tro')).toBe('Métro'); // decomposed é
    expect(normaliseLabel(' Cine\u0301ma\t')).toBe('Cinéma');
    expect(normaliseLabel('Voiture_arre\u0302t')).toBe('Voiture');
    expect(normaliseLabel('métro')).toBeNull();
  });

  it('reads Inconnu, nan, None and empty as unknown', () => {
    for (const raw of ['Inconnu', 'nan', 'None', '', '  ', null, undefined]) expect(normaliseLabel(raw)).toBeNull();
  });
});
