import { describe, expect, it } from 'vitest';
import { CHANGELOG_VERSION, decodeChangelogValue, encodeChangelogValue, latestSnapshots, ParticipantSnapshots, type ChangelogSnapshot } from './changelog.js';

const snapshot = (state: unknown, upTo: Record<string, number>, source = 'gps.clean:2'): ChangelogSnapshot => ({ version: CHANGELOG_VERSION, source, upTo, reprocess: null, state });
const message = (partition: number, offset: number, key: string | null, value: ChangelogSnapshot | null) => ({ partition, offset, key, value: encodeChangelogValue(value) });

describe('latestSnapshots', () => {
  it('keeps the last record of each participant, and a tombstone removes it', () => {
    const { records, unreadable } = latestSnapshots([
      message(2, 1, 'b', snapshot({ n: 2 }, { 'gps.clean:2': 20 })),
      message(2, 0, 'a', snapshot({ n: 1 }, { 'gps.clean:2': 10 })),
      message(2, 2, 'a', snapshot({ n: 3 }, { 'gps.clean:2': 30 })),
      message(2, 3, 'b', null),
    ]);
    expect(unreadable).toEqual([]);
    expect(records).toEqual([{ key: 'a', partition: 2, value: snapshot({ n: 3 }, { 'gps.clean:2': 30 }) }]);
  });

  it('lists records it cannot read and goes on', () => {
    const { records, unreadable } = latestSnapshots([
      { partition: 0, offset: 0, key: 'a', value: Buffer.from('{not json') },
      { partition: 0, offset: 1, key: 'b', value: Buffer.from('{"version":1}') },
      message(0, 2, 'c', snapshot(1, { 'gps.clean:0': 5 }, 'gps.clean:0')),
    ]);
    expect(records.map((r) => r.key)).toEqual(['c']);
    expect(unreadable.map((u) => u.offset)).toEqual([0, 1]);
  });

  it('round-trips a snapshot through its bytes', () => {
    const value = snapshot({ points: [{ timeMs: 5, lat: 48.1 }] }, { 'gps.clean:2': 7 });
    expect(decodeChangelogValue(encodeChangelogValue(value))).toEqual(value);
    expect(decodeChangelogValue(null)).toBeNull();
  });
});

describe('ParticipantSnapshots', () => {
  const only = (state: unknown) => () => ({ source: 'gps.clean:2', reprocess: null, state });

  it('takes a changed participant at the offset read so far, at most once per interval, and holds it once acknowledged', () => {
    const book = new ParticipantSnapshots(30_000);
    book.read('gps.clean:2', 41);
    book.read('gps.clean:3', 90); // another partition: not this participant's
    book.markChanged('a');
    expect(book.heldFrom('a')).toBeUndefined();
    const first = book.take(1000, only({ n: 1 }));
    expect(first).toEqual([{ key: 'a', partition: 2, value: snapshot({ n: 1 }, { 'gps.clean:2': 42 }) }]);
    expect(book.heldFrom('a')).toBeUndefined(); // not acknowledged yet
    book.produced(first);
    expect(book.heldFrom('a')).toEqual(new Map([['gps.clean:2', 42]]));
    expect(book.covers('a', 'gps.clean:2', 41)).toBe(true);
    expect(book.covers('a', 'gps.clean:2', 42)).toBe(false);
    book.read('gps.clean:2', 50);
    book.markChanged('a');
    expect(book.take(30_999, only({ n: 2 }))).toEqual([]); // 29.999 s after the last
    expect(book.take(31_000, only({ n: 2 })).map((r) => r.value?.upTo)).toEqual([{ 'gps.clean:2': 51 }]);
  });

  it('leaves a participant changed while its state cannot be written, and never takes an offset behind its restored snapshot', () => {
    const book = new ParticipantSnapshots(0);
    book.reset([{ key: 'a', partition: 2, value: snapshot({ n: 1 }, { 'gps.clean:2': 42 }) }]);
    book.markChanged('a');
    expect(book.take(0, () => null)).toEqual([]);
    // Re-reading other participants' records from 30: the restored state already folded up to 42.
    book.read('gps.clean:2', 35);
    expect(book.take(1, only({ n: 1 })).map((r) => r.value?.upTo)).toEqual([{ 'gps.clean:2': 42 }]);
  });

  it('deletes an evicted participant\'s snapshot with a tombstone in its partition', () => {
    const book = new ParticipantSnapshots(0);
    book.produced([{ key: 'a', partition: 2, value: snapshot({ n: 1 }, { 'gps.clean:2': 42 }) }]);
    book.markEvicted('a');
    book.markEvicted('never-written');
    const tombstones = book.take(0, only(null));
    expect(tombstones).toEqual([{ key: 'a', partition: 2, value: null }]);
    book.produced(tombstones);
    expect(book.heldFrom('a')).toBeUndefined();
    expect(book.acknowledged().size).toBe(0);
  });

  it('forgets an evicted participant: back afresh, its first snapshot is not held back by the evicted state\'s interval', () => {
    const book = new ParticipantSnapshots(30_000);
    book.markChanged('a');
    book.produced(book.take(1000, only({ n: 1 })));
    book.markEvicted('a');
    book.markChanged('a'); // the participant's next record starts a fresh state
    const records = book.take(2000, only({ n: 2 }));
    expect(records.map((r) => r.value?.state ?? null)).toEqual([null, { n: 2 }]);
  });

  it('keeps the acknowledged copy as it was when taken, whatever the live state does next', () => {
    const book = new ParticipantSnapshots(0);
    const live = { points: [1] };
    book.read('gps.clean:2', 0);
    book.markChanged('a');
    book.produced(book.take(0, only(live)));
    live.points.push(2);
    expect(book.acknowledged().get('a')?.state).toEqual({ points: [1] });
  });
});
