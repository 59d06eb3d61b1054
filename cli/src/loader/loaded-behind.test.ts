import { describe, expect, it } from 'vitest';
import { loadedBehindQuery, mergeLoadedBehind } from './loaded-behind.js';

describe('loadedBehindQuery', () => {
  it('compares the rows a load inserted (ids above the high water) with the newest rows before it, in both tables', () => {
    const { text, values } = loadedBehindQuery('gps', { sensor: 40, gps: 900 });
    expect(values).toEqual([900, 40, 900]);
    expect(text).toContain('FROM "gps_positions" WHERE id > $1 GROUP BY participant_virtual_id');
    expect(text).toContain('(SELECT max(time) FROM "sensor_measurements" AS t WHERE t.participant_virtual_id = loaded.participant_virtual_id AND t.id <= $2)');
    expect(text).toContain('(SELECT max(time) FROM "gps_positions" AS t WHERE t.participant_virtual_id = loaded.participant_virtual_id AND t.id <= $3)');
    expect(text).toContain('WHERE newest_before > first');
    expect(loadedBehindQuery('sensor', { sensor: 40, gps: 900 }).values).toEqual([40, 40, 900]);
  });
});

describe('mergeLoadedBehind', () => {
  it('keeps one entry a participant over the files: the earliest start, the newest row before', () => {
    const merged = mergeLoadedBehind([
      [
        { participant: 'b', fromMs: 50, newestBeforeMs: 90 },
        { participant: 'a', fromMs: 30, newestBeforeMs: 60 },
      ],
      [{ participant: 'a', fromMs: 10, newestBeforeMs: 70 }],
      [],
    ]);
    expect(merged).toEqual([
      { participant: 'a', fromMs: 10, newestBeforeMs: 70 },
      { participant: 'b', fromMs: 50, newestBeforeMs: 90 },
    ]);
  });
});
