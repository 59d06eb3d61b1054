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

  it('keeps the offsets of a participant flushed for idleness: a restart rebuilds the state it flushed from', () => {
    const s = states();
    s.touch('a', 'raw.sensor', 0, 0).state.offsets.push(5);
    s.touch('b', 'raw.sensor', 0, 20_000).state.offsets.push(7);
    expect(s.openCount()).toBe(2);
    expect(s.idle(30_000, 15_000).map((e) => e.participant)).toEqual(['a']);
    expect(s.heldOffsets()).toEqual(new Map([['raw.sensor:0', 5]]));
    expect(s.openCount()).toBe(1);
    // Flushed once: not handed out again until its next record.
    expect(s.idle(40_000, 15_000).map((e) => e.participant)).toEqual(['b']);
    expect(s.idle(50_000, 15_000)).toEqual([]);
    s.touch('a', 'raw.sensor', 0, 51_000).state.offsets.push(11);
    expect(s.openCount()).toBe(1);
    expect(s.idle(70_000, 15_000).map((e) => e.participant)).toEqual(['a']);
  });

  it('evicts a participant silent past the retention, releasing its offsets', () => {
    const s = new ParticipantStates<{ offsets: number[] }>(
      () => ({ offsets: [] }),
      (state) => (state.offsets.length === 0 ? null : Math.min(...state.offsets)),
      60_000,
    );
    s.touch('a', 'gps.clean', 2, 0).state.offsets.push(1);
    s.touch('b', 'gps.clean', 2, 50_000).state.offsets.push(4);
    s.idle(30_000, 30_000);
    expect(s.size()).toBe(2);
    // a: silent 60 s and flushed → evicted; b: flushed at 80 s, kept until 110 s.
    expect(s.idle(80_000, 30_000).map((e) => e.participant)).toEqual(['b']);
    expect(s.size()).toBe(1);
    expect(s.heldOffsets()).toEqual(new Map([['gps.clean:2', 4]]));
    s.idle(110_000, 30_000);
    expect(s.size()).toBe(0);
    expect(s.heldOffsets().size).toBe(0);
    // A new record starts a fresh state.
    expect(s.touch('a', 'gps.clean', 2, 120_000).state.offsets).toEqual([]);
  });
});
