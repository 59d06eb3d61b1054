import { describe, expect, it } from 'vitest';
import { stopMajorityLabels } from './stop-majority-labels.js';

describe('stopMajorityLabels', () => {
  it('gives each stop its most frequent label and its vote share', () => {
    const majorities = stopMajorityLabels([
      { stopStartMs: 0, label: 'Bureau' },
      { stopStartMs: 0, label: 'Magasin' },
      { stopStartMs: 0, label: 'Bureau' },
      { stopStartMs: 0, label: 'Bureau' },
      { stopStartMs: 9, label: 'Domicile' },
    ]);
    expect(majorities).toEqual(new Map([[0, { label: 'Bureau', share: 0.75 }], [9, { label: 'Domicile', share: 1 }]]));
  });

  it('breaks a tie by first appearance and ignores null labels', () => {
    const majorities = stopMajorityLabels([
      { stopStartMs: 0, label: null },
      { stopStartMs: 0, label: 'Magasin' },
      { stopStartMs: 0, label: 'Bureau' },
      { stopStartMs: 0, label: 'Bureau' },
      { stopStartMs: 0, label: 'Magasin' },
      { stopStartMs: 5, label: null },
    ]);
    expect(majorities).toEqual(new Map([[0, { label: 'Magasin', share: 0.5 }]]));
  });
});
