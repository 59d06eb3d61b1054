/**
 * The live guarantee (docs/design.md §4) on postprocessing: segments and episodes arrive one at a time
 * with the idle timeout firing between them, stops grow (re-sent under the same start), and the
 * service restarts; the timeline and exposure an upserting sink ends with equal the batch fusion.
 */
import { describe, expect, it } from 'vitest';
import { LiveFeed, TOPICS } from '@polluscope/common';
import { move, seg, stop } from './domain/test-fixtures.js';
import type { ActivitySegmentRecord, GpsEpisodeRecord } from './domain/records.js';
import { createPostprocessingHandler } from './handler.js';

const IDLE_MS = 1_000;
const LABELS = ['Domicile', 'Domicile', 'Bureau', 'Domicile', 'Walk', 'Walk', 'Métro', 'Walk', 'Bureau', 'Bureau', 'Restaurant', 'Bureau'];

/** 36 segments (3 h): home, a walk, the Métro, the office; each with 3 to 5 measured minutes. */
function segments(): ActivitySegmentRecord[] {
  return Array.from({ length: 36 }, (_, i) =>
    seg(i, LABELS[i % LABELS.length]!, { minutes: 3 + (i % 3), pm25_mean: 8 + (i % 5), bc_mean: 600 + 100 * (i % 7), no2_mean: 15 + i, temperature_mean: 20 }),
  );
}

/** A stop at home, a move by Métro, a stop at the office that grows as it is re-sent. */
function episodes(): GpsEpisodeRecord[] {
  return [stop(0, 20), move(20, 45, 'Métro', 0.9), stop(45, 100), stop(45, 140), stop(45, 180)];
}

type Item = { topic: string; value: ActivitySegmentRecord | GpsEpisodeRecord; timeMs: number };

function inArrivalOrder(): Item[] {
  const items: Item[] = [
    ...segments().map((value) => ({ topic: TOPICS.activitySegments.name, value, timeMs: value.segment_end })),
    ...episodes().map((value) => ({ topic: TOPICS.gpsEpisodes.name, value, timeMs: value.episode_end })),
  ];
  return items.sort((a, b) => a.timeMs - b.timeMs);
}

const feed = () => new LiveFeed(() => createPostprocessingHandler({ idleTimeoutMs: IDLE_MS }));
const record = (item: Item) => ({ topic: item.topic, key: item.value.participant_virtual_id, value: item.value });
const timelineKey = (v: Record<string, unknown>) => String(v.segment_start);
const exposureKey = (v: Record<string, unknown>) => `${v.day} ${v.micro_environment}`;

function tables(live: LiveFeed) {
  return {
    timeline: live.table(TOPICS.activityTimeline.name, timelineKey),
    exposure: live.table(TOPICS.exposureDaily.name, exposureKey),
  };
}

describe('postprocessing at live rates', () => {
  const items = inArrivalOrder();
  const batch = feed();
  batch.deliver(items.map(record), 0);
  batch.idle(IDLE_MS);
  const expected = tables(batch);

  it('the batch run fuses every segment', () => {
    expect(expected.timeline.size).toBe(36);
    expect([...expected.timeline.values()].filter((e) => e.source === 'gps').map((e) => e.final_label)).toContain('Métro');
  });

  it('one record at a time with idle flushes between, and restarts, give the same timeline and exposure', () => {
    for (const restartEvery of [0, 5, 11]) {
      const live = feed();
      let now = 0;
      for (const [i, item] of items.entries()) {
        live.deliver([record(item)], now);
        live.idle((now += 2 * IDLE_MS));
        if (restartEvery > 0 && i % restartEvery === restartEvery - 1) live.restart(now);
      }
      live.idle((now += 2 * IDLE_MS));
      const got = tables(live);
      expect(got.timeline, `timeline, restart every ${restartEvery}`).toEqual(expected.timeline);
      expect(got.exposure, `exposure, restart every ${restartEvery}`).toEqual(expected.exposure);
    }
  });
});
