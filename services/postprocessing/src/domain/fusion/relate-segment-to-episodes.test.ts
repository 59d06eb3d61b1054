import { describe, expect, it } from 'vitest';
import { at, move, stop } from '../test-fixtures.js';
import { relateSegmentToEpisodes } from './relate-segment-to-episodes.js';

const [S, E] = [at(0), at(5)];

describe('relateSegmentToEpisodes', () => {
  it('takes the mode of a confident move covering at least half of the segment', () => {
    expect(relateSegmentToEpisodes(S, E, [move(2, 30, 'Bus', 0.8)]).move).toEqual({ mode: 'Bus', confidence: 0.8 });
    expect(relateSegmentToEpisodes(S, E, [move(2.5, 30, 'Bus', 0.8)]).move).toEqual({ mode: 'Bus', confidence: 0.8 });
    expect(relateSegmentToEpisodes(S, E, [move(3, 30, 'Bus', 0.8)]).move).toBeNull();
  });

  it('ignores moves below the probability threshold or without a move mode', () => {
    expect(relateSegmentToEpisodes(S, E, [move(0, 5, 'Bus', 0.59)]).move).toBeNull();
    expect(relateSegmentToEpisodes(S, E, [move(0, 5, 'Bus', 0.6)]).move).toEqual({ mode: 'Bus', confidence: 0.6 });
    expect(relateSegmentToEpisodes(S, E, [move(0, 5, 'Domicile', 0.9)]).move).toBeNull();
    expect(relateSegmentToEpisodes(S, E, [move(0, 5, null, null)]).move).toBeNull();
    expect(relateSegmentToEpisodes(S, E, [move(0, 5, 'Rue', 0.9)]).move).toEqual({ mode: 'Walk', confidence: 0.9 });
  });

  it('adds up moves of one mode and weights their probabilities by overlap', () => {
    const relation = relateSegmentToEpisodes(S, E, [move(-10, 1, 'Métro', 0.7), move(2, 5, 'Métro', 0.9)]);
    expect(relation.move?.mode).toBe('Métro');
    expect(relation.move?.confidence).toBeCloseTo((0.7 * 1 + 0.9 * 3) / 4, 12);
  });

  it('is inside the stop covering at least half of it', () => {
    expect(relateSegmentToEpisodes(S, E, [stop(-30, 3)]).stopStartMs).toBe(at(-30));
    expect(relateSegmentToEpisodes(S, E, [stop(-30, 2)]).stopStartMs).toBeNull();
    expect(relateSegmentToEpisodes(S, E, [stop(-30, 2), stop(2, 60)]).stopStartMs).toBe(at(2));
  });

  it('lists every intersecting episode, single points included, in order', () => {
    const relation = relateSegmentToEpisodes(S, E, [stop(4, 9), move(1, 1, 'Walk', 0.9), stop(-20, 0), move(5, 8, 'Walk', 0.9)]);
    expect(relation.episodeStartsMs).toEqual([at(-20), at(1), at(4)]);
    expect(relation.move).toBeNull();
    expect(relation.stopStartMs).toBeNull();
  });
});
