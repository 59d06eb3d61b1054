import { describe, expect, it } from 'vitest';
import { describeDiff, diffTable, isIdentical } from '../faults/table-diff.js';

const key = ['participant_virtual_id', 'time'];
const t = (minute: number) => new Date(Date.UTC(2026, 0, 5, 8, minute));

describe('diffTable', () => {
  it('finds identical tables identical whatever the row order and the key order of json values', () => {
    const reference = [
      { participant_virtual_id: 'a', time: t(0), pm25: 1.5, probabilities: { Bureau: 0.2, Domicile: 0.8 } },
      { participant_virtual_id: 'a', time: t(1), pm25: null, probabilities: null },
    ];
    const run = [
      { participant_virtual_id: 'a', time: t(1), pm25: null, probabilities: null },
      { participant_virtual_id: 'a', time: new Date(t(0).getTime()), pm25: 1.5, probabilities: { Domicile: 0.8, Bureau: 0.2 } },
    ];
    const diff = diffTable('sensor_clean', key, reference, run);
    expect(isIdentical(diff)).toBe(true);
    expect(describeDiff(diff, key)).toBe('sensor_clean: identical (2 rows)');
  });

  it('lists missing, extra and changed rows by their key, with the columns that differ', () => {
    const reference = [
      { participant_virtual_id: 'a', time: t(0), pm25: 1.5 },
      { participant_virtual_id: 'a', time: t(1), pm25: 2 },
    ];
    const run = [
      { participant_virtual_id: 'a', time: t(1), pm25: 3 },
      { participant_virtual_id: 'a', time: t(2), pm25: 4 },
    ];
    const diff = diffTable('sensor_clean', key, reference, run);
    expect(diff.missing).toEqual([reference[0]]);
    expect(diff.extra).toEqual([run[1]]);
    expect(diff.changed).toEqual([{ reference: reference[1], run: run[0] }]);
    expect(describeDiff(diff, key).split('\n')).toEqual([
      'sensor_clean: 2 rows in the reference, 2 in this run — 1 missing, 1 extra, 1 changed',
      '  missing  participant_virtual_id="a", time=2026-01-05T08:00:00.000Z',
      '  extra    participant_virtual_id="a", time=2026-01-05T08:02:00.000Z',
      '  changed  participant_virtual_id="a", time=2026-01-05T08:01:00.000Z: pm25: 2 → 3',
    ]);
  });

  it('tells a null from a missing value and a number from its text', () => {
    const diff = diffTable('t', ['id'], [{ id: 1, v: null }, { id: 2, v: 5 }], [{ id: 1, v: 0 }, { id: 2, v: '5' }]);
    expect(diff.changed).toHaveLength(2);
  });
});
