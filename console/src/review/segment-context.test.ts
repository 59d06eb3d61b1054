import { describe, expect, it } from 'vitest';
import { buildParticipantDay } from '../day/build-participant-day.js';
import { at, fixRow, sensorRow, stopRow, timelineRow } from '../day/test-rows.js';
import { segmentContext } from './segment-context.js';
import { queueFingerprint } from './queue-fingerprint.js';
import { decision, item, LABELS } from './test-items.js';

const day = buildParticipantDay({
  participant: 'sim-001',
  day: '2026-01-12',
  timeZone: 'Europe/Paris',
  dayStart: at(-60),
  dayEnd: at(1380),
  minutes: [0, 29, 30, 64, 65, 100].map((m) => sensorRow(m)),
  timeline: [0, 25, 30, 60, 95].map((m) => timelineRow(m)),
  fixes: [59, 60, 64, 65].map((m) => fixRow(m, 48.85, 2.3, null)),
  stops: [stopRow(40, 62, 48.85, 2.3), stopRow(70, 90, 48.86, 2.31)],
  exposure: [],
});

describe('segmentContext', () => {
  it('keeps half an hour either side of the segment for the series and bands, the segment alone for the map', () => {
    const context = segmentContext(day, item(60));
    expect([context.dayStartMs, context.dayEndMs]).toEqual([at(30).getTime(), at(95).getTime()]);
    expect(context.minutes.map((m) => (m.timeMs - at(0).getTime()) / 60_000)).toEqual([30, 64, 65]);
    expect(context.segments.map((s) => (s.startMs - at(0).getTime()) / 60_000)).toEqual([30, 60]);
    expect(context.fixes.map((f) => (f.timeMs - at(0).getTime()) / 60_000)).toEqual([60, 64]);
    expect(context.stops).toHaveLength(1);
  });
});

describe('queueFingerprint', () => {
  const queue = { participant: 'p', day: '2026-01-12', timeZone: 'Europe/Paris', labels: LABELS, items: [item(0)] };
  it('changes when a label or a decision changes, not otherwise', () => {
    expect(queueFingerprint({ ...queue })).toBe(queueFingerprint(queue));
    expect(queueFingerprint({ ...queue, items: [item(0, { finalLabel: 'Walk', finalSource: 'review' })] })).not.toBe(queueFingerprint(queue));
    expect(queueFingerprint({ ...queue, items: [item(0, { decisions: [decision('Walk', 9)] })] })).not.toBe(queueFingerprint(queue));
  });
});
