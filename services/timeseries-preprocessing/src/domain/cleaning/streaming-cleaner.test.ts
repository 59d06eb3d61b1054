import { describe, expect, it } from 'vitest';
import type { CleanSensorRow, SensorRow } from '../sensor-row.js';
import { cleanSensorSeries } from './clean-sensor-series.js';
import { createCleanerState, defaultStreamingCleanerParams, flushRows, pushRows, retainedRows, tooLateForCleaner, type StreamingCleanerParams } from './streaming-cleaner.js';
import { row } from './test-rows.js';

const LATENESS_MS = 2 * 60_000;

/** A varied series: gaps (sessions), spikes, out-of-range values, missing sensors. */
function makeSeries(n: number): (SensorRow & { offset: number })[] {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows: (SensorRow & { offset: number })[] = [];
  let minute = 0;
  for (let i = 0; i < n; i++) {
    minute += rnd() < 0.03 ? 5 + Math.floor(rnd() * 15) : 1;
    const spike = rnd() < 0.05 ? 80 : 0;
    // A one-minute plume raises the three PM channels together: kept, unlike a one-channel spike.
    const plume = rnd() < 0.03 ? 6 : 1;
    rows.push({
      ...row(minute, {
        pm1: rnd() < 0.1 ? null : Math.round((8 + rnd() * 4) * plume + spike),
        pm25: Math.round((12 + rnd() * 5) * plume + (rnd() < 0.04 ? 1200 : 0)),
        pm10: rnd() < 0.2 ? null : (20 + rnd() * 6) * plume,
        no2: rnd() < 0.15 ? null : 30 + rnd() * 10,
        bc: null,
        temperature: 20 + rnd(),
        humidity: rnd() < 0.02 ? 130 : rnd() < 0.02 ? 103 : 50 + rnd() * 3,
        activity: rnd() < 0.5 ? 'Domicile' : 'Rue',
      }),
      offset: i,
    });
  }
  return rows;
}

function runChunks(rows: readonly (SensorRow & { offset: number })[], chunkCount: number): CleanSensorRow[] {
  const state = createCleanerState<SensorRow & { offset: number }>();
  const size = Math.ceil(rows.length / chunkCount);
  const out: CleanSensorRow[] = [];
  let maxSeen = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    for (const r of chunk) maxSeen = Math.max(maxSeen, r.timeMs);
    out.push(...pushRows(state, chunk, maxSeen - LATENESS_MS));
  }
  out.push(...flushRows(state));
  return out;
}

describe('streaming cleaner', () => {
  const rows = makeSeries(600);

  it('gives byte-identical output for 1, 7 and 500 chunks, equal to the batch cleaner', () => {
    const batch = JSON.stringify(cleanSensorSeries(rows));
    const one = JSON.stringify(runChunks(rows, 1));
    expect(one).toBe(batch);
    expect(JSON.stringify(runChunks(rows, 7))).toBe(batch);
    expect(JSON.stringify(runChunks(rows, 500))).toBe(batch);
    // The fixture exercises every rule.
    expect(batch).toContain(':spike');
    expect(batch).toContain('no2:warmup');
    expect(batch).toContain('pm25:range');
    expect(batch).toContain('humidity:clipped');
    // Plumes are kept (PM2.5 of 6 × 12–17), and those above 300 are flagged high.
    expect(cleanSensorSeries(rows).filter((r) => r.pm25 !== null && r.pm25 >= 72 && r.pm25 < 1000 && !r.qualityFlags.includes('pm25:')).length).toBeGreaterThan(5);
  });

  it('emits a row only once the watermark is 5 minutes past it', () => {
    const state = createCleanerState<SensorRow>();
    expect(pushRows(state, [row(0, { pm25: 10 }), row(1, { pm25: 11 })], row(4).timeMs)).toEqual([]);
    const out = pushRows(state, [row(5, { pm25: 12 })], row(5).timeMs);
    expect(out.map((r) => r.timeMs)).toEqual([row(0).timeMs]);
  });

  it('recomputes and re-emits rows affected by a late row; last emissions equal the batch', () => {
    // Within the 30-minute late retention of the frontier after 400 rows.
    const late = rows[390]!;
    const inOrder = rows.filter((r) => r !== late);
    const state = createCleanerState<SensorRow & { offset: number }>();
    const latest = new Map<number, string>();
    const record = (out: CleanSensorRow[]) => out.forEach((r) => latest.set(r.timeMs, JSON.stringify(r)));
    let maxSeen = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < 400; i += 10) {
      const chunk = inOrder.slice(i, i + 10);
      for (const r of chunk) maxSeen = Math.max(maxSeen, r.timeMs);
      record(pushRows(state, chunk, maxSeen - LATENESS_MS));
    }
    const reEmitted = pushRows(state, [late], maxSeen - LATENESS_MS);
    expect(reEmitted.map((r) => r.timeMs)).toContain(late.timeMs);
    expect(reEmitted.every((r) => r.timeMs >= late.timeMs - 5 * 60_000)).toBe(true);
    record(reEmitted);
    record(pushRows(state, inOrder.slice(400), Number.NEGATIVE_INFINITY));
    record(flushRows(state));
    expect([...latest.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1])).toEqual(cleanSensorSeries(rows).map((r) => JSON.stringify(r)));
  });

  it('takes no row more than the late retention behind: a repeat of the first minutes keeps their NO2 warm-up', () => {
    const session = Array.from({ length: 60 }, (_, i) => row(i, { no2: 20 + (i % 5) }));
    const state = createCleanerState<SensorRow>();
    const first = pushRows(state, session, row(59).timeMs - LATENESS_MS);
    expect(first.slice(0, 3).map((r) => r.qualityFlags)).toEqual(['no2:warmup', 'no2:warmup', 'no2:warmup']);
    // Cleaned up to minute 52: minute 0 is 52 min behind, minute 30 is 22 min behind.
    expect(tooLateForCleaner(state, row(0).timeMs)).toMatch(/^too late: .* is 52 min behind .* beyond the 30 min kept/);
    expect(tooLateForCleaner(state, row(30).timeMs)).toBeNull();
    const again = pushRows(state, [row(0, { no2: 20 }), row(30, { no2: 20 })], row(59).timeMs - LATENESS_MS);
    expect(again.map((r) => r.timeMs)).not.toContain(row(0).timeMs);
    expect(again.map((r) => r.timeMs)).toContain(row(30).timeMs);
    expect(again.every((r) => !r.qualityFlags.includes('warmup'))).toBe(true);
  });

  it('holds only a bounded context and exposes it for the commit point', () => {
    const state = createCleanerState<SensorRow & { offset: number }>();
    const series = makeSeries(2000);
    const last = series[series.length - 1]!;
    pushRows(state, series, last.timeMs - LATENESS_MS);
    const held = retainedRows(state);
    // Lookahead 5 + lateness 2 unemitted, lookbehind 6 + late retention 30 held: at most 43 minutes.
    expect(held[0]!.timeMs).toBeGreaterThanOrEqual(last.timeMs - 43 * 60_000);
    expect(held[held.length - 1]!.offset).toBe(1999);
  });

  describe('restart from the retained rows', () => {
    type Row = SensorRow & { offset: number };

    /** Streams `rows` in chunks of 10; at `restartAt` rows, a fresh state takes over from the retained rows. */
    function restart(rows: readonly Row[], restartAt: number, params: StreamingCleanerParams = defaultStreamingCleanerParams) {
      const state = createCleanerState<Row>();
      let maxSeen = Number.NEGATIVE_INFINITY;
      let lastEmittedMs = Number.NEGATIVE_INFINITY;
      const push = (target: typeof state, chunk: readonly Row[]) => {
        for (const r of chunk) maxSeen = Math.max(maxSeen, r.timeMs);
        return pushRows(target, chunk, maxSeen - LATENESS_MS, params);
      };
      for (let i = 0; i < restartAt; i += 10) for (const r of push(state, rows.slice(i, Math.min(i + 10, restartAt)))) lastEmittedMs = Math.max(lastEmittedMs, r.timeMs);
      const retained = [...retainedRows(state)];
      const rest = rows.slice(restartAt);
      const fresh = createCleanerState<Row>();
      const seenBefore = maxSeen;
      const latest = (target: typeof state, input: readonly (readonly Row[])[]) => {
        const out = new Map<number, string>();
        for (const chunk of input) for (const r of push(target, chunk)) out.set(r.timeMs, JSON.stringify(r));
        for (const r of flushRows(target, params)) out.set(r.timeMs, JSON.stringify(r));
        return [...out.entries()].filter(([t]) => t > lastEmittedMs).sort((a, b) => a[0] - b[0]);
      };
      const chunks = (list: readonly Row[]) => Array.from({ length: Math.ceil(list.length / 10) }, (_, i) => list.slice(i * 10, i * 10 + 10));
      const continued = latest(state, chunks(rest));
      maxSeen = seenBefore;
      const restarted = latest(fresh, [retained, ...chunks(rest)]);
      return { continued, restarted, retained, lastEmittedMs };
    }

    it('a fresh state fed the retained rows, then the rest, emits the rows not yet emitted unchanged', () => {
      const rows = makeSeries(600);
      for (const restartAt of [150, 300, 450]) {
        const { continued, restarted, retained, lastEmittedMs } = restart(rows, restartAt);
        expect(retained[0]!.timeMs).toBeLessThanOrEqual(lastEmittedMs - 6 * 60_000);
        expect(continued[0]![0]).toBeGreaterThan(lastEmittedMs);
        expect(continued.length).toBeGreaterThan(600 - restartAt);
        expect(restarted).toEqual(continued);
      }
    });

    it('keeps the rows that rebuild the NO2 warm-up when NO2 was missing for long before the restart', () => {
      // One session: NO2 for 5 minutes, missing for 60 minutes, back at minute 66 (after the restart point).
      const rows: Row[] = Array.from({ length: 90 }, (_, m) => ({
        ...row(m, { pm25: 10 + (m % 3), no2: m < 5 || m >= 66 ? 20 + (m % 4) : null }),
        offset: m,
      }));
      const { continued, restarted, retained } = restart(rows, 70);
      expect(retained[0]!.timeMs).toBe(row(2).timeMs);
      expect(restarted).toEqual(continued);
      // Minute 66 keeps its NO2: the session's warm-up ended at minute 2.
      expect(JSON.parse(continued.find(([t]) => t === row(66).timeMs)![1])).toMatchObject({ no2: 22, qualityFlags: '' });
      // Without that context a fresh state would take minutes 66–68 for the warm-up of a new session.
      const bare = restart(rows, 70, { ...defaultStreamingCleanerParams, maxWarmUpContextMs: 0 });
      expect(JSON.parse(bare.restarted.find(([t]) => t === row(66).timeMs)![1])).toMatchObject({ qualityFlags: 'no2:warmup' });
    });
  });
});
