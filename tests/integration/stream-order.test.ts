/**
 * Records that arrive out of order, late or twice (docs/design.md §4): two participants get the same
 * hour of sensor minutes, one in time order, the other with neighbours swapped (within the allowed
 * lateness) and minute 45 arriving last, 14 minutes after the allowed lateness (a late record:
 * its window is recomputed and re-emitted, not dropped), one transaction per row; every row is
 * then written again unchanged (change data capture sends each a second time). The cleaned
 * minutes and the segments in the warehouse must be the same for both, one row per minute, and
 * a repeat that comes once the hour is cleaned and its context let go goes to the dead-letter topic
 * instead of overwriting its minute.
 */
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints, eventually, freshParticipant, rawdata, warehouse } from './stack.js';

const raw = rawdata();
const wh = warehouse();
const inOrder = freshParticipant('order-a');
const shuffled = freshParticipant('order-b');
const START = Date.UTC(2026, 2, 9, 9, 0);
const MINUTES = 60;
const kafka = new Kafka({ brokers: [endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `it-stream-order-${Date.now()}` });
const deadLetters: KafkaMessage[] = [];

/** A minute's measurements: smooth with a spike at minute 20 and a gap at 31–33. */
function minute(i: number): { time: Date; pm25: number; no2: number } | null {
  if (i >= 31 && i <= 33) return null;
  return { time: new Date(START + i * 60_000), pm25: i === 20 ? 150 : 10 + (i % 7), no2: 20 + (i % 5) };
}

async function insert(participant: string, order: readonly number[]): Promise<void> {
  for (const i of order) {
    const row = minute(i);
    if (row) await raw.query('INSERT INTO sensor_measurements (participant_virtual_id, time, pm25, no2) VALUES ($1, $2, $3, $4)', [participant, row.time, row.pm25, row.no2]);
  }
}

const cleaned = (participant: string) =>
  wh
    .query<Record<string, unknown>>(
      `SELECT time, pm25, no2, imputed_pm25, imputed_no2, quality_flags FROM sensor_clean WHERE participant_virtual_id = $1 ORDER BY time`,
      [participant],
    )
    .then((r) => r.rows);

const segments = (participant: string) =>
  wh
    .query<Record<string, unknown>>(
      `SELECT segment_start, minutes, predicted_label, pm25_mean, no2_mean FROM activity_segments WHERE participant_virtual_id = $1 ORDER BY segment_start`,
      [participant],
    )
    .then((r) => r.rows);

beforeAll(async () => {
  await consumer.connect();
  await consumer.subscribe({ topics: ['dlq.timeseries-preprocessing'], fromBeginning: false });
  await consumer.run({ eachMessage: async ({ message }) => void deadLetters.push(message) });
  // Let the group settle at the end of the dead-letter topic before anything is produced.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const ascending = Array.from({ length: MINUTES }, (_, i) => i);
  await insert(inOrder, ascending);
  const swapped = ascending.map((i) => (i % 2 === 0 ? i + 1 : i - 1)).filter((i) => i !== 45);
  await insert(shuffled, [...swapped, 45]);
  // The same rows written again: a second change event per row, identical values.
  await raw.query('UPDATE sensor_measurements SET pm25 = pm25 WHERE participant_virtual_id = ANY($1)', [[inOrder, shuffled]]);
});

afterAll(async () => {
  await consumer.disconnect();
  await Promise.all([raw.end(), wh.end()]);
});

describe('out-of-order and repeated records', () => {
  it('clean to the same minutes, once each, whatever the arrival order', async () => {
    const expected = MINUTES - 3;
    const [a, b] = await eventually(
      'cleaned minutes of both participants',
      120_000,
      async () => [await cleaned(inOrder), await cleaned(shuffled)] as const,
      ([x, y]) => x.length === expected && y.length === expected,
    );
    expect(b).toEqual(a);
    // The spike was found in both, so the comparison is not between two empty cleanings.
    expect(a.find((r) => (r.time as Date).getTime() === START + 20 * 60_000)?.quality_flags).toContain('pm25:spike');
    // The first three NO2 values of the session are warm-up, whenever the rows came again.
    expect(a.slice(0, 4).map((r) => r.quality_flags)).toEqual(['no2:warmup', 'no2:warmup', 'no2:warmup', null]);
  });

  it('once cleaned, send a later repeat of minute 0 to the dead-letter topic with the reason, and keep every cleaned minute as it was', async () => {
    const before = [await cleaned(inOrder), await cleaned(shuffled)];
    // Every minute is in the warehouse, so the services have cleaned the whole hour: a third change
    // event per row now comes after minute 0's context was let go (30 min kept behind 09:59).
    await raw.query('UPDATE sensor_measurements SET pm25 = pm25 WHERE participant_virtual_id = ANY($1)', [[inOrder, shuffled]]);
    const tooLate = (participant: string) =>
      deadLetters.find(
        (m) => m.key?.toString() === participant && (m.headers?.error?.toString() ?? '').startsWith('too late: 2026-03-09T09:00:00.000Z'),
      );
    const found = await eventually('dead letters of both repeats of minute 0', 120_000, async () => [tooLate(inOrder), tooLate(shuffled)], (x) => x.every(Boolean));
    expect(found.map((m) => m?.headers?.stage?.toString())).toEqual(['timeseries-preprocessing', 'timeseries-preprocessing']);
    // The repeats still within the retention were cleaned again, in context, and sent with the dead
    // letters: give the sink time to write them, then nothing may have changed.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect([await cleaned(inOrder), await cleaned(shuffled)]).toEqual(before);
  });

  it('give the same segments', async () => {
    const [a, b] = await eventually(
      'segments of both participants',
      120_000,
      async () => [await segments(inOrder), await segments(shuffled)] as const,
      ([x, y]) => x.length === MINUTES / 5 && y.length === MINUTES / 5,
    );
    expect(b).toEqual(a);
  });
});
