/**
 * Bad input (docs/design.md §3.2, §4): a record that cannot be decoded or breaks a rule goes to
 * dlq.<service> with the original bytes and the error headers, a metric counts it, and the
 * stream carries on with the records behind it. So does a GPS fix that comes after its turn.
 * Error classes (docs/design.md §4): a corrupted byte, a trailing byte and an unknown schema id are
 * dead-lettered at once; a record a handler throws on, after 3 tries with reason `handler-error`.
 */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { AvroCodec, createServiceMetrics, DEFAULT_SCHEMAS_DIR, StreamRunner, TOPICS, type InputRecord, type StreamHandler } from '@polluscope/common';
import { Kafka, logLevel, Partitioners, type KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicePort } from '../../cli/src/infra/services.js';
import { endpoints, eventually, freshParticipant, rawdata, stackConfig, warehouse } from './stack.js';

const kafka = new Kafka({ brokers: [endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
const registry = new SchemaRegistry({ host: endpoints.registryUrl });
const raw = rawdata();
const wh = warehouse();
const participant = freshParticipant('dlq');
const dead: Record<string, KafkaMessage[]> = { 'dlq.timeseries-preprocessing': [], 'dlq.gps-preprocessing': [] };
const consumer = kafka.consumer({ groupId: `it-dlq-${Date.now()}` });

const headers = (m: KafkaMessage) => Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, v?.toString()]));
const mine = (topic: string, who = participant) => dead[topic]?.filter((m) => m.key?.toString() === who) ?? [];

async function deadLetterCount(port: number): Promise<number> {
  const text = await (await fetch(`http://${stackConfig.host}:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('polluscope_dead_letters_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

let before = { sensor: 0, gps: 0 };

beforeAll(async () => {
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: Object.keys(dead), fromBeginning: false });
  await consumer.run({ eachMessage: async ({ topic, message }) => void dead[topic]?.push(message) });
  // Let the group settle at the end of the dead-letter topics before anything is produced.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  before = { sensor: await deadLetterCount(servicePort(stackConfig, 'timeseries-preprocessing')), gps: await deadLetterCount(servicePort(stackConfig, 'gps-preprocessing')) };

  // Bytes that are not Avro at all, on both raw topics.
  await producer.send({ topic: 'raw.sensor', messages: [{ key: participant, value: Buffer.from('not avro at all') }] });
  await producer.send({ topic: 'raw.gps', messages: [{ key: participant, value: Buffer.from([0, 0, 0, 0]) }] });
  // A good sensor row first: on a fresh stack the source registers raw.sensor-value with its first record.
  await raw.query('INSERT INTO sensor_measurements (participant_virtual_id, time, pm25) VALUES ($1, $2, 11)', [participant, new Date(Date.UTC(2026, 2, 4, 9, 59))]);
  await eventually('the raw.sensor-value subject', 150_000, () => registry.getLatestSchemaId('raw.sensor-value').then(() => true, () => false), (found) => found);
  // A schema-valid sensor record with an empty participant id, encoded with the CDC source's own schema.
  const sensorSchemaId = await registry.getLatestSchemaId('raw.sensor-value');
  const invalid = await registry.encode(sensorSchemaId, {
    id: 1, participant_virtual_id: '', kit_id: null, time: '2026-03-04T10:00:00Z',
    pm1: null, pm25: null, pm10: null, no2: null, bc: null, temperature: null, humidity: null, activity: null, event: null,
  });
  await producer.send({ topic: 'raw.sensor', messages: [{ key: participant, value: invalid }] });
  // Schema-valid but impossible: a NaN measurement (Avro doubles can carry it).
  const nan = await registry.encode(sensorSchemaId, {
    id: 2, participant_virtual_id: participant, kit_id: null, time: '2026-03-04T10:01:00Z',
    pm1: null, pm25: Number.NaN, pm10: null, no2: null, bc: null, temperature: null, humidity: null, activity: null, event: null,
  });
  await producer.send({ topic: 'raw.sensor', messages: [{ key: participant, value: nan }] });
  // Kit clocks gone wrong, through the real path: 1970 and 2100.
  await raw.query('INSERT INTO sensor_measurements (participant_virtual_id, time, pm25) VALUES ($1, $2, 11), ($1, $3, 11)', [
    participant,
    new Date(Date.UTC(1970, 0, 1, 0, 5)),
    new Date(Date.UTC(2100, 0, 1)),
  ]);
  // A GPS fix with latitude 200 through the real path: rawdata, change data capture, the service.
  await raw.query('INSERT INTO gps_positions (participant_virtual_id, tablet_id, time, lat, lon) VALUES ($1, 1, $2, 200, 2.35)', [participant, new Date(Date.UTC(2026, 2, 4, 10))]);
  await raw.query('INSERT INTO gps_positions (participant_virtual_id, tablet_id, time, lat, lon) VALUES ($1, 1, $2, 48.85, 2.35)', [participant, new Date(Date.UTC(1970, 0, 1))]);
  // Good records behind the bad ones.
  await raw.query('INSERT INTO gps_positions (participant_virtual_id, tablet_id, time, lat, lon) VALUES ($1, 1, $2, 48.85, 2.35)', [participant, new Date(Date.UTC(2026, 2, 4, 10, 0, 5))]);
  await raw.query('INSERT INTO sensor_measurements (participant_virtual_id, time, pm25) VALUES ($1, $2, 11)', [participant, new Date(Date.UTC(2026, 2, 4, 10))]);
});

afterAll(async () => {
  await consumer.disconnect();
  await producer.disconnect();
  await Promise.all([raw.end(), wh.end()]);
});

describe('dead letters', () => {
  it('sends undecodable and invalid sensor records (empty participant, NaN, 1970, 2100) to dlq.timeseries-preprocessing with the reason and the original bytes', async () => {
    const letters = await eventually('sensor dead letters', 150_000, async () => mine('dlq.timeseries-preprocessing'), (l) => l.length === 5);
    const [undecodable, invalid, nan, ...clocks] = letters.map(headers);
    expect(undecodable).toMatchObject({ stage: 'timeseries-preprocessing', 'source.topic': 'raw.sensor' });
    expect(undecodable?.error).toContain('not an Avro record');
    expect(letters[0]?.value?.toString()).toBe('not avro at all');
    expect(invalid?.error).toContain('participant_virtual_id');
    expect(Number(invalid?.['source.offset'])).toBeGreaterThanOrEqual(0);
    expect(invalid?.['source.partition']).toMatch(/^[0-5]$/);
    expect(nan?.error).toBe('pm25: non-numeric measurement: NaN');
    expect(clocks.map((h) => h.error).sort()).toEqual([
      expect.stringMatching(/^future: time 2100-01-01T00:00:00.000Z is \d+ min ahead of the processing clock/),
      'time: before 2010-01-01: 1970-01-01T00:05:00.000Z',
    ]);
  });

  it('sends undecodable, out-of-range and 1970 GPS records to dlq.gps-preprocessing', async () => {
    const letters = await eventually('GPS dead letters', 150_000, async () => mine('dlq.gps-preprocessing'), (l) => l.length === 3);
    const reasons = letters.map((m) => headers(m).error);
    expect(reasons[0]).toContain('not an Avro record');
    expect(reasons[1]).toContain('lat outside [-90, 90]');
    expect(reasons[2]).toBe('time: before 2010-01-01: 1970-01-01T00:00:00.000Z');
  });

  it('counts them in the services\' metrics', async () => {
    expect(await deadLetterCount(servicePort(stackConfig, 'timeseries-preprocessing'))).toBe(before.sensor + 5);
    expect(await deadLetterCount(servicePort(stackConfig, 'gps-preprocessing'))).toBe(before.gps + 3);
  });

  it('keeps the stream going: the good records behind the bad ones reach the warehouse', async () => {
    const counts = await eventually(
      'good rows',
      150_000,
      async () => {
        const { rows } = await wh.query<{ sensor: string; gps: string }>(
          `SELECT (SELECT count(*) FROM sensor_clean WHERE participant_virtual_id = $1) AS sensor,
                  (SELECT count(*) FROM gps_clean WHERE participant_virtual_id = $1) AS gps`,
          [participant],
        );
        return { sensor: Number(rows[0]?.sensor), gps: Number(rows[0]?.gps) };
      },
      (c) => c.sensor === 2 && c.gps === 1,
    );
    expect(counts).toEqual({ sensor: 2, gps: 1 });
  });

  it('sends a GPS fix that comes after its turn (behind the point already cleaned) to dlq.gps-preprocessing', async () => {
    // The fix at 10:00:05 is in the warehouse, so it was cleaned: a fix at 09:30 is past its turn.
    await raw.query('INSERT INTO gps_positions (participant_virtual_id, tablet_id, time, lat, lon) VALUES ($1, 1, $2, 48.85, 2.35)', [participant, new Date(Date.UTC(2026, 2, 4, 9, 30))]);
    const letters = await eventually('the late GPS dead letter', 150_000, async () => mine('dlq.gps-preprocessing'), (l) => l.length === 4);
    expect(headers(letters[3]!).error).toBe(
      'too late: 2026-03-04T09:30:00.000Z is behind the last point already cleaned (2026-03-04T10:00:05.000Z); points are cleaned in time order once past the allowed lateness',
    );
  });
});

/** A sensor row in the shape of raw.sensor. */
const sensorRow = (participantId: string, id: number, time: string) => ({
  id, participant_virtual_id: participantId, kit_id: null, time,
  pm1: null, pm25: 12, pm10: null, no2: null, bc: null, temperature: null, humidity: null, activity: null, event: null,
});

describe('records that cannot be decoded with their schema', () => {
  const who = freshParticipant('bytes');
  const reasons = (letters: KafkaMessage[]) => letters.map((m) => headers(m).error);

  it('dead-letters a record corrupted by one byte, one with a trailing byte and one with an unknown schema id, and goes on with the next record', async () => {
    const sensorBefore = await deadLetterCount(servicePort(stackConfig, 'timeseries-preprocessing'));
    const id = await registry.getLatestSchemaId('raw.sensor-value');
    const writer = (await registry.getSchema(id)) as unknown as { fromBuffer(b: Buffer): unknown };
    const good = await registry.encode(id, sensorRow(who, 1, '2026-03-05T10:00:00Z'));
    // One byte changed: the first position where 0xff makes the bytes undecodable with their own schema.
    const corrupted = Buffer.from(good);
    const position = [...corrupted.keys()].slice(5).find((i) => {
      const copy = Buffer.from(good);
      copy[i] = 0xff;
      try {
        writer.fromBuffer(copy.subarray(5));
        return false;
      } catch {
        return true;
      }
    });
    expect(position).toBeDefined();
    corrupted[position!] = 0xff;
    const trailing = Buffer.concat([await registry.encode(id, sensorRow(who, 2, '2026-03-05T10:01:00Z')), Buffer.from([0])]);
    const unknown = Buffer.from(await registry.encode(id, sensorRow(who, 3, '2026-03-05T10:02:00Z')));
    unknown.writeInt32BE(2_000_000_000, 1);
    const valid = await registry.encode(id, sensorRow(who, 4, '2026-03-05T10:03:00Z'));
    await producer.send({ topic: 'raw.sensor', messages: [corrupted, trailing, unknown, valid].map((value) => ({ key: who, value })) });

    const letters = await eventually('the three dead letters', 60_000, async () => mine('dlq.timeseries-preprocessing', who), (l) => l.length >= 3);
    expect(letters).toHaveLength(3);
    const [flipped, extra, unknownId] = reasons(letters);
    expect(flipped).toMatch(new RegExp(`^cannot decode with schema ${id}: `));
    expect(extra).toBe(`cannot decode with schema ${id}: trailing data`);
    expect(unknownId).toBe('schema id 2000000000 is unknown to the registry (error code 40403)');
    expect(letters.map((m) => m.value?.equals([corrupted, trailing, unknown][letters.indexOf(m)]!))).toEqual([true, true, true]);

    // The partition moved on: the valid record behind them is cleaned and in the warehouse.
    const rows = await eventually(
      'the valid record in sensor_clean',
      60_000,
      async () => (await wh.query('SELECT time FROM sensor_clean WHERE participant_virtual_id = $1', [who])).rows,
      (r) => r.length === 1,
    );
    expect(rows).toHaveLength(1);
    expect(await deadLetterCount(servicePort(stackConfig, 'timeseries-preprocessing'))).toBe(sensorBefore + 3);
    const health = await (await fetch(`http://${stackConfig.host}:${servicePort(stackConfig, 'timeseries-preprocessing')}/health`)).json();
    expect(health).toMatchObject({ ready: true, reason: null });
  }, 150_000);
});

describe('a record the handler throws on', () => {
  const prefix = `it-handler-${Date.now().toString(36)}.`;
  const service = 'timeseries-preprocessing';
  const input = `${prefix}${TOPICS.rawSensor.name}`;
  const dlq = `${prefix}dlq.${service}`;
  const admin = kafka.admin();
  const seen: string[] = [];
  /** Handler throws, by the participants of the records it was given. */
  const throws: string[][] = [];
  const reasonsSeen = new Set<string | null>();
  const metrics = createServiceMetrics(service);
  let runner: StreamRunner;
  let watch: NodeJS.Timeout;

  const handler: StreamHandler = {
    inputs: [TOPICS.rawSensor],
    outputs: [],
    validate: () => null,
    process(records: readonly InputRecord[]) {
      const ids = records.map((r) => (r.value as { participant_virtual_id: string }).participant_virtual_id);
      if (ids.includes('boom')) {
        throws.push(ids);
        throw new TypeError('boom: cannot read this one');
      }
      seen.push(...ids);
      return [];
    },
    flushIdle: () => [],
    heldOffsets: () => new Map(),
    openParticipants: () => 0,
    reset: () => undefined,
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: input, numPartitions: 1 }, { topic: dlq, numPartitions: 1 }] });
    runner = new StreamRunner({
      service,
      brokers: [endpoints.kafkaBrokers],
      groupId: `${prefix}group`,
      idleTimeoutMs: 1000,
      handler,
      codec: new AvroCodec(endpoints.registryUrl, DEFAULT_SCHEMAS_DIR),
      metrics,
      logger: pino({ level: 'silent' }),
      topicPrefix: prefix,
      lagRefreshMs: 500,
    });
    await runner.start();
    watch = setInterval(() => reasonsSeen.add(runner.health().reason), 200);
  });

  afterAll(async () => {
    clearInterval(watch);
    await runner.stop();
    await admin.deleteTopics({ topics: [input, dlq] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('retries the batch 3 times, then dead-letters that record with handler-error, counts it, and processes the next one', async () => {
    const id = await registry.getLatestSchemaId('raw.sensor-value');
    const values = await Promise.all(['first', 'boom', 'next'].map((p, i) => registry.encode(id, sensorRow(p, i, '2026-03-05T10:00:00Z'))));
    await producer.send({ topic: input, messages: values.map((value, i) => ({ key: `k${i}`, value })) });

    const letters: KafkaMessage[] = [];
    const reader = kafka.consumer({ groupId: `${prefix}reader` });
    await reader.connect();
    await reader.subscribe({ topic: dlq, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void letters.push(message) });
    try {
      await eventually('the dead letter and the next record', 60_000, async () => ({ letters: letters.length, next: seen.includes('next') }), (s) => s.letters >= 1 && s.next);
      // Let a wrong second dead letter show up if there were one.
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } finally {
      await reader.disconnect();
    }
    expect(letters).toHaveLength(1);
    expect(headers(letters[0]!)).toMatchObject({ error: 'handler-error: boom: cannot read this one', stage: service, 'source.topic': 'raw.sensor', 'source.offset': '1' });
    expect(letters[0]!.value?.equals(values[1]!)).toBe(true);
    // Three tries at batches holding it, then once alone.
    expect(throws.filter((ids) => ids.length > 1 || ids[0] !== 'boom')).toHaveLength(3);
    expect(throws.at(-1)).toEqual(['boom']);
    expect(throws).toHaveLength(4);
    expect(seen).toContain('first');
    expect(seen).not.toContain('boom');
    const text = await metrics.registry.metrics();
    expect(text).toContain('polluscope_dead_letters_total{topic="raw.sensor",reason="handler-error",service="timeseries-preprocessing"} 1');
    expect(text).toContain('polluscope_handler_failures_total{topic="raw.sensor",service="timeseries-preprocessing"} 4');
    // A handler's failure is not the infrastructure's: the runner stayed ready throughout.
    expect([...reasonsSeen]).toEqual([null]);
    // The lag, read from the broker's offsets, is back to 0.
    await eventually('lag 0', 10_000, async () => runner.health().lag, (lag) => lag === 0);
  }, 120_000);
});
