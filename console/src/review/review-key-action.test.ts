import { describe, expect, it } from 'vitest';
import { reviewKeyAction } from './review-key-action.js';

const candidates = ['Bureau', 'Domicile', 'Walk', 'Restaurant', 'Magasin', 'Gare', 'Indoor', 'Cinéma', 'Running', 'Vélo'];

describe('reviewKeyAction', () => {
  it('a accepts, u undoes, j and k (and the arrows) move', () => {
    expect(reviewKeyAction({ key: 'a' }, candidates)).toEqual({ type: 'accept' });
    expect(reviewKeyAction({ key: 'u' }, candidates)).toEqual({ type: 'undo' });
    expect(reviewKeyAction({ key: 'j' }, candidates)).toEqual({ type: 'next' });
    expect(reviewKeyAction({ key: 'k' }, candidates)).toEqual({ type: 'previous' });
    expect(reviewKeyAction({ key: 'ArrowDown' }, candidates)).toEqual({ type: 'next' });
    expect(reviewKeyAction({ key: 'ArrowUp' }, candidates)).toEqual({ type: 'previous' });
  });

  it('1–9 relabel with the numbered candidate; the tenth has no key', () => {
    expect(reviewKeyAction({ key: '1' }, candidates)).toEqual({ type: 'relabel', label: 'Bureau' });
    expect(reviewKeyAction({ key: '3' }, candidates)).toEqual({ type: 'relabel', label: 'Walk' });
    expect(reviewKeyAction({ key: '9' }, candidates)).toEqual({ type: 'relabel', label: 'Running' });
    expect(reviewKeyAction({ key: '0' }, candidates)).toBeNull();
  });

  it('a digit beyond the candidates does nothing', () => {
    expect(reviewKeyAction({ key: '3' }, ['Bureau', 'Domicile'])).toBeNull();
  });

  it("leaves the browser's shortcuts, capitals and typing in the comment alone", () => {
    expect(reviewKeyAction({ key: 'a', ctrlKey: true }, candidates)).toBeNull();
    expect(reviewKeyAction({ key: 'u', metaKey: true }, candidates)).toBeNull();
    expect(reviewKeyAction({ key: '2', altKey: true }, candidates)).toBeNull();
    expect(reviewKeyAction({ key: 'A' }, candidates)).toBeNull();
    expect(reviewKeyAction({ key: 'a', inTextField: true }, candidates)).toBeNull();
    expect(reviewKeyAction({ key: 'Enter' }, candidates)).toBeNull();
  });
});
