/**
 * The Kafka plumbing every service shares (docs/design.md §4): batches per partition, Avro decode,
 * records that cannot be decoded or break a rule sent to `dlq.<service>` with the reason, outputs
 * produced before offsets are committed, and offsets committed per partition only below the
 * oldest record a handler still holds in an open window. State is rebuilt from Kafka after a
 * rebalance, so a crash or a new replica recomputes and upserts instead of losing or duplicating.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs, { Kafka, logLevel, PartitionAssigners, type Admin, type Consumer, type IHeaders, type KafkaMessage, type Message, type Producer } from 'kafkajs';
import type { Logger } from 'pino';

// kafkajs is CommonJS: Node's ESM loader does not see its error classes as named exports.
const { KafkaJSError } = kafkajs;
import { encodeChangelogValue, hasChangelog, latestSnapshots, type ChangelogReader } from './changelog.js';
import { kafkaChangelogReader } from './changelog-reader.js';
import type { AvroCodec } from './codec.js';
import type { KafkaSasl } from './config.js';
import { CoPartitionedAssigner } from './co-partitioned-assigner.js';
import { deadLetterKind, isPoison, PipelineError } from './errors.js';
import type { ServiceMetrics } from './metrics.js';
import { CachedDefaultPartitioner } from './partitioner.js';
import { parseJsonObject } from './json-object.js';
import { produceChunks } from './produce-chunks.js';
import { deadLetterTopic, type ServiceName, type TopicSpec } from './topics.js';

export interface InputRecord<V = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: V;
  /** The reprocessing this record belongs to (header {@link REPROCESS_HEADER}), if any. */
  readonly reprocess?: string;
  /** The raw rows that reprocessing delivers (header {@link REPROCESS_COVERS_HEADER}), if any. */
  readonly covers?: ReprocessCovers;
}

export interface OutputRecord {
  readonly topic: TopicSpec;
  readonly key: string;
  readonly value: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Header of the records of a reprocessing (`polluscope reprocess`): a participant's rows
 * re-published from rawdata, and every output computed from them, carry its id. A stage that sees
 * a new id for a participant starts that participant afresh (docs/design.md §4, §8).
 */
export const REPROCESS_HEADER = 'polluscope.reprocess';

/**
 * The rawdata rows a reprocessing re-published on a raw topic: the participant's rows from
 * `fromMs` on (and before `toMs`, if given) with an id up to `upToId`. Their change-data-capture copies that arrive after it
 * were already delivered, so a stage skips them (docs/stream-runtime.md, "Reprocessing").
 */
export interface ReprocessCovers {
  readonly fromMs: number;
  /** The span's end (exclusive), when it had one: rows from then on were not re-published. */
  readonly toMs?: number;
  readonly upToId: number;
}

/** Header of a reprocessing's raw records: {@link ReprocessCovers} as JSON. */
export const REPROCESS_COVERS_HEADER = 'polluscope.reprocess.covers';

/** The header's value, or null when it is not a {@link ReprocessCovers}. */
export function parseReprocessCovers(text: string): ReprocessCovers | null {
  const value = parseJsonObject(text);
  if (value === null) return null;
  const { fromMs, toMs, upToId } = value;
  if (typeof fromMs !== 'number' || !Number.isFinite(fromMs) || typeof upToId !== 'number' || !Number.isSafeInteger(upToId)) return null;
  if (toMs === undefined) return { fromMs, upToId };
  return typeof toMs === 'number' && Number.isFinite(toMs) ? { fromMs, toMs, upToId } : null;
}

/** Sends a valid record to the dead-letter topic; `kind` labels the metric (e.g. `late`). */
export type RejectRecord = (record: InputRecord, kind: string, reason: string) => void;

/** What a service plugs into the runner: validation and processing, with no Kafka inside. */
export interface StreamHandler {
  readonly inputs: readonly TopicSpec[];
  readonly outputs: readonly TopicSpec[];
  /** Null when the decoded record is valid, else the reason it goes to the dead-letter topic. */
  validate(topic: string, value: unknown): string | null;
  /**
   * Takes the valid records of one batch (one partition, in offset order) and returns what is now
   * final. A record the handler cannot use after all (e.g. too late to be recomputed in context)
   * is handed to `reject` with the reason: it goes to the dead-letter topic like an invalid one.
   */
  process(records: readonly InputRecord[], nowMs: number, reject: RejectRecord): readonly OutputRecord[] | Promise<readonly OutputRecord[]>;
  /** Flushes the windows of participants idle for longer than the idle timeout. */
  flushIdle(nowMs: number): readonly OutputRecord[];
  /** Lowest offset still held in an open window, per `topic:partition`; absent = nothing held. */
  heldOffsets(): ReadonlyMap<string, number>;
  /** Participants with records since their last idle flush (0 = every tail has been emitted). */
  openParticipants(): number;
  /** Drops all state: after a rebalance it is rebuilt from the committed offsets. */
  reset(): void;
}

/**
 * What a restarted stage needs to rebuild each participant's state exactly: the runner stores
 * {@link heldByParticipant} in each commit's metadata and hands it back, with the offset up to
 * which it was taken, to {@link resume} after a restart, a rebalance or a rewind.
 */
export interface ResumableHandler {
  /** Per `topic:partition`, the offset each participant's state must be rebuilt from. */
  heldByParticipant(): ReadonlyMap<string, ReadonlyMap<string, number>>;
  /**
   * Records of `source` below `upTo` are re-read: a participant's are used only from its own held
   * offset on (`heldFrom`), and not at all when it held nothing. Null `heldFrom` (unknown, e.g. a
   * commit of an earlier version) uses every re-read record.
   */
  resume(source: string, upTo: number, heldFrom: ReadonlyMap<string, number> | null): void;
  /** Participants whose state is held (a gauge). */
  participantsHeld(): number;
}

export function isResumable(handler: StreamHandler): handler is StreamHandler & ResumableHandler {
  const h = handler as Partial<ResumableHandler>;
  return typeof h.resume === 'function' && typeof h.heldByParticipant === 'function' && typeof h.participantsHeld === 'function';
}

export interface StreamRunnerOptions {
  readonly service: ServiceName;
  readonly brokers: readonly string[];
  /** SASL login to the brokers; absent or null: PLAINTEXT. */
  readonly sasl?: KafkaSasl | null;
  readonly groupId: string;
  readonly idleTimeoutMs: number;
  readonly handler: StreamHandler;
  readonly codec: AvroCodec;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  /**
   * Put before every Kafka topic name the runner subscribes to, commits on and produces to, so a
   * handler can run on a copy of its topics (the stage benchmarks); the handler, the metrics and
   * the commit rule still see the registry's names. Default: none.
   */
  readonly topicPrefix?: string;
  /** Tries at a batch on which the handler throws before the record it throws on is dead-lettered. Default 3. */
  readonly maxHandlerAttempts?: number;
  /** Consecutive failed tries (registry, broker unreachable, …) after which `/health` reports not ready. Default 2. */
  readonly unhealthyAfterFailures?: number;
  /** How often the lag is read from the broker's offsets, in ms. Default 5000. */
  readonly lagRefreshMs?: number;
  /** How young the member's last proof of membership (heartbeat, commit, join) must be to produce, ms. */
  readonly fenceMs?: number;
  /** Reads the handler's changelog on assignment; default: from the brokers (kafkaChangelogReader). */
  readonly changelogReader?: ChangelogReader;
}

export interface RunnerHealth {
  readonly joined: boolean;
  readonly assignment: Readonly<Record<string, number[]>>;
  readonly lag: number;
  /** Participants whose windows are still open: their tails come out at the next idle flush. */
  readonly openParticipants: number;
  /** Why the runner is not making progress (transient errors keep failing), or null. */
  readonly reason: string | null;
}

/**
 * Default fence: a third of the 30 s session timeout, far under KafkaJS's 60 s rebalance timeout,
 * and several 3 s heartbeat intervals.
 */
const DEFAULT_FENCE_MS = 10_000;

/** Pause after a failed batch before re-reading, so an unavailable broker or registry is not hammered. */
const REWIND_BACKOFF_MS = 1000;
/** Longest pause between tries while a failure persists. */
const MAX_BACKOFF_MS = 30_000;
export const DEFAULT_MAX_HANDLER_ATTEMPTS = 3;
const DEFAULT_UNHEALTHY_AFTER_FAILURES = 2;
const DEFAULT_LAG_REFRESH_MS = 5_000;
/** Tries at reading the committed offsets after a rebalance before going on without them. */
const REPLAY_POINT_ATTEMPTS = 10;

export const partitionKey = (topic: string, partition: number) => `${topic}:${partition}`;

/** Pause before try `failures + 1`: doubling from 1 s, at most 30 s. */
export function backoffMs(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, REWIND_BACKOFF_MS * 2 ** Math.max(0, failures - 1));
}

/**
 * Runs `run` after {@link backoffMs}, and again after each failure (reported to `onFailure`), until
 * it succeeds or `stop` is called: the stream runner's consumer after a crash KafkaJS does not
 * restart from by itself.
 */
export class RetrySchedule {
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly onFailure: (err: unknown) => void,
  ) {}

  /** Schedules a try unless one is pending or the schedule is stopped; returns its delay, ms, or null. */
  schedule(): number | null {
    if (this.stopped || this.timer !== null) return null;
    this.failures += 1;
    const delayMs = backoffMs(this.failures);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      this.run().catch((err: unknown) => {
        this.onFailure(err);
        this.schedule();
      });
    }, delayMs);
    return delayMs;
  }

  /** The thing runs again: the next failure starts from the shortest delay. */
  succeeded(): void {
    this.failures = 0;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * What follows a handler throwing (docs/design.md §4, "Unexpected"): the batch is tried again until
 * it has failed `maxAttempts` times in all; then its records are processed one at a time to find
 * the one it throws on, which goes to the dead-letter topic (`isolated`: the failure came from a
 * single record) while the partition moves on.
 *
 * @param failures failed tries of the partition's batch so far, this one included
 */
export function afterHandlerFailure(failures: number, maxAttempts: number, isolated: boolean): 'retry' | 'isolate' | 'dead-letter' {
  if (isolated) return 'dead-letter';
  return failures < maxAttempts ? 'retry' : 'isolate';
}

/**
 * Records behind the end of a partition: from its end offset and where this member is (next
 * offset to process, else the group's committed offset, else the start of the partition).
 */
export function partitionLag(endOffset: number, position: { processedUpTo?: number; committed?: number; start?: number }): number {
  const at = position.processedUpTo ?? (position.committed !== undefined && position.committed >= 0 ? position.committed : (position.start ?? 0));
  return Math.max(0, endOffset - at);
}

/** A handler threw: on a batch of a partition, or (`offset` set) on one record processed alone. */
class HandlerFailure extends PipelineError {
  constructor(
    readonly partitionKey: string,
    cause: unknown,
    readonly culprit?: { readonly message: KafkaMessage; readonly topic: string; readonly partition: number },
  ) {
    super('HANDLER_FAILED', (cause as Error)?.message ?? String(cause), { partition: partitionKey, offset: culprit?.message.offset }, { cause });
  }
}

/** The reason `/health` gives for a transient failure, from the error's class. */
export function transientReason(err: unknown): string {
  if (err instanceof PipelineError) return err.message;
  if (err instanceof KafkaJSError) return `kafka: ${err.message}`;
  return `${(err as Error)?.name ?? 'error'}: ${(err as Error)?.message ?? String(err)}`;
}

export interface CommitTarget {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Next offset after the last record whose outputs were sent: stored in the commit's metadata. */
  readonly processedUpTo: number;
  /** Each participant's held offset, stored in the metadata too; null when it would not fit. */
  readonly held: ReadonlyMap<string, number> | null;
  readonly metadata: string;
}

/** What was last committed for a partition. */
export interface CommitPoint {
  readonly offset: number;
  readonly processedUpTo: number;
  readonly held?: ReadonlyMap<string, number> | null;
  readonly metadata?: string;
}

/**
 * The commit rule of docs/design.md §4: per partition, the offset to commit is the oldest offset a
 * handler still holds in an open window, or everything processed when it holds nothing; the
 * commit's metadata also records how far processing went and where each participant's state
 * starts. Only partitions where any of it changed since the last commit are returned.
 *
 * @param processedUpTo next offset after the last processed record, per `topic:partition`
 * @param held lowest offset still held, per `topic:partition`
 * @param committed last commit, per `topic:partition`
 * @param heldByParticipant each participant's held offset, per `topic:partition` (resumable handlers)
 */
export function commitTargets(
  processedUpTo: ReadonlyMap<string, number>,
  held: ReadonlyMap<string, number>,
  committed: ReadonlyMap<string, CommitPoint>,
  heldByParticipant: ReadonlyMap<string, ReadonlyMap<string, number>> | null = null,
): CommitTarget[] {
  const targets: CommitTarget[] = [];
  for (const [key, upTo] of processedUpTo) {
    const offset = Math.min(upTo, held.get(key) ?? upTo);
    const own = heldByParticipant === null ? null : (heldByParticipant.get(key) ?? new Map<string, number>());
    const metadata = commitMetadata(upTo, own);
    const last = committed.get(key);
    if (last?.offset === offset && last.processedUpTo === upTo && (last.metadata ?? processedUpToMetadata(last.processedUpTo)) === metadata) continue;
    const separator = key.lastIndexOf(':');
    targets.push({
      topic: key.slice(0, separator),
      partition: Number(key.slice(separator + 1)),
      offset,
      processedUpTo: upTo,
      held: metadata.includes(HELD) ? own : null,
      metadata,
    });
  }
  return targets;
}

/** The lowest of each partition's participants' held offsets: what the commit rule must not pass. */
export function oldestPerPartition(byParticipant: ReadonlyMap<string, ReadonlyMap<string, number>>): Map<string, number> {
  const oldest = new Map<string, number>();
  for (const [source, own] of byParticipant) {
    let min = Number.POSITIVE_INFINITY;
    for (const offset of own.values()) if (offset < min) min = offset;
    if (own.size > 0) oldest.set(source, min);
  }
  return oldest;
}

/** Between the registry's topic names and the Kafka topic names of a runner with `topicPrefix`. */
export function topicNaming(prefix: string) {
  return {
    toKafka: (name: string) => prefix + name,
    fromKafka: (name: string) => {
      if (!name.startsWith(prefix)) throw new Error(`topic ${name} does not start with the runner's prefix "${prefix}"`);
      return name.slice(prefix.length);
    },
  };
}

const PROCESSED_UP_TO = 'processed-up-to=';
const HELD = ';held=';
/**
 * Kafka brokers refuse commit metadata over `offset.metadata.max.bytes` (4096 by default): a
 * larger participant map is left out, and the partition's participants are then rebuilt from
 * every re-read record (exact for the stages whose states tolerate earlier context).
 */
export const MAX_COMMIT_METADATA_CHARS = 4000;

/** Commit metadata saying how far processing went (see {@link replayedUpTo}). */
export function processedUpToMetadata(processedUpTo: number): string {
  return `${PROCESSED_UP_TO}${processedUpTo}`;
}

/** Commit metadata with each participant's held offset when it fits (see {@link parseCommitMetadata}). */
export function commitMetadata(processedUpTo: number, held: ReadonlyMap<string, number> | null): string {
  const plain = processedUpToMetadata(processedUpTo);
  if (held === null) return plain;
  const withHeld = `${plain}${HELD}${JSON.stringify(Object.fromEntries([...held].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))}`;
  return withHeld.length <= MAX_COMMIT_METADATA_CHARS ? withHeld : plain;
}

/**
 * How far a previous member processed a partition, from its commit's metadata: records below
 * this offset were processed and their outputs sent, so when they are re-read to rebuild state
 * their outputs are not sent again — re-sending them would overwrite rows computed with full
 * context by the same rows computed from a window cut at the restart point. Null when unknown.
 */
export function replayedUpTo(metadata: string | null | undefined): number | null {
  return parseCommitMetadata(metadata).processedUpTo;
}

/** Both parts of a commit's metadata; `held` null when absent or unreadable. */
export function parseCommitMetadata(metadata: string | null | undefined): { processedUpTo: number | null; held: Map<string, number> | null } {
  if (!metadata?.startsWith(PROCESSED_UP_TO)) return { processedUpTo: null, held: null };
  const split = metadata.indexOf(HELD);
  const value = Number(metadata.slice(PROCESSED_UP_TO.length, split < 0 ? undefined : split));
  const processedUpTo = Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (split < 0 || processedUpTo === null) return { processedUpTo, held: null };
  try {
    const parsedHeld: unknown = JSON.parse(metadata.slice(split + HELD.length));
    if (typeof parsedHeld !== 'object' || parsedHeld === null || Array.isArray(parsedHeld)) return { processedUpTo, held: null };
    const held = new Map<string, number>();
    for (const [participant, offset] of Object.entries(parsedHeld)) {
      if (!Number.isSafeInteger(offset)) return { processedUpTo, held: null };
      held.set(participant, offset as number);
    }
    return { processedUpTo, held };
  } catch {
    return { processedUpTo, held: null };
  }
}

/**
 * Whether this member may produce now: its last successful heartbeat proves it was in the group's
 * current generation, and no rebalance can complete without it before the rebalance timeout, so
 * while that heartbeat is younger than `fenceMs` (well under that timeout) no other member owns
 * its partitions. A member paused past its session (SIGSTOP, a long GC) fails this and rejoins
 * before it sends, instead of overwriting the new owner's output.
 */
export function mayProduce(lastHeartbeatMs: number | null, nowMs: number, fenceMs: number): boolean {
  return lastHeartbeatMs !== null && nowMs - lastHeartbeatMs < fenceMs;
}

/** Splits a batch (offset order) into the records below `upTo` (re-read) and the rest. */
export function splitAtOffset<M extends { readonly offset: string }>(messages: readonly M[], upTo: number | undefined): [M[], M[]] {
  if (upTo === undefined) return [[], [...messages]];
  const index = messages.findIndex((m) => Number(m.offset) >= upTo);
  return index < 0 ? [[...messages], []] : [messages.slice(0, index), messages.slice(index)];
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
  /** Replaced by a new one after a crash KafkaJS does not restart from: a disconnected KafkaJS consumer cannot run again. */
  private consumer: Consumer;
  private readonly producer: Producer;
  private readonly mutex = new Mutex();
  private readonly dlq: TopicSpec;
  private readonly naming: ReturnType<typeof topicNaming>;
  /** Next offset after the last processed record, per partition: the commit point when nothing is held. */
  private readonly processedUpTo = new Map<string, number>();
  private readonly committed = new Map<string, CommitPoint>();
  /** Per partition, the offset below which records are being re-read: their outputs were sent before. */
  private readonly replayUpTo = new Map<string, number>();
  /** Partitions done re-reading, paused until every other one is (see processBatch). */
  private readonly pausedUntilReplayed = new Set<string>();
  private readonly admin: Admin;
  private readonly changelogReader: ChangelogReader;
  /**
   * Where the state of each partition read in this generation can be rebuilt from: the last
   * committed offset, or the first offset read after joining (the group's committed offset then).
   */
  private readonly replayFrom = new Map<string, number>();
  /** End offset (high watermark) per partition, from the broker: refreshed periodically and by every fetched batch. */
  private readonly endOffsets = new Map<string, number>();
  /** The group's committed offset and the partition's start, per partition, as last read from the broker. */
  private readonly brokerPositions = new Map<string, { committed: number; start: number }>();
  /** Failed tries of the current batch of a partition on which the handler throws. */
  private readonly handlerFailures = new Map<string, number>();
  /** Partitions whose records are processed one at a time, to find the one the handler throws on. */
  private readonly isolating = new Set<string>();
  /** Offsets of records the handler threw on, dead-lettered and never handed to it again, per partition. */
  private readonly skipped = new Map<string, Set<number>>();
  /** Consecutive failures of transient kind, by where they happen, with the last reason. */
  private readonly failures = new Map<'processing' | 'lag', { count: number; reason: string }>();
  private assignment: Record<string, number[]> = {};
  private joined = false;
  /** Last proof that this member is in the group's current generation: a heartbeat, a commit or the join. */
  private lastMembershipProofMs: number | null = null;
  private crashReason: string | null = null;
  /** Runs the consumer again after a crash KafkaJS does not restart from. */
  private readonly consumerRestart: RetrySchedule;
  private idleTimer: NodeJS.Timeout | null = null;
  private lagTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: StreamRunnerOptions) {
    this.kafka = new Kafka({
      clientId: options.service,
      brokers: [...options.brokers],
      ...(options.sasl ? { sasl: { ...options.sasl } } : {}),
      logLevel: logLevel.WARN,
      logCreator: () => ({ namespace, level, log }) => {
        const { message, ...extra } = log;
        const line = { kafkajs: namespace, ...extra };
        if (level <= logLevel.ERROR) options.logger.error(line, message);
        else if (level === logLevel.WARN) options.logger.warn(line, message);
      },
    });
    // The Java client's murmur2 partitioner: a participant lands on the same partition whoever produces.
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: CachedDefaultPartitioner });
    this.dlq = deadLetterTopic(options.service);
    this.admin = this.kafka.admin();
    this.changelogReader = options.changelogReader ?? kafkaChangelogReader(this.kafka, options.service);
    this.naming = topicNaming(options.topicPrefix ?? '');
    this.consumerRestart = new RetrySchedule(
      async () => {
        // The crashed consumer, or one whose restart failed, is replaced by a new one.
        await this.consumer.disconnect().catch(() => {});
        this.consumer = this.createConsumer();
        await this.runConsumer();
      },
      (err) => {
        this.crashReason = `consumer restart failed: ${transientReason(err)}`;
        options.logger.error({ err }, 'consumer restart failed');
      },
    );
    this.consumer = this.createConsumer();
  }

  /** The group's consumer with this runner's listeners; events of a consumer since replaced are ignored. */
  private createConsumer(): Consumer {
    const { options } = this;
    // Partition p of every input topic to one member (a participant's records share p in every topic);
    // round robin stays listed so a group with members of an earlier version can still agree on it.
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      partitionAssigners: [CoPartitionedAssigner, PartitionAssigners.roundRobin],
    });
    const current = () => consumer === this.consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      if (!current()) return;
      void this.mutex.run(async () => {
        // Whatever this member held is re-read from the committed offsets of its new assignment.
        options.handler.reset();
        this.resumeReplayedPartitions();
        this.processedUpTo.clear();
        this.committed.clear();
        this.replayFrom.clear();
        this.assignment = event.payload.memberAssignment;
        this.lastMembershipProofMs = Date.now();
        await this.restoreChangelog(this.assignment);
        await this.loadReplayPoints(this.assignment);
        this.joined = true;
        this.crashReason = null;
        this.consumerRestart.succeeded();
        options.logger.info({ assignment: this.assignment }, 'joined the consumer group');
      });
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!current()) return;
      this.joined = false;
      this.crashReason = `consumer crashed: ${transientReason(event.payload.error)}`;
      options.logger.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
      // KafkaJS restarts the consumer after a retriable error only; a broker still starting after a
      // crash can answer with a non-retriable one (INVALID_REPLICATION_FACTOR) that passes by itself.
      if (!event.payload.restart) {
        const delayMs = this.consumerRestart.schedule();
        if (delayMs !== null) options.logger.warn({ delayMs }, 'restarting the consumer');
      }
    });
    consumer.on(consumer.events.STOP, () => {
      if (current()) this.joined = false;
    });
    consumer.on(consumer.events.HEARTBEAT, () => {
      if (current()) this.lastMembershipProofMs = Date.now();
    });
    return consumer;
  }

  async start(): Promise<void> {
    this.options.codec.prepareInputs(this.options.handler.inputs);
    await this.admin.connect();
    await this.producer.connect();
    await this.runConsumer();
    const every = Math.max(100, Math.min(1000, Math.floor(this.options.idleTimeoutMs / 2)));
    this.idleTimer = setInterval(() => {
      void this.mutex.run(() => this.flushIdle().catch((err) => this.afterFailure(err, 'idle flush')));
    }, every);
    this.lagTimer = setInterval(() => void this.refreshLag(), this.options.lagRefreshMs ?? DEFAULT_LAG_REFRESH_MS);
  }

  /** Connects, subscribes and runs the consumer (at start, and again after a crash). */
  private async runConsumer(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.handler.inputs.map((t) => this.naming.toKafka(t.name)), fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isStale }) => {
        const topic = this.naming.fromKafka(batch.topic);
        try {
          const processed = await this.mutex.run(async () => {
            // Fetched before a rewind: this partition is being re-read from an earlier offset.
            if (isStale()) return false;
            return this.processBatch(topic, batch.partition, batch.messages, Number(batch.highWatermark));
          });
          if (!processed) return;
        } catch (err) {
          await this.mutex.run(() => this.afterFailure(err, 'batch'));
          return; // the partitions are re-read from where their state can be rebuilt
        }
        const last = batch.messages.at(-1);
        if (last) resolveOffset(last.offset);
        await heartbeat();
      },
    });
  }

  /** Finishes the batch under way, commits, and leaves the group. */
  async stop(): Promise<void> {
    this.consumerRestart.stop();
    if (this.idleTimer) clearInterval(this.idleTimer);
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.idleTimer = null;
    this.lagTimer = null;
    await this.consumer.disconnect();
    await this.producer.disconnect();
    await this.admin.disconnect();
  }

  health(): RunnerHealth {
    const threshold = this.options.unhealthyAfterFailures ?? DEFAULT_UNHEALTHY_AFTER_FAILURES;
    let reason = this.crashReason;
    for (const failure of this.failures.values()) if (reason === null && failure.count >= threshold) reason = failure.reason;
    return { joined: this.joined, assignment: this.assignment, lag: this.lag(), openParticipants: this.options.handler.openParticipants(), reason };
  }

  /** Records behind the end of the assigned partitions, from the broker's offsets. */
  private lag(): number {
    let lag = 0;
    for (const [topic, partitions] of Object.entries(this.assignment)) {
      for (const partition of partitions) lag += this.partitionLagOf(partitionKey(this.naming.fromKafka(topic), partition));
    }
    return lag;
  }

  private partitionLagOf(key: string): number {
    const end = this.endOffsets.get(key);
    if (end === undefined) return 0; // not read from the broker yet
    const broker = this.brokerPositions.get(key);
    return partitionLag(end, { processedUpTo: this.processedUpTo.get(key), committed: broker?.committed, start: broker?.start });
  }

  /**
   * Reads the end offsets of the assigned partitions and the group's committed offsets from the
   * broker, so the lag grows while this member is stalled, and says so in `/health` when the
   * broker cannot be reached.
   */
  private async refreshLag(): Promise<void> {
    const topics = Object.keys(this.assignment);
    if (topics.length === 0) return;
    try {
      const committed = await this.admin.fetchOffsets({ groupId: this.options.groupId, topics });
      const ends = await Promise.all(topics.map(async (topic) => ({ topic, partitions: await this.admin.fetchTopicOffsets(topic) })));
      const committedOf = new Map(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}:${p.partition}`, Number(p.offset)] as const)));
      for (const { topic, partitions } of ends) {
        for (const { partition, high, low } of partitions) {
          const key = partitionKey(this.naming.fromKafka(topic), partition);
          this.endOffsets.set(key, Math.max(Number(high), this.endOffsets.get(key) ?? 0));
          this.brokerPositions.set(key, { committed: committedOf.get(`${topic}:${partition}`) ?? -1, start: Number(low) });
          if ((this.assignment[topic] ?? []).includes(partition)) {
            this.options.metrics.lag.set({ topic: this.naming.fromKafka(topic), partition: String(partition) }, this.partitionLagOf(key));
          }
        }
      }
      this.failures.delete('lag');
    } catch (err) {
      this.noteFailure('lag', `kafka broker unreachable: ${transientReason(err)}`);
    }
  }

  private noteFailure(where: 'processing' | 'lag', reason: string): number {
    const count = (this.failures.get(where)?.count ?? 0) + 1;
    this.failures.set(where, { count, reason });
    return count;
  }

  /**
   * Restores the states of the assigned partitions from the handler's changelog (its partition p
   * holds the participants of the inputs' partition p) before any of their records is processed.
   * Without it, records the snapshots folded in may be gone from the inputs: it is retried, with
   * `/health` saying why, until it succeeds.
   */
  private async restoreChangelog(assignment: Readonly<Record<string, number[]>>): Promise<void> {
    const { handler, logger } = this.options;
    if (!hasChangelog(handler)) return;
    const topic = this.naming.toKafka(handler.changelog.name);
    const partitions = [...new Set(Object.values(assignment).flat())].sort((a, b) => a - b);
    for (;;) {
      try {
        const { records, unreadable } = latestSnapshots(await this.changelogReader.read(topic, partitions));
        for (const u of unreadable) logger.warn({ topic, ...u }, 'changelog record unreadable: its participant starts afresh after it');
        handler.restore(records);
        logger.info({ topic, partitions, participants: records.length }, 'participant states restored from the changelog');
        return;
      } catch (err) {
        const failures = this.noteFailure('processing', `changelog restore: ${transientReason(err)}`);
        logger.error({ err, topic }, 'could not restore from the changelog: trying again');
        await sleep(backoffMs(failures));
      }
    }
  }

  /**
   * Seeks every assigned partition back to its committed offset and reads how far the previous
   * owners processed it. The seek matters for partitions this member keeps across a rebalance:
   * their state was just dropped, and the consumer would otherwise go on from where it was,
   * past the records the dropped windows held (their tails would never be emitted).
   */
  private async loadReplayPoints(assignment: Readonly<Record<string, number[]>>): Promise<void> {
    this.replayUpTo.clear();
    for (let attempt = 1; ; attempt++) {
      try {
        const committed = await this.admin.fetchOffsets({ groupId: this.options.groupId, topics: Object.keys(assignment) });
        for (const { topic, partitions } of committed) {
          const assigned = new Set(assignment[topic] ?? []);
          for (const { partition, offset, metadata } of partitions) {
            if (!assigned.has(partition)) continue;
            if (Number(offset) >= 0) this.consumer.seek({ topic, partition, offset });
            const { processedUpTo: upTo, held } = parseCommitMetadata(metadata);
            // Only a partition with records to re-read waits for them (the others would wait for ever).
            if (upTo === null || upTo <= Number(offset)) continue;
            const key = partitionKey(this.naming.fromKafka(topic), partition);
            this.replayUpTo.set(key, upTo);
            this.committed.set(key, { offset: Number(offset), processedUpTo: upTo, held, metadata: metadata ?? undefined });
            if (isResumable(this.options.handler)) this.options.handler.resume(key, upTo, held);
          }
        }
        return;
      } catch (err) {
        if (attempt >= REPLAY_POINT_ATTEMPTS) {
          // Without them, re-read outputs are sent again (keyed upserts) and kept partitions go on from their position.
          this.options.logger.error({ err }, 'could not read the committed offsets of the new assignment');
          return;
        }
        await sleep(REWIND_BACKOFF_MS);
      }
    }
  }

  /**
   * Processes one fetched batch; false when part of it was put back to be fetched again.
   *
   * Records already processed before a restart, a rebalance or a rewind are re-read without
   * sending (they rebuild state). A partition whose re-reading is done waits, paused, until every
   * other partition of this member has re-read its own: a participant's windows join several
   * topics, and an output that becomes final while one input is still being re-read must be sent
   * if the previous owner never saw the other input's newer records.
   */
  private async processBatch(topic: string, partition: number, messages: readonly KafkaMessage[], highWatermark: number): Promise<boolean> {
    if (messages.length === 0) return true;
    const key = partitionKey(topic, partition);
    if (!this.replayFrom.has(key)) this.replayFrom.set(key, Number(messages[0]!.offset));
    const upTo = this.replayUpTo.get(key);
    const [replayed, fresh] = splitAtOffset(messages, upTo);
    if (replayed.length > 0) await this.processMessages(topic, partition, replayed, highWatermark, false);
    // Done re-reading once the record before the replay point is processed, fresh records or not.
    if (fresh.length > 0 || (upTo !== undefined && Number(replayed.at(-1)?.offset) + 1 >= upTo)) this.replayUpTo.delete(key);
    if (fresh.length === 0) {
      if (this.replayUpTo.size === 0) this.resumeReplayedPartitions();
      return true;
    }
    if (this.replayUpTo.size > 0) {
      const kafkaTopic = this.naming.toKafka(topic);
      this.consumer.seek({ topic: kafkaTopic, partition, offset: fresh[0]!.offset });
      this.consumer.pause([{ topic: kafkaTopic, partitions: [partition] }]);
      this.pausedUntilReplayed.add(key);
      return false;
    }
    this.resumeReplayedPartitions();
    await this.processMessages(topic, partition, fresh, highWatermark, true);
    return true;
  }

  /** Every partition has re-read what it had processed: the ones waiting go on. */
  private resumeReplayedPartitions(): void {
    for (const key of this.pausedUntilReplayed) {
      const separator = key.lastIndexOf(':');
      this.consumer.resume([{ topic: this.naming.toKafka(key.slice(0, separator)), partitions: [Number(key.slice(separator + 1))] }]);
    }
    this.pausedUntilReplayed.clear();
  }

  /** Decodes, validates and processes records of one partition; `send` false while re-reading records already processed. */
  private async processMessages(topic: string, partition: number, messages: readonly KafkaMessage[], highWatermark: number, send: boolean): Promise<void> {
    const { handler, metrics, codec, logger } = this.options;
    const stopTimer = metrics.batchSeconds.startTimer({ topic });
    const key = partitionKey(topic, partition);
    const spec = handler.inputs.find((t) => t.name === topic);
    const skipped = this.skipped.get(key);
    const records: InputRecord[] = [];
    const deadLetters: Message[] = [];
    for (const message of messages) {
      const offset = Number(message.offset);
      if (skipped?.has(offset)) continue; // the handler threw on it; it went to the dead-letter topic
      try {
        const value = await codec.decode(message.value, spec);
        const reason = handler.validate(topic, value);
        if (reason !== null) throw new PipelineError('INVALID_RECORD', reason);
        const reprocess = message.headers?.[REPROCESS_HEADER]?.toString();
        const coversText = reprocess ? message.headers?.[REPROCESS_COVERS_HEADER]?.toString() : undefined;
        const covers = coversText === undefined ? null : parseReprocessCovers(coversText);
        records.push({ topic, partition, offset, key: message.key?.toString('utf8') ?? null, value, ...(reprocess ? { reprocess } : {}), ...(covers ? { covers } : {}) });
      } catch (err) {
        if (!isPoison(err)) throw err; // retried with backoff
        if (!send) continue; // already sent to the dead-letter topic before the restart
        const kind = deadLetterKind(err.code, err.message);
        deadLetters.push(this.deadLetter(message, topic, partition, kind, err.message));
        metrics.deadLetters.inc({ topic, reason: kind });
        logger.warn({ topic, partition, offset, reason: err.message }, 'record sent to the dead-letter topic');
      }
    }
    metrics.recordsIn.inc({ topic }, messages.length);
    const byOffset = new Map(messages.map((message) => [Number(message.offset), message]));
    const reject: RejectRecord = (record, kind, reason) => {
      const message = byOffset.get(record.offset);
      if (!send || message === undefined) return;
      deadLetters.push(this.deadLetter(message, topic, partition, kind, reason));
      metrics.deadLetters.inc({ topic, reason: kind });
      logger.warn({ topic, partition, offset: record.offset, reason }, 'record sent to the dead-letter topic');
    };
    const outputs = this.isolating.has(key)
      ? await this.processOneByOne(key, records, byOffset, reject)
      : await this.processHandled(key, records, reject);
    if (send) {
      if (!this.mayProduce()) throw new PipelineError('MEMBERSHIP_UNCONFIRMED', `no proof of group membership for ${this.fenceMs() / 1000} s: not producing until the group is rejoined`);
      await this.send(outputs, deadLetters);
      await this.sendChangelog();
    }
    const lastOffset = Number(messages.at(-1)?.offset);
    this.processedUpTo.set(key, lastOffset + 1);
    this.endOffsets.set(key, Math.max(highWatermark, this.endOffsets.get(key) ?? 0));
    metrics.lag.set({ topic, partition: String(partition) }, this.partitionLagOf(key));
    await this.commit();
    this.failures.delete('processing');
    if (send) {
      // New records went through: the failures counted were of records now behind.
      this.handlerFailures.delete(key);
      this.isolating.delete(key);
    }
    stopTimer();
  }

  /** The handler on a batch; what it throws becomes a HandlerFailure of the partition (retryable PipelineErrors stay transient). */
  private async processHandled(key: string, records: readonly InputRecord[], reject: RejectRecord): Promise<readonly OutputRecord[]> {
    try {
      return await this.options.handler.process(records, Date.now(), reject);
    } catch (err) {
      if (err instanceof PipelineError && err.retryable) throw err;
      throw new HandlerFailure(key, err);
    }
  }

  /** The handler on one record at a time, to tell which one it throws on. */
  private async processOneByOne(
    key: string,
    records: readonly InputRecord[],
    byOffset: ReadonlyMap<number, KafkaMessage>,
    reject: RejectRecord,
  ): Promise<readonly OutputRecord[]> {
    const outputs: OutputRecord[] = [];
    for (const record of records) {
      try {
        outputs.push(...(await this.options.handler.process([record], Date.now(), reject)));
      } catch (err) {
        if (err instanceof PipelineError && err.retryable) throw err;
        const message = byOffset.get(record.offset)!;
        throw new HandlerFailure(key, err, { message, topic: record.topic, partition: record.partition });
      }
    }
    return outputs;
  }

  /**
   * After a failed batch or idle flush: a handler's failure is retried a few times, then the
   * record it throws on is dead-lettered (`handler-error`); anything else is transient, retried
   * with a growing pause and, when it keeps failing, reported by `/health`. Either way the state
   * is rebuilt from Kafka (see {@link rewind}).
   */
  private async afterFailure(err: unknown, during: string): Promise<void> {
    if (!(err instanceof HandlerFailure)) {
      const failures = this.noteFailure('processing', transientReason(err));
      return this.rewind(err, during, backoffMs(failures));
    }
    const key = err.partitionKey;
    const failures = (this.handlerFailures.get(key) ?? 0) + 1;
    this.handlerFailures.set(key, failures);
    this.options.metrics.handlerFailures.inc({ topic: key.slice(0, key.lastIndexOf(':')) });
    const step = afterHandlerFailure(failures, this.options.maxHandlerAttempts ?? DEFAULT_MAX_HANDLER_ATTEMPTS, err.culprit !== undefined);
    if (step === 'isolate') this.isolating.add(key);
    if (step === 'dead-letter' && err.culprit !== undefined) {
      const { message, topic, partition } = err.culprit;
      const offset = Number(message.offset);
      try {
        // Also when re-read after a restart (send false): whether it was dead-lettered before is not known here.
        await this.send([], [this.deadLetter(message, topic, partition, 'handler-error', `handler-error: ${err.message}`)]);
      } catch (sendError) {
        const count = this.noteFailure('processing', transientReason(sendError));
        return this.rewind(sendError, 'sending a dead letter', backoffMs(count));
      }
      this.options.metrics.deadLetters.inc({ topic, reason: 'handler-error' });
      this.options.logger.warn({ topic, partition, offset, err: err.cause }, 'the handler throws on this record: sent to the dead-letter topic');
      const skipped = this.skipped.get(key) ?? new Set<number>();
      skipped.add(offset);
      this.skipped.set(key, skipped);
      this.handlerFailures.delete(key);
      this.isolating.delete(key);
      return this.rewind(err, during, 0);
    }
    return this.rewind(err, during, backoffMs(failures));
  }

  /**
   * After a failure once the handler may have changed its state (a send or a commit that did not
   * go through, a registry that stopped answering), that state no longer matches what reached
   * Kafka: it is dropped and every partition read so far is re-read from where it can be rebuilt,
   * as after a restart. Outputs are keyed and sinks upsert, so what is produced again is harmless.
   */
  private async rewind(err: unknown, during: string, pauseMs: number): Promise<void> {
    this.options.logger.error({ err, during }, 'processing failed: state dropped, partitions re-read from their committed offsets');
    this.options.handler.reset();
    this.resumeReplayedPartitions();
    // What was processed and sent before the failure is re-read without being sent again.
    for (const [key, upTo] of this.processedUpTo) this.replayUpTo.set(key, Math.max(upTo, this.replayUpTo.get(key) ?? 0));
    // Each participant from its own held offset, as of the commit the partition is re-read from.
    const handler = this.options.handler;
    if (isResumable(handler)) for (const [key, point] of this.committed) handler.resume(key, point.processedUpTo, point.held ?? null);
    this.processedUpTo.clear();
    for (const [key, offset] of this.replayFrom) {
      const separator = key.lastIndexOf(':');
      this.consumer.seek({ topic: this.naming.toKafka(key.slice(0, separator)), partition: Number(key.slice(separator + 1)), offset: String(offset) });
    }
    if (pauseMs > 0) await sleep(pauseMs);
  }

  /**
   * Flushes idle participants' windows — only when every partition read is caught up: while the
   * service is behind, a participant's next records may be waiting in Kafka, and flushing on
   * processing time alone would make results depend on how fast the service happened to run.
   */
  private async flushIdle(): Promise<void> {
    if (this.health().lag > 0 || !this.mayProduce()) return;
    const outputs = this.options.handler.flushIdle(Date.now());
    await this.send(outputs, []);
    await this.sendChangelog();
    // A flush can release held context without producing anything; the commit point moves anyway.
    await this.commit();
  }

  /** Produces records from outside the stream (e.g. an HTTP API), with the same encoding and acks. */
  async produce(outputs: readonly OutputRecord[]): Promise<void> {
    await this.send(outputs, []);
  }

  /** The original bytes and key; headers say why (`reason`: the kind, `error`: the detail) and where from. */
  private deadLetter(message: KafkaMessage, topic: string, partition: number, kind: string, reason: string): Message {
    const headers: IHeaders = {
      reason: kind,
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
      list.push(output.headers ? { key: output.key, value, headers: { ...output.headers } } : { key: output.key, value });
      byTopic.set(output.topic.name, list);
    }
    if (deadLetters.length > 0) byTopic.set(this.dlq.name, [...deadLetters]);
    if (byTopic.size === 0) return;
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic: this.naming.toKafka(topic), messages }));
    for (const chunk of produceChunks(topicMessages)) await this.producer.sendBatch({ acks: -1, topicMessages: chunk });
    for (const [topic, messages] of byTopic) this.options.metrics.recordsOut.inc({ topic }, messages.length);
  }

  /**
   * The handler's snapshots, after the outputs of the same cycle and before its commit: a commit
   * never passes records that neither a snapshot the broker acknowledged nor the input still holds.
   * Partition p of the changelog for the participants of the inputs' partition p, whatever the key hashes to.
   */
  private async sendChangelog(): Promise<void> {
    const handler = this.options.handler;
    if (!hasChangelog(handler)) return;
    const records = handler.changelogRecords(Date.now());
    if (records.length === 0) return;
    const messages: Message[] = records.map((r) => ({ key: r.key, partition: r.partition, value: encodeChangelogValue(r.value) }));
    for (const chunk of produceChunks([{ topic: this.naming.toKafka(handler.changelog.name), messages }])) await this.producer.sendBatch({ acks: -1, topicMessages: chunk });
    handler.changelogProduced(records);
    this.options.metrics.recordsOut.inc({ topic: handler.changelog.name }, records.length);
  }

  private async commit(): Promise<void> {
    const handler = this.options.handler;
    const resumable = isResumable(handler);
    if (resumable) this.options.metrics.participantsHeld.set(handler.participantsHeld());
    const byParticipant = resumable ? handler.heldByParticipant() : null;
    const held = byParticipant === null ? handler.heldOffsets() : oldestPerPartition(byParticipant);
    const offsets = commitTargets(this.processedUpTo, held, this.committed, byParticipant);
    if (offsets.length === 0) return;
    await this.consumer.commitOffsets(
      offsets.map((o) => ({ topic: this.naming.toKafka(o.topic), partition: o.partition, offset: String(o.offset), metadata: o.metadata })),
    );
    // The coordinator accepted the commit under this member's generation.
    this.lastMembershipProofMs = Date.now();
    for (const o of offsets) {
      this.committed.set(partitionKey(o.topic, o.partition), { offset: o.offset, processedUpTo: o.processedUpTo, held: o.held, metadata: o.metadata });
      this.replayFrom.set(partitionKey(o.topic, o.partition), o.offset);
    }
  }

  private fenceMs(): number {
    return this.options.fenceMs ?? DEFAULT_FENCE_MS;
  }

  private mayProduce(): boolean {
    return mayProduce(this.lastMembershipProofMs, Date.now(), this.fenceMs());
  }
}
