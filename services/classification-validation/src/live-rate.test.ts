/**
 * The live guarantee (docs/design.md §4) on the classification stage: cleaned minutes arrive one a
 * minute, upstream re-emits revised minutes (upserts), the idle timeout fires between minutes and
 * the service restarts; the segments an upserting sink ends with equal the batch classification
 * (`polluscope classify` on the same minutes).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR, LiveFeed, TOPICS } from '@polluscope/common';
import { classifySegment, defaultClassifySegmentParams, loadActivityModel, segmentRows, type MeasuredMinute } from './domain/index.js';
import { createClassificationHandler, toSegmentRecord } from './handler.js';

const model = loadActivityModel(JSON.parse(readFileSync(join(DEFAULT_MODELS_DIR, 'activity-model.json'), 'utf8')));
const MODEL_VERSION = `v${model.version}-seed${model.seed}`;
const START = Date.UTC(2026, 0, 5, 7, 2);
const MINUTE = 60_000;
const IDLE_MS = 1_000;
const PARTICIPANT = 'live-c';

/** 150 cleaned minutes: home, a walk, then an office, with a gap and a few null values. */
function minutes(): (MeasuredMinute & { participant_virtual_id: string })[] {
  const out: (MeasuredMinute & { participant_virtual_id: string })[] = [];
  for (let minute = 0; minute < 150; minute++) {
    if (minute >= 61 && minute < 68) continue;
    const walk = minute >= 50 && minute < 80;
    const office = minute >= 80;
    out.push({
      participant_virtual_id: PARTICIPANT,
      timeMs: START + minute * MINUTE,
      pm1: walk ? 14 + (minute % 4) : 6 + (minute % 3),
      pm25: walk ? 22 + (minute % 5) : 9 + (minute % 3),
      pm10: walk ? 30 + (minute % 6) : 13 + (minute % 4),
      no2: walk ? 45 + (minute % 7) : 18 + (minute % 2),
      bc: walk ? 2500 + 40 * (minute % 5) : 500 + 5 * (minute % 4),
      temperature: walk ? 6 + (minute % 2) / 10 : office ? 22 : 20.5,
      humidity: minute % 17 === 3 ? null : walk ? 80 : 42,
      activity: walk ? 'Rue' : office ? 'Bureau' : 'Domicile',
    });
  }
  return out;
}

const asRecord = (m: MeasuredMinute & { participant_virtual_id: string }, overrides: Partial<MeasuredMinute> = {}) => {
  const { timeMs, ...rest } = { ...m, ...overrides };
  return { topic: TOPICS.sensorClean.name, key: PARTICIPANT, value: { ...rest, time: timeMs, event: null } };
};

function batchTable(rows: readonly MeasuredMinute[]): Map<string, Record<string, unknown>> {
  const table = new Map<string, Record<string, unknown>>();
  for (const segment of segmentRows(rows)) {
    const result = classifySegment(segment.startMs, segment.rows, model, defaultClassifySegmentParams);
    table.set(String(segment.startMs), toSegmentRecord(PARTICIPANT, result, segment.rows, MODEL_VERSION));
  }
  return table;
}

const byStart = (value: Record<string, unknown>) => String(value.segment_start);
const feed = () =>
  new LiveFeed(() =>
    createClassificationHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: IDLE_MS, lateRetentionMs: 60 * MINUTE, model: () => model }),
  );

describe('classification-validation at live rates', () => {
  const rows = minutes();
  const expected = batchTable(rows);

  it('all at once gives the batch classification', () => {
    const live = feed();
    live.deliver(rows.map((m) => asRecord(m)), 0);
    live.idle(IDLE_MS);
    expect(live.table(TOPICS.activitySegments.name, byStart)).toEqual(expected);
  });

  it('a minute at a time with idle flushes between, revised minutes re-sent, and restarts give the same segments', () => {
    for (const restartEvery of [0, 7, 23, 41]) {
      const live = feed();
      let now = 0;
      for (const [i, m] of rows.entries()) {
        // The cleaner's provisional version first (a value it later imputes differently), then the final one.
        live.deliver([asRecord(m, { pm10: (m.pm10 ?? 0) + 100 })], now);
        live.idle((now += 2 * IDLE_MS));
        live.deliver([asRecord(m)], now);
        live.idle((now += 2 * IDLE_MS));
        if (restartEvery > 0 && i % restartEvery === restartEvery - 1) live.restart(now);
      }
      expect(live.table(TOPICS.activitySegments.name, byStart), `restart every ${restartEvery}`).toEqual(expected);
    }
  });

  it('a minute re-sent after its segment was emitted, then a restart, never shrinks the segment', () => {
    const live = feed();
    let now = 0;
    for (const m of rows.slice(0, 40)) {
      live.deliver([asRecord(m)], now);
      live.idle((now += 2 * IDLE_MS));
    }
    live.restart(now);
    live.deliver([asRecord(rows[30]!)], now); // an upstream upsert of an emitted minute
    live.idle((now += 2 * IDLE_MS));
    const table = live.table(TOPICS.activitySegments.name, byStart);
    expect(table.get(String(START + 28 * MINUTE))?.minutes).toBe(5);
    expect(table).toEqual(batchTable(rows.slice(0, 40)));
  });
});
