/**
 * The live guarantee (docs/design.md §4) on the sensor stage: a kit sends a row a minute, so the idle
 * timeout fires between rows; whatever the arrival pattern and wherever the service restarts,
 * the rows an upserting sink ends with equal the batch cleaner's (`polluscope sensors clean`).
 */
import { describe, expect, it } from 'vitest';
import { LiveFeed, mulberry32, TOPICS } from '@polluscope/common';
import { cleanSensorSeries, parseSensorRecord, type SensorRow } from './domain/index.js';
import { createTimeseriesHandler, toSensorCleanRecord } from './handler.js';

const START = Date.UTC(2026, 0, 5, 8, 0, 0);
const MINUTE = 60_000;
const IDLE_MS = 1_000;

/** 150 minutes with what cleaning acts on: a glitch, a plume, nulls, an out-of-range value, a session break. */
function rawRows(participant: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let minute = 0; minute < 150; minute++) {
    if (minute >= 70 && minute < 85) continue; // 15 min without rows: a new sensor session (NO2 warm-up)
    const wave = Math.round(Math.sin(minute / 5) * 30) / 10;
    rows.push({
      participant_virtual_id: participant,
      kit_id: 7,
      time: new Date(START + minute * MINUTE).toISOString(),
      // Minute 40: a PM2.5 glitch (one channel). Minute 55: a passing bus (PM and BC together).
      pm1: minute === 55 ? 70 : 6 + wave,
      pm25: minute === 40 ? 180 : minute === 55 ? 110 : 11 + wave,
      pm10: minute % 13 === 5 ? null : minute === 55 ? 150 : 16 + wave,
      no2: minute === 100 ? 900 : 22 + wave,
      bc: minute === 55 ? 12_000 : 800 + 10 * minute,
      temperature: 20 + wave / 10,
      humidity: minute >= 120 && minute < 127 ? null : 48 + wave,
      activity: minute < 90 ? 'Domicile' : 'Rue',
      event: minute === 12 ? 'cooking' : null,
    });
  }
  return rows;
}

/** What `polluscope sensors clean` writes for these rows, as sensor.clean records by time. */
function batchTable(participant: string, rows: readonly Record<string, unknown>[]): Map<string, Record<string, unknown>> {
  const parsed = rows.map((raw) => {
    const result = parseSensorRecord(raw);
    if ('reason' in result) throw new Error(result.reason);
    return result.row as SensorRow;
  });
  const table = new Map<string, Record<string, unknown>>();
  for (const clean of cleanSensorSeries(parsed)) table.set(String(clean.timeMs), toSensorCleanRecord(participant, clean, 7));
  return table;
}

const byTime = (value: Record<string, unknown>) => String(value.time);
const record = (value: Record<string, unknown>) => ({ topic: TOPICS.rawSensor.name, key: value.participant_virtual_id as string, value });
const feed = () => new LiveFeed(() => createTimeseriesHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: IDLE_MS }));


describe('timeseries-preprocessing at live rates', () => {
  const participant = 'live-1';
  const rows = rawRows(participant);
  const expected = batchTable(participant, rows);

  it('all at once gives the batch cleaner\'s rows', () => {
    const live = feed();
    live.deliver(rows.map(record), 0);
    live.idle(IDLE_MS);
    expect(live.table(TOPICS.sensorClean.name, byTime)).toEqual(expected);
    expect(live.deadLetters).toEqual([]);
  });

  it('one row a minute, the idle timeout firing between rows, gives the same rows', () => {
    const live = feed();
    let now = 0;
    for (const row of rows) {
      live.deliver([record(row)], now);
      now += 2 * IDLE_MS;
      live.idle(now);
    }
    expect(live.table(TOPICS.sensorClean.name, byTime)).toEqual(expected);
    expect(live.deadLetters).toEqual([]);
  });

  it('keeps the bus plume and removes the glitch, at once and one row a minute alike', () => {
    const at = (minute: number) => expected.get(String(START + minute * MINUTE));
    expect(at(40)).toMatchObject({ imputed_pm25: true, quality_flags: 'pm25:spike' });
    expect(at(55)).toMatchObject({ pm1: 70, pm25: 110, pm10: 150, bc: 12_000, quality_flags: null });
    const live = feed();
    let now = 0;
    for (const row of rows) {
      live.deliver([record(row)], now);
      now += 2 * IDLE_MS;
      live.idle(now);
    }
    const table = live.table(TOPICS.sensorClean.name, byTime);
    expect(table.get(String(START + 40 * MINUTE))).toEqual(at(40));
    expect(table.get(String(START + 55 * MINUTE))).toEqual(at(55));
  });

  it('restarts at seeded moments (also just after an idle flush) change no row', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const next = mulberry32(seed);
      const live = feed();
      let now = 0;
      for (const row of rows) {
        live.deliver([record(row)], now);
        if (next() < 0.1) live.restart(now);
        now += 2 * IDLE_MS;
        live.idle(now);
        if (next() < 0.1) live.restart(now);
      }
      live.idle((now += 2 * IDLE_MS));
      expect(live.restarts, `seed ${seed}`).toBeGreaterThan(0);
      expect(live.table(TOPICS.sensorClean.name, byTime), `seed ${seed}`).toEqual(expected);
      expect(live.openParticipants()).toBe(0);
    }
  });

  it('keeps the NO2 warm-up session through a restart after an idle flush', () => {
    const live = feed();
    let now = 0;
    for (const [i, row] of rows.entries()) {
      live.deliver([record(row)], now);
      now += 2 * IDLE_MS;
      live.idle(now);
      if (i === 30) live.restart(now);
    }
    const table = live.table(TOPICS.sensorClean.name, byTime);
    // The three minutes after the restart keep their NO2: the session did not start again.
    for (const minute of [31, 32, 33]) expect(table.get(String(START + minute * MINUTE))?.no2, `minute ${minute}`).not.toBeNull();
    expect(table).toEqual(expected);
  });
});

describe('timeseries-preprocessing with a record from the future', () => {
  it('dead-letters a row stamped 20 h ahead alone, and every later row is cleaned as without it', () => {
    const participant = 'live-2';
    const rows = rawRows(participant);
    const clockMs = START + 200 * MINUTE; // the processing clock: after the last row
    const skewed = { ...rows[60]!, time: new Date(clockMs + 20 * 3_600_000).toISOString() };
    const live = new LiveFeed(() =>
      createTimeseriesHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: IDLE_MS, clock: () => clockMs }),
    );
    let now = 0;
    for (const [i, row] of rows.entries()) {
      live.deliver(i === 60 ? [record(skewed), record(row)] : [record(row)], now);
      now += 2 * IDLE_MS;
      live.idle(now);
    }
    expect(live.deadLetters.map((d) => d.reason)).toEqual([expect.stringMatching(/^future: time .* is 1200 min ahead/)]);
    expect(live.table(TOPICS.sensorClean.name, byTime)).toEqual(batchTable(participant, rows));
  });
});
