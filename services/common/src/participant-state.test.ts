import { describe, expect, it } from 'vitest';
import { ParticipantStates } from './participant-state.js';

/** A state holding the offsets of its rows; `oldest` is what the commit rule must not pass. */
const states = () =>
  new ParticipantStates<{ offsets: number[] }>(
    () => ({ offsets: [] }),
    (s) => (s.offsets.length === 0 ? null : Math.min(...s.offsets)),
  );

describe('ParticipantStates', () => {
  it('holds, per partition, the oldest offset any of its participants still needs', () => {
    const s = states();
    s.touch('a', 'raw.sensor', 0, 0).state.offsets.push(5, 9);
    s.touch('b', 'raw.sensor', 0, 0).state.offsets.push(7);
    s.touch('c', 'raw.sensor', 1, 0).state.offsets.push(3);
    expect(s.heldOffsets()).toEqual(new Map([['raw.sensor:0', 5], ['raw.sensor:1', 3]]));
  });

  it('releases the offsets of a participant flushed for idleness until its next record', () => {
    const s = states();
    s.touch('a', 'raw.sensor', 0, 0).state.offsets.push(5);
    s.touch('b', 'raw.sensor', 0, 20_000).state.offsets.push(7);
    expect(s.openCount()).toBe(2);
    expect(s.idle(30_000, 15_000).map((e) => e.participant)).toEqual(['a']);
    expect(s.heldOffsets()).toEqual(new Map([['raw.sensor:0', 7]]));
    expect(s.openCount()).toBe(1);
    // A new record reopens it: its context is held again so a restart can rebuild the window.
    s.touch('a', 'raw.sensor', 0, 31_000).state.offsets.push(11);
    expect(s.heldOffsets()).toEqual(new Map([['raw.sensor:0', 5]]));
    expect(s.openCount()).toBe(2);
  });

  it('holds nothing for a partition whose participants are all idle', () => {
    const s = states();
    s.touch('a', 'gps.clean', 2, 0).state.offsets.push(1);
    s.idle(60_000, 30_000);
    expect(s.heldOffsets().size).toBe(0);
  });
});
