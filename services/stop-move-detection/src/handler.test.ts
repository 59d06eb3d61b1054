/**
 * The stop-move handler's state (docs/design.md §4, "a stop that lasts for days is summarised, not kept
 * point by point"): a week at one place fed at 0.2 Hz keeps a state whose size does not grow, and,
 * written to the changelog, lets the committed offset leave the week's first fixes behind.
 */
import { describe, expect, it } from 'vitest';
import { LiveFeed, TOPICS, type FedRecord, type InputRecord } from '@polluscope/common';
import { detectStayPoints, type TrackPoint } from './domain/index.js';
import { pt } from './domain/trajectory/test-points.js';
import { createStopMoveHandler, toEpisodeRecord } from './handler.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const P = 'p1';

/** `pt` shifted to a real day. */
const at = (xM: number, yM: number, tS: number): TrackPoint => {
  const p = pt(xM, yM, tS);
  return { ...p, timeMs: T0 + p.timeMs };
};

function record(offset: number, xM: number, yM: number, tS: number): InputRecord {
  const p = pt(xM, yM, tS);
  return { topic: TOPICS.gpsClean.name, partition: 0, offset, key: P, value: { participant_virtual_id: P, time: T0 + p.timeMs, lat: p.lat, lon: p.lon, hilbert: 100 + (offset % 3) } };
}

describe('stop-move handler state', () => {
  it('keeps a 7-day stop at 0.2 Hz in bounded state, fed in polls with idle flushes between them', () => {
    const handler = createStopMoveHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: 1000, transportModel: () => null });
    const reject = () => {
      throw new Error('no record should be rejected');
    };
    let offset = 0;
    let nowMs = 0;
    // Driving in: 20 fixes 100 m apart every 5 s; the move's first fix has offset 0.
    const arrival: InputRecord[] = [];
    for (let k = 0; k < 20; k++) arrival.push(record(offset++, -2000 + 100 * k, 0, 5 * k));
    handler.process(arrival, (nowMs += 1000), reject);
    const sizes: number[] = [];
    const days = 7;
    const fixesPerDay = 86_400 / 5;
    for (let k = 0; k < days * fixesPerDay; k += 100) {
      const poll: InputRecord[] = [];
      for (let j = k; j < k + 100; j++) poll.push(record(offset++, 12 * Math.sin(j * 1.7), 12 * Math.cos(j * 2.3), 100 + 5 * j));
      handler.process(poll, (nowMs += 1000), reject);
      handler.flushIdle((nowMs += 2000));
      if (Math.floor((k + 100) / fixesPerDay) > Math.floor(k / fixesPerDay)) sizes.push(JSON.stringify(handler.entry(P)!.state).length);
    }
    const state = handler.entry(P)!.state;
    expect(state.detector.mode).toBe('stopped');
    // Only the fixes within the allowed lateness of the newest are held (not yet processed).
    expect(state.points.length).toBeLessThanOrEqual(120_000 / 5000 + 1);
    expect(state.detector.points.length).toBeLessThanOrEqual(120_000 / 5000 + 1);
    expect(sizes).toHaveLength(days);
    // The state after a week is no larger than after a day (a few kilobytes either way).
    expect(Math.max(...sizes)).toBeLessThan(8000);
    expect(sizes[days - 1]! - sizes[0]!).toBeLessThan(500);
    // No snapshot was acknowledged (no runner here): the held offset is the first fix of the move
    // before the stop, from which the summary can be rebuilt.
    expect(handler.heldOffsets().get(`${TOPICS.gpsClean.name}:0`)).toBe(0);
  });

  it('lets the held offset advance during a long stop, and a restart from the changelog gives the rows of an uninterrupted run and of the CLI', () => {
    const DRIVE_IN = 20;
    const FIXES_PER_DAY = 86_400 / 5;
    const STOP_FIXES = 7 * FIXES_PER_DAY; // 120,960
    const POLL = 100;
    // Driving in (offsets 0–19), a week within 12 m of one place at 0.2 Hz (offsets 20–120,979),
    // driving away east (offsets 120,980–120,999).
    const points: TrackPoint[] = [];
    for (let k = 0; k < DRIVE_IN; k++) points.push(at(-2000 + 100 * k, 0, 5 * k));
    for (let j = 0; j < STOP_FIXES; j++) points.push(at(12 * Math.sin(j * 1.7), 12 * Math.cos(j * 2.3), 100 + 5 * j));
    const leaveS = 100 + 5 * STOP_FIXES;
    for (let k = 1; k <= 20; k++) points.push(at(100 * k, 0, leaveS + 5 * k));
    const records: FedRecord[] = points.map((p) => ({
      topic: TOPICS.gpsClean.name,
      key: P,
      value: { participant_virtual_id: P, time: p.timeMs, lat: p.lat, lon: p.lon, hilbert: null },
    }));
    const source = `${TOPICS.gpsClean.name}:0`;

    /** Polls of 100 fixes, 1 s of processing time apart, an idle flush 2 s after each; restarts after the polls listed. */
    const run = (restartAfterPoll: ReadonlySet<number>) => {
      const live = new LiveFeed(() => createStopMoveHandler({ allowedLatenessMs: 120_000, idleTimeoutMs: 1000, transportModel: () => null }));
      let nowMs = 0;
      /** At the first poll of each new day: fixes fed so far and the committed offset. */
      const committedPerDay: { fed: number; offset: number }[] = [];
      for (let i = 0, poll = 0; i < records.length; i += POLL, poll++) {
        live.deliver(records.slice(i, i + POLL), (nowMs += 1000));
        live.idle((nowMs += 2000));
        if (restartAfterPoll.has(poll)) live.restart(nowMs);
        const fed = Math.min(i + POLL, records.length);
        const day = (n: number) => Math.floor((n - DRIVE_IN) / FIXES_PER_DAY);
        if (day(fed) > day(i) && day(fed) >= 1 && day(fed) <= 7) committedPerDay.push({ fed, offset: live.committedOffsets().get(source)!.offset });
      }
      live.idle((nowMs += 5000));
      return { live, committedPerDay };
    };

    const uninterrupted = run(new Set());
    // A snapshot every 30 s of processing time, i.e. every 10 polls (1,000 fixes): at the end of
    // each day the commit is less than 1,000 fixes behind (before the changelog: offset 0 all week).
    expect(uninterrupted.committedPerDay).toHaveLength(7);
    for (const { fed, offset } of uninterrupted.committedPerDay) {
      expect(offset).toBeGreaterThan(fed - 1000);
      expect(offset).toBeLessThanOrEqual(fed);
    }
    // Once the participant drives away its state is a move's (not written): it stays held at the
    // last snapshot of the stop, past the week's first fixes.
    expect(uninterrupted.live.committedOffsets().get(source)!.offset).toBeGreaterThan(DRIVE_IN + STOP_FIXES - 1000);
    // Every snapshot is a few kilobytes, the last no larger than the first.
    const sizes = uninterrupted.live.changelog.map((m) => m.value!.length);
    expect(sizes.length).toBeGreaterThan(100);
    expect(Math.max(...sizes)).toBeLessThan(16_000);
    expect(sizes.at(-1)! - sizes[0]!).toBeLessThan(500);

    // Restarted on day 3 (polls 519–520 hold fixes of day 3), after the first fix of day 7 (poll
    // 1037) and during the drive away (poll 1209, the last): each restores the changelog and
    // re-reads at most 1,000 fixes.
    const restarted = run(new Set([520, 1037, 1209]));
    expect(restarted.live.restarts).toBe(3);
    const keyOf = (v: Record<string, unknown>) => `${String(v.participant_virtual_id)}|${String(v.episode_start)}`;
    const rows = (live: LiveFeed) => live.table(TOPICS.gpsEpisodes.name, keyOf);
    expect(rows(restarted.live)).toEqual(rows(uninterrupted.live));
    // And what `polluscope gps stops` gives on the same fixes: a move in, the week's stop, a move out.
    const batch = new Map(detectStayPoints(points).map((e) => [keyOf(toEpisodeRecord(P, e, null)), toEpisodeRecord(P, e, null)]));
    expect([...batch.values()].map((r) => r.episode_type)).toEqual(['move', 'stop', 'move']);
    // The week's fixes and the first fix driving away: 100 m east, within maxJitterM (100 m) of the centroid.
    expect([...batch.values()][1]!.point_count).toBe(STOP_FIXES + 1);
    expect(rows(restarted.live)).toEqual(batch);
    // Two runs of 121,000 fixes: about 5 s alone, more on a shared machine.
  }, 60_000);
});
