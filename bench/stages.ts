/**
 * `npm run bench:stages [-- --participants N --days D --gps-rate-hz R --seed S --only STAGE --cpu-profile DIR]`: each service's
 * real handler in a StreamRunner on the embedded stack's broker, records/s from its input topic to
 * its output topic, beside a plain KafkaJS pass-through (consume, produce the same bytes, commit;
 * no decoding) of the same records measured in the same run. The ratio is the figure to quote.
 * Target (issue 20): each stage ≥ 0.9 of the pass-through.
 *
 * Simulated participants are Avro-encoded with the writer schemas the stack's registry holds and
 * produced to this run's own copies of the topics (`bench-stages-<run>.<topic>`); each stage's
 * outputs are the next stage's inputs. The runner and the pass-through run in this process, one
 * after the other, each with its own consumer group, timed from the first record consumed to the
 * broker's acknowledgement of the outputs of the last input record. The pass-through runs before
 * and after the service; its figure is the mean of the two. The windows still open after the last
 * input (flushed by the idle timeout in production) are flushed untimed, so the next stage gets
 * them. The run's topics and groups are deleted at the end. Needs the stack (`npm start`).
 * `--cpu-profile DIR` samples this process while each service runs (not the pass-through) and
 * writes `DIR/<stage>.cpuprofile`, printing where the self time went (pipeline/cpu-profile.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners, type Admin, type Message } from 'kafkajs';
import pino from 'pino';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  AvroCodec,
  createServiceMetrics,
  DEFAULT_PARTITIONS,
  DEFAULT_SCHEMAS_DIR,
  produceChunks,
  readSchemaFile,
  serviceConfig,
  StreamRunner,
  TOPICS,
  type InputRecord,
  type RejectRecord,
  type ServiceDefinition,
  type StreamHandler,
  type TopicSpec,
} from '@polluscope/common';
import { classificationValidation } from '@polluscope/classification-validation';
import { gpsPreprocessing } from '@polluscope/gps-preprocessing';
import { postprocessing } from '@polluscope/postprocessing';
import { stopMoveDetection } from '@polluscope/stop-move-detection';
import { timeseriesPreprocessing } from '@polluscope/timeseries-preprocessing';
import { loadStackConfig, stackEndpoints } from '../cli/src/infra/stack-config.js';
import { readRegistryLogin, schemaRegistryClientEnv } from '../cli/src/infra/stack-secrets.js';
import { requireStack } from './pipeline/stack.js';
import { describeMachine, formatCount, machine, tableLine, writeResults } from './pipeline/report.js';
import { simulatedRawRecords, type SimulatedLoad } from './pipeline/simulated-records.js';
import { formatProfileSummary, startCpuProfile, summariseProfile } from './pipeline/cpu-profile.js';

const TARGET_RATIO = 0.9;
/** A stage that has not finished by then is reported as such rather than waited on forever. */
const STAGE_TIMEOUT_MS = 15 * 60_000;
const PRODUCE_CHUNK = 5000;

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number, got "${process.argv[i + 1]}"`);
  return value;
}

interface Stage {
  readonly definition: ServiceDefinition;
  readonly inputs: readonly TopicSpec[];
  readonly outputs: readonly TopicSpec[];
}

/** In pipeline order: each stage's inputs are made by the stages before it. */
const STAGES: readonly Stage[] = [
  { definition: timeseriesPreprocessing, inputs: [TOPICS.rawSensor], outputs: [TOPICS.sensorClean] },
  { definition: gpsPreprocessing, inputs: [TOPICS.rawGps], outputs: [TOPICS.gpsClean, TOPICS.gpsDropped] },
  { definition: classificationValidation, inputs: [TOPICS.sensorClean], outputs: [TOPICS.activitySegments] },
  { definition: stopMoveDetection, inputs: [TOPICS.gpsClean], outputs: [TOPICS.gpsEpisodes] },
  { definition: postprocessing, inputs: [TOPICS.activitySegments, TOPICS.gpsEpisodes, TOPICS.reviewDecisions], outputs: [TOPICS.activityTimeline, TOPICS.exposureDaily] },
];

interface Timed {
  readonly records: number;
  readonly ms: number;
  readonly perS: number;
  /** CPU time of this process (all its threads) per input record, µs: steadier than rates on a shared machine. */
  readonly cpuUsPerRecord: number;
}

const timed = (records: number, ms: number, cpu: NodeJS.CpuUsage): Timed => ({ records, ms, perS: (records * 1000) / ms, cpuUsPerRecord: (cpu.user + cpu.system) / records });

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${STAGE_TIMEOUT_MS / 1000} s`)), STAGE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function recordCount(admin: Admin, topics: readonly string[]): Promise<number> {
  let total = 0;
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
  }
  return total;
}

/** Consume, produce the same key and bytes, commit: what Kafka alone costs with the runner's client settings and request sizes. */
async function passThrough(kafka: Kafka, inputs: readonly string[], output: string, groupId: string, expected: number): Promise<Timed> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await consumer.connect();
  const done = deferred<Timed>();
  let started = 0;
  let cpuAtStart = process.cpuUsage();
  let seen = 0;
  try {
    await consumer.subscribe({ topics: [...inputs], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        if (started === 0) {
          started = performance.now();
          cpuAtStart = process.cpuUsage();
        }
        const messages: Message[] = batch.messages.map((m) => ({ key: m.key, value: m.value }));
        for (const chunk of produceChunks([{ topic: output, messages }])) await producer.sendBatch({ acks: -1, topicMessages: chunk });
        const last = batch.messages.at(-1);
        if (last) {
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(last.offset) + 1) }]);
          resolveOffset(last.offset);
        }
        await heartbeat();
        seen += batch.messages.length;
        if (seen >= expected) done.resolve(timed(seen, performance.now() - started, process.cpuUsage(cpuAtStart)));
      },
    });
    return await withTimeout(done.promise, `pass-through of ${inputs.join(', ')}`);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}

/** The registry codec, noting when the runner decoded its first record and how many it decoded. */
class CountingCodec extends AvroCodec {
  firstDecodeAt = 0;
  cpuAtFirstDecode = process.cpuUsage();
  decoded = 0;
  decodeMs = 0;
  encodeMs = 0;
  override async decode(bytes: Buffer | null, topic?: TopicSpec): Promise<unknown> {
    const t0 = performance.now();
    if (this.decoded === 0) {
      this.firstDecodeAt = t0;
      this.cpuAtFirstDecode = process.cpuUsage();
    }
    this.decoded += 1;
    try {
      return await super.decode(bytes, topic);
    } finally {
      this.decodeMs += performance.now() - t0;
    }
  }
  override async encode(topic: TopicSpec, value: unknown): Promise<Buffer> {
    const t0 = performance.now();
    try {
      return await super.encode(topic, value);
    } finally {
      this.encodeMs += performance.now() - t0;
    }
  }
}

interface ServiceRun extends Timed {
  readonly outputs: number;
  /** Where the time went: batches handled, and ms in the handler, in decoding and in encoding. */
  readonly batches: number;
  readonly handlerMs: number;
  readonly decodeMs: number;
  readonly encodeMs: number;
}

/**
 * The service's own handler (built by its ServiceDefinition, as `startService` does) in a
 * StreamRunner on the run's topics. The runner produces a batch's outputs before it commits, and
 * asks the handler for its held offsets to commit: when that happens after the last input record
 * was decoded, the outputs of every input are acknowledged.
 */
async function serviceRun(stage: Stage, env: NodeJS.ProcessEnv, prefix: string, expected: number, profileDir?: string): Promise<ServiceRun> {
  const { definition } = stage;
  const config = serviceConfig(definition, env);
  const logger = pino({ name: `bench ${definition.name}`, level: 'warn' });
  const metrics = createServiceMetrics(definition.name);
  const handler = await definition.createHandler({ config, logger, metrics });
  const codec = new CountingCodec(config.schemaRegistryUrl, config.schemasDir, config.schemaRegistryLogin);
  await codec.registerOutputs(handler.outputs);
  const done = deferred<{ at: number; cpu: NodeJS.CpuUsage }>();
  let outputs = 0;
  let batches = 0;
  let handlerMs = 0;
  const observed: StreamHandler = {
    inputs: handler.inputs,
    outputs: handler.outputs,
    validate: (topic, value) => handler.validate(topic, value),
    async process(records: readonly InputRecord[], nowMs: number, reject: RejectRecord) {
      const t0 = performance.now();
      const out = await handler.process(records, nowMs, reject);
      handlerMs += performance.now() - t0;
      batches += 1;
      outputs += out.length;
      return out;
    },
    flushIdle(nowMs: number) {
      const out = handler.flushIdle(nowMs);
      outputs += out.length;
      return out;
    },
    heldOffsets() {
      if (codec.decoded >= expected) done.resolve({ at: performance.now(), cpu: process.cpuUsage(codec.cpuAtFirstDecode) });
      return handler.heldOffsets();
    },
    openParticipants: () => handler.openParticipants(),
    reset: () => handler.reset(),
  };
  const runner = new StreamRunner({
    service: definition.name,
    brokers: config.kafkaBrokers,
    groupId: `${prefix}${definition.name}`,
    idleTimeoutMs: config.idleTimeoutMs,
    handler: observed,
    codec,
    metrics,
    logger,
    topicPrefix: prefix,
  });
  const stopProfile = profileDir === undefined ? null : await startCpuProfile();
  await runner.start();
  try {
    const finished = await withTimeout(done.promise, definition.name);
    if (stopProfile !== null) {
      const profile = await stopProfile();
      mkdirSync(profileDir!, { recursive: true });
      const file = join(profileDir!, `${definition.name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`${definition.name}: CPU profile ${file}\n${formatProfileSummary(summariseProfile(profile))}\n`);
    }
    const result = { ...timed(codec.decoded, finished.at - codec.firstDecodeAt, finished.cpu), outputs, batches, handlerMs, decodeMs: codec.decodeMs, encodeMs: codec.encodeMs };
    // Windows still open: the idle flush would close them; the next stage needs them.
    await runner.produce(observed.flushIdle(Number.MAX_SAFE_INTEGER));
    return { ...result, outputs };
  } finally {
    await runner.stop();
  }
}

/**
 * Encodes with the latest writer schema the registry holds for the topic (the change-data-capture
 * source's, for raw topics); before the source has delivered such a record, with the repository's
 * schema of the topic (which mirrors the source's), under a subject of the benchmark's own.
 */
async function produceRaw(kafka: Kafka, registry: SchemaRegistry, topic: TopicSpec, prefix: string, values: readonly Record<string, unknown>[]): Promise<void> {
  let id: number;
  try {
    id = await registry.getLatestSchemaId(`${topic.name}-value`);
  } catch {
    const schema = readSchemaFile(DEFAULT_SCHEMAS_DIR, topic);
    ({ id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: `bench-stages.${topic.name}-value` }));
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < values.length; i += PRODUCE_CHUNK) {
      const messages: Message[] = [];
      for (const value of values.slice(i, i + PRODUCE_CHUNK)) {
        messages.push({ key: value.participant_virtual_id as string, value: await registry.encode(id, value) });
      }
      for (const chunk of produceChunks([{ topic: `${prefix}${topic.name}`, messages }])) await producer.sendBatch({ acks: -1, topicMessages: chunk });
    }
  } finally {
    await producer.disconnect();
  }
}

async function main(): Promise<void> {
  const load: SimulatedLoad = {
    participants: argNumber('--participants', 12),
    days: argNumber('--days', 3),
    gpsRateHz: argNumber('--gps-rate-hz', 0.05),
    seed: argNumber('--seed', 9),
  };
  const profileIndex = process.argv.indexOf('--cpu-profile');
  const profileDir = profileIndex >= 0 ? process.argv[profileIndex + 1] : undefined;
  if (profileIndex >= 0 && (profileDir === undefined || profileDir.startsWith('--'))) throw new Error('--cpu-profile: expected a folder for the profiles');
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
  if (only !== undefined && !STAGES.some((s) => s.definition.name === only)) {
    throw new Error(`--only: expected one of ${STAGES.map((s) => s.definition.name).join(', ')}, got "${only}"`);
  }
  const stack = loadStackConfig();
  await requireStack(stack);
  const endpoints = stackEndpoints(stack);
  const registryLogin = readRegistryLogin(stack);
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
  const prefix = `bench-stages-${run}.`;
  const env: NodeJS.ProcessEnv = {
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    SCHEMA_REGISTRY_URL: endpoints.registryUrl,
    // Registering schemas (the outputs, the run's raw subjects) needs the registry's writer login.
    ...schemaRegistryClientEnv(registryLogin),
    WAREHOUSE_URL: endpoints.warehouseUrl,
    LOG_LEVEL: 'warn',
  };
  const kafka = new Kafka({ clientId: 'polluscope-bench-stages', brokers: [endpoints.kafkaBrokers], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  const host = machine();
  console.log(describeMachine(host));
  const passTopic = `${prefix}passthrough`;
  // Dead-letter topics are left to the broker's auto-creation: nothing should go there.
  const topics = [...Object.values(TOPICS).map((t) => `${prefix}${t.name}`), passTopic];
  const groups: string[] = [];
  const rows: Record<string, unknown>[] = [];
  try {
    await admin.createTopics({ waitForLeaders: true, timeout: 120_000, topics: topics.map((topic) => ({ topic, numPartitions: DEFAULT_PARTITIONS, replicationFactor: 1 })) });
    const t0 = performance.now();
    const raw = simulatedRawRecords(load, `bench-stages-${run}`);
    const registry = new SchemaRegistry({ host: endpoints.registryUrl, auth: { ...registryLogin } }, { forSchemaOptions: { wrapUnions: false } });
    await produceRaw(kafka, registry, TOPICS.rawSensor, prefix, raw.sensor);
    await produceRaw(kafka, registry, TOPICS.rawGps, prefix, raw.gps);
    console.log(
      `${load.participants} participants × ${load.days} days (GPS ${load.gpsRateHz} Hz, seed ${load.seed}): ${raw.sensor.length} raw.sensor, ${raw.gps.length} raw.gps records produced in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    const widths = [26, 10, 14, 10, 5, 11, 11];
    console.log(tableLine(['stage', 'records in', 'pass-through/s', 'service/s', 'ratio', 'target', 'records out'], widths));
    for (const stage of STAGES) {
      const name = stage.definition.name;
      const inputs = stage.inputs.map((t) => `${prefix}${t.name}`);
      const expected = await recordCount(admin, inputs);
      const passGroup = (n: number) => `${prefix}passthrough-${n}-${name}`;
      groups.push(passGroup(1), passGroup(2), `${prefix}${name}`);
      if (only !== undefined && only !== name) {
        // Only makes the inputs of the stage asked for.
        if (STAGES.findIndex((s) => s.definition.name === name) > STAGES.findIndex((s) => s.definition.name === only)) break;
        await serviceRun(stage, env, prefix, expected);
        continue;
      }
      const before = await passThrough(kafka, inputs, passTopic, passGroup(1), expected);
      const service = await serviceRun(stage, env, prefix, expected, profileDir);
      const after = await passThrough(kafka, inputs, passTopic, passGroup(2), expected);
      const passPerS = (before.perS + after.perS) / 2;
      const ratio = service.perS / passPerS;
      const row = {
        stage: name,
        input: stage.inputs.map((t) => t.name).join('+'),
        output: stage.outputs.map((t) => t.name).join('+'),
        recordsIn: expected,
        recordsOut: service.outputs,
        passThroughPerS: Math.round(passPerS),
        passThroughRuns: [before, after].map((r) => ({ ms: Math.round(r.ms), perS: Math.round(r.perS), cpuUsPerRecord: Math.round(r.cpuUsPerRecord * 10) / 10 })),
        serviceCpuUsPerRecord: Math.round(service.cpuUsPerRecord * 10) / 10,
        servicePerS: Math.round(service.perS),
        serviceMs: Math.round(service.ms),
        serviceBatches: service.batches,
        serviceHandlerMs: Math.round(service.handlerMs),
        serviceDecodeMs: Math.round(service.decodeMs),
        serviceEncodeMs: Math.round(service.encodeMs),
        ratio: Math.round(ratio * 1000) / 1000,
        targetRatio: TARGET_RATIO,
      };
      rows.push(row);
      const verdict = `≥ ${TARGET_RATIO} ${ratio >= TARGET_RATIO ? 'ok' : 'below'}`;
      console.log(tableLine([name, formatCount(expected), formatCount(passPerS), formatCount(service.perS), ratio.toFixed(2), verdict, formatCount(service.outputs)], widths));
      console.log(
        `${''.padEnd(widths[0] ?? 0)}  CPU per record: pass-through ${((before.cpuUsPerRecord + after.cpuUsPerRecord) / 2).toFixed(0)} µs, service ${service.cpuUsPerRecord.toFixed(0)} µs; service ${(service.ms / 1000).toFixed(1)} s: ${service.batches} batches, handler ${(service.handlerMs / 1000).toFixed(1)} s, decode ${(service.decodeMs / 1000).toFixed(1)} s, encode ${(service.encodeMs / 1000).toFixed(1)} s`,
      );
    }
    const file = writeResults('stages', { machine: host, load, rawRecords: { sensor: raw.sensor.length, gps: raw.gps.length }, stages: rows });
    console.log(`\nresults: ${file}`);
  } finally {
    const created = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    await admin.deleteTopics({ topics: created, timeout: 120_000 }).catch((err) => console.error(`could not delete the run's topics: ${(err as Error).message}`));
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
