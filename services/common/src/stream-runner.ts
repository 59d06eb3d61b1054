/**
 * The Kafka plumbing every service shares (DESIGN.md §4): batches per partition, Avro decode,
 * records that cannot be decoded or break a rule sent to `dlq.<service>` with the reason, outputs
 * produced before offsets are committed, and offsets committed per partition only below the
 * oldest record a handler still holds in an open window. State is rebuilt from Kafka after a
 * rebalance, so a crash or a new replica recomputes and upserts instead of losing or duplicating.
 */
import { Kafka, logLevel, Partitioners, type Consumer, type IHeaders, type KafkaMessage, type Message, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { AvroCodec } from './codec.js';
import { isPoison, PipelineError } from './errors.js';
import type { ServiceMetrics } from './metrics.js';
import { deadLetterTopic, type ServiceName, type TopicSpec } from './topics.js';

export interface InputRecord<V = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: V;
}

export interface OutputRecord {
  readonly topic: TopicSpec;
  readonly key: string;
  readonly value: unknown;
}

/** What a service plugs into the runner: validation and processing, with no Kafka inside. */
export interface StreamHandler {
  readonly inputs: readonly TopicSpec[];
  readonly outputs: readonly TopicSpec[];
  /** Null when the decoded record is valid, else the reason it goes to the dead-letter topic. */
  validate(topic: string, value: unknown): string | null;
  /** Takes the valid records of one batch (one partition, in offset order) and returns what is now final. */
  process(records: readonly InputRecord[], nowMs: number): readonly OutputRecord[] | Promise<readonly OutputRecord[]>;
  /** Flushes the windows of participants idle for longer than the idle timeout. */
  flushIdle(nowMs: number): readonly OutputRecord[];
  /** Lowest offset still held in an open window, per `topic:partition`; absent = nothing held. */
  heldOffsets(): ReadonlyMap<string, number>;
  /** Drops all state: after a rebalance it is rebuilt from the committed offsets. */
  reset(): void;
}

export interface StreamRunnerOptions {
  readonly service: ServiceName;
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly idleTimeoutMs: number;
  readonly handler: StreamHandler;
  readonly codec: AvroCodec;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
}

export interface RunnerHealth {
  readonly joined: boolean;
  readonly assignment: Readonly<Record<string, number[]>>;
  readonly lag: number;
}

export const partitionKey = (topic: string, partition: number) => `${topic}:${partition}`;

export interface CommitTarget {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * The commit rule of DESIGN.md §4: per partition, the offset to commit is the oldest offset a
 * handler still holds in an open window, or everything processed when it holds nothing. Only
 * partitions whose target differs from what was last committed are returned.
 *
 * @param processedUpTo next offset after the last processed record, per `topic:partition`
 * @param held lowest offset still held, per `topic:partition`
 * @param committed last committed offset, per `topic:partition`
 */
export function commitTargets(
  processedUpTo: ReadonlyMap<string, number>,
  held: ReadonlyMap<string, number>,
  committed: ReadonlyMap<string, number>,
): CommitTarget[] {
  const targets: CommitTarget[] = [];
  for (const [key, upTo] of processedUpTo) {
    const offset = Math.min(upTo, held.get(key) ?? upTo);
    if (committed.get(key) === offset) continue;
    const separator = key.lastIndexOf(':');
    targets.push({ topic: key.slice(0, separator), partition: Number(key.slice(separator + 1)), offset });
  }
  return targets;
}

/** Serialises batches, idle flushes and rebalances: the handler's state is never touched twice at once. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export class StreamRunner {
  private readonly kafka: Kafka;
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly mutex = new Mutex();
  private readonly dlq: TopicSpec;
  /** Next offset after the last processed record, per partition: the commit point when nothing is held. */
  private readonly processedUpTo = new Map<string, number>();
  private readonly committed = new Map<string, number>();
  private readonly lagByPartition = new Map<string, number>();
  private assignment: Record<string, number[]> = {};
  private joined = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: StreamRunnerOptions) {
    this.kafka = new Kafka({
      clientId: options.service,
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      logCreator: () => ({ namespace, level, log }) => {
        const { message, ...extra } = log;
        const line = { kafkajs: namespace, ...extra };
        if (level <= logLevel.ERROR) options.logger.error(line, message);
        else if (level === logLevel.WARN) options.logger.warn(line, message);
      },
    });
    this.consumer = this.kafka.consumer({ groupId: options.groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
    // The Java client's murmur2 partitioner: a participant lands on the same partition whoever produces.
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    this.dlq = deadLetterTopic(options.service);
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      void this.mutex.run(async () => {
        // Whatever this member held is re-read from the committed offsets of its new assignment.
        options.handler.reset();
        this.processedUpTo.clear();
        this.committed.clear();
        this.assignment = event.payload.memberAssignment;
        this.joined = true;
        options.logger.info({ assignment: this.assignment }, 'joined the consumer group');
      });
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.joined = false;
      options.logger.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
    });
    this.consumer.on(this.consumer.events.STOP, () => {
      this.joined = false;
    });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.handler.inputs.map((t) => t.name), fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        await this.mutex.run(() => this.processBatch(batch.topic, batch.partition, batch.messages, Number(batch.highWatermark)));
        const last = batch.messages.at(-1);
        if (last) resolveOffset(last.offset);
        await heartbeat();
      },
    });
    const every = Math.max(100, Math.min(1000, Math.floor(this.options.idleTimeoutMs / 2)));
    this.idleTimer = setInterval(() => {
      void this.mutex.run(() => this.flushIdle()).catch((err) => this.options.logger.error({ err }, 'idle flush failed'));
    }, every);
  }

  /** Finishes the batch under way, commits, and leaves the group. */
  async stop(): Promise<void> {
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = null;
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  health(): RunnerHealth {
    let lag = 0;
    for (const value of this.lagByPartition.values()) lag += value;
    return { joined: this.joined, assignment: this.assignment, lag };
  }

  private async processBatch(topic: string, partition: number, messages: readonly KafkaMessage[], highWatermark: number): Promise<void> {
    if (messages.length === 0) return;
    const { handler, metrics, codec, logger } = this.options;
    const stopTimer = metrics.batchSeconds.startTimer({ topic });
    const records: InputRecord[] = [];
    const deadLetters: Message[] = [];
    for (const message of messages) {
      const offset = Number(message.offset);
      try {
        const value = await codec.decode(message.value);
        const reason = handler.validate(topic, value);
        if (reason !== null) throw new PipelineError('INVALID_RECORD', reason);
        records.push({ topic, partition, offset, key: message.key?.toString('utf8') ?? null, value });
      } catch (err) {
        if (!isPoison(err)) throw err; // retried by the consumer with backoff
        const code = (err as PipelineError).code;
        deadLetters.push(this.deadLetter(message, topic, partition, (err as Error).message));
        metrics.deadLetters.inc({ topic, reason: code === 'DECODE_FAILED' ? 'decode' : 'invalid' });
        logger.warn({ topic, partition, offset, reason: (err as Error).message }, 'record sent to the dead-letter topic');
      }
    }
    metrics.recordsIn.inc({ topic }, messages.length);
    const outputs = await handler.process(records, Date.now());
    await this.send(outputs, deadLetters);
    const lastOffset = Number(messages.at(-1)?.offset);
    this.processedUpTo.set(partitionKey(topic, partition), lastOffset + 1);
    this.lagByPartition.set(partitionKey(topic, partition), Math.max(0, highWatermark - lastOffset - 1));
    metrics.lag.set({ topic, partition: String(partition) }, Math.max(0, highWatermark - lastOffset - 1));
    await this.commit();
    stopTimer();
  }

  private async flushIdle(): Promise<void> {
    const outputs = this.options.handler.flushIdle(Date.now());
    if (outputs.length === 0) return;
    await this.send(outputs, []);
    await this.commit();
  }

  /** Produces records from outside the stream (e.g. an HTTP API), with the same encoding and acks. */
  async produce(outputs: readonly OutputRecord[]): Promise<void> {
    await this.send(outputs, []);
  }

  private deadLetter(message: KafkaMessage, topic: string, partition: number, reason: string): Message {
    const headers: IHeaders = {
      error: reason,
      stage: this.options.service,
      'source.topic': topic,
      'source.partition': String(partition),
      'source.offset': message.offset,
    };
    return { key: message.key, value: message.value, headers };
  }

  private async send(outputs: readonly OutputRecord[], deadLetters: readonly Message[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const output of outputs) {
      const value = await this.options.codec.encode(output.topic, output.value);
      const list = byTopic.get(output.topic.name) ?? [];
      list.push({ key: output.key, value });
      byTopic.set(output.topic.name, list);
    }
    if (deadLetters.length > 0) byTopic.set(this.dlq.name, [...deadLetters]);
    if (byTopic.size === 0) return;
    await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    for (const [topic, messages] of byTopic) this.options.metrics.recordsOut.inc({ topic }, messages.length);
  }

  private async commit(): Promise<void> {
    const offsets = commitTargets(this.processedUpTo, this.options.handler.heldOffsets(), this.committed);
    if (offsets.length === 0) return;
    await this.consumer.commitOffsets(offsets.map((o) => ({ ...o, offset: String(o.offset) })));
    for (const o of offsets) this.committed.set(partitionKey(o.topic, o.partition), o.offset);
  }
}
