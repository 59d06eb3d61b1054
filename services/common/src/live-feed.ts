/**
 * A stream handler driven the way {@link StreamRunner} drives it, with no Kafka: records appended
 * to per-partition logs, batches processed, idle flushes on a processing clock the caller sets,
 * offsets committed by {@link commitTargets}, and restarts that drop the state and re-read every
 * partition from its committed offset without re-sending what was processed before the restart,
 * after restoring the states from the changelog records it produced (for stages that keep one).
 * Tests feed it at live rates (an idle flush between records) and compare what it sent with the
 * batch result, so the live guarantee of docs/design.md §4 is checked on the pure handler.
 */
import { encodeChangelogValue, hasChangelog, latestSnapshots, type ChangelogMessage } from './changelog.js';
import { mulberry32 } from './domain/seeded-random.js';
import { commitTargets, isResumable, oldestPerPartition, parseCommitMetadata, partitionKey, type CommitPoint, type InputRecord, type OutputRecord, type StreamHandler } from './stream-runner.js';

export interface DeadLetter {
  readonly record: InputRecord;
  readonly kind: string;
  readonly reason: string;
}

export interface FedRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: unknown;
  /** Default 0. */
  readonly partition?: number;
}

export class LiveFeed {
  private readonly logs = new Map<string, InputRecord[]>();
  private readonly processedUpTo = new Map<string, number>();
  private readonly committed = new Map<string, CommitPoint>();
  /** Everything sent to output topics, in order: later records of a key replace earlier ones downstream. */
  readonly sent: OutputRecord[] = [];
  readonly deadLetters: DeadLetter[] = [];
  /** The changelog topic as produced (one log: partitions are told apart by each record's partition). */
  readonly changelog: ChangelogMessage[] = [];
  private handler: StreamHandler;
  restarts = 0;

  constructor(private readonly makeHandler: () => StreamHandler) {
    this.handler = makeHandler();
  }

  /** Appends records to their partitions' logs and processes them as one batch per partition. */
  deliver(records: readonly FedRecord[], nowMs: number): void {
    const byPartition = new Map<string, InputRecord[]>();
    for (const record of records) {
      const partition = record.partition ?? 0;
      const key = partitionKey(record.topic, partition);
      const log = this.logs.get(key) ?? [];
      this.logs.set(key, log);
      const input: InputRecord = { topic: record.topic, partition, offset: log.length, key: record.key, value: record.value };
      log.push(input);
      const batch = byPartition.get(key) ?? [];
      batch.push(input);
      byPartition.set(key, batch);
    }
    for (const [key, batch] of byPartition) this.processBatch(key, batch, nowMs, true);
  }

  /** The runner's idle timer firing at processing time `nowMs`. */
  idle(nowMs: number): void {
    this.emit(this.handler.flushIdle(nowMs));
    this.produceChangelog(nowMs);
    this.commit();
  }

  /**
   * A restart (SIGTERM, kill -9 after the last commit, or a rebalance): a fresh handler re-reads
   * every partition from its committed offset; records below the commit's processed-up-to mark
   * rebuild state without sending, the rest are processed as new.
   */
  restart(nowMs: number): void {
    this.restarts++;
    this.handler = this.makeHandler();
    if (hasChangelog(this.handler)) this.handler.restore(latestSnapshots(this.changelog).records);
    const replay = new Map(this.committed);
    this.processedUpTo.clear();
    // As the runner does: every partition re-reads what it had processed before any goes on.
    const handler = this.handler;
    if (isResumable(handler)) {
      // What the runner reads back from the commit's metadata.
      for (const [key, point] of replay) handler.resume(key, point.processedUpTo, parseCommitMetadata(point.metadata).held);
    }
    for (const [key, log] of this.logs) {
      const point = replay.get(key);
      const reread = log.slice(point?.offset ?? 0, point?.processedUpTo ?? 0);
      if (reread.length > 0) this.processBatch(key, reread, nowMs, false);
    }
    for (const [key, log] of this.logs) {
      const point = replay.get(key);
      const rest = log.slice(Math.max(point?.offset ?? 0, point?.processedUpTo ?? 0));
      if (rest.length > 0) this.processBatch(key, rest, nowMs, true);
    }
  }

  /** Offsets the runner would commit now, per `topic:partition`. */
  committedOffsets(): ReadonlyMap<string, CommitPoint> {
    return this.committed;
  }

  openParticipants(): number {
    return this.handler.openParticipants();
  }

  /** The last value sent per natural key of a topic: what an upserting sink ends with. */
  table(topic: string, keyOf: (value: Record<string, unknown>) => string): Map<string, Record<string, unknown>> {
    const rows = new Map<string, Record<string, unknown>>();
    for (const output of this.sent) {
      if (output.topic.name !== topic) continue;
      const value = output.value as Record<string, unknown>;
      rows.set(keyOf(value), value);
    }
    return rows;
  }

  private processBatch(key: string, batch: readonly InputRecord[], nowMs: number, send: boolean): void {
    const valid: InputRecord[] = [];
    for (const record of batch) {
      const reason = this.handler.validate(record.topic, record.value);
      if (reason === null) valid.push(record);
      else if (send) this.deadLetters.push({ record, kind: 'invalid', reason });
    }
    const outputs = this.handler.process(valid, nowMs, (record, kind, reason) => {
      if (send) this.deadLetters.push({ record, kind, reason });
    });
    if (outputs instanceof Promise) throw new Error('LiveFeed drives synchronous handlers only');
    if (send) {
      this.emit(outputs);
      this.produceChangelog(nowMs);
    }
    this.processedUpTo.set(key, batch.at(-1)!.offset + 1);
    this.commit();
  }

  /** As the runner does after a cycle's outputs: the stage's snapshots, as bytes, then acknowledged. */
  private produceChangelog(nowMs: number): void {
    if (!hasChangelog(this.handler)) return;
    const records = this.handler.changelogRecords(nowMs);
    for (const r of records) this.changelog.push({ partition: r.partition, offset: this.changelog.length, key: r.key, value: encodeChangelogValue(r.value) });
    this.handler.changelogProduced(records);
  }

  private emit(outputs: readonly OutputRecord[]): void {
    for (const output of outputs) this.sent.push(output);
  }

  private commit(): void {
    const byParticipant = isResumable(this.handler) ? this.handler.heldByParticipant() : null;
    const held = byParticipant === null ? this.handler.heldOffsets() : oldestPerPartition(byParticipant);
    for (const target of commitTargets(this.processedUpTo, held, this.committed, byParticipant)) {
      const { offset, processedUpTo, held, metadata } = target;
      this.committed.set(partitionKey(target.topic, target.partition), { offset, processedUpTo, held, metadata });
    }
  }
}

/** How records reach a stage: all in one poll, one at a time, or in bursts of ten. */
export type ArrivalPattern = 'at-once' | 'one-by-one' | 'bursts';

/**
 * Feeds `records` (in this order) the way `pattern` says, restarting after the deliveries whose
 * index is in `restartAfter` (after the idle flush that follows them when `afterIdle`), then
 * flushes. Processing time: 2 s between single records (an idle flush each time, with an idle
 * timeout under 2 s), bursts of 10 records 100 ms apart with a 5 s pause (idle flush) after each.
 */
export function feedInPattern(
  live: LiveFeed,
  records: readonly FedRecord[],
  pattern: ArrivalPattern,
  restartAfter: ReadonlySet<number> = new Set(),
  afterIdle = false,
): void {
  let now = 0;
  if (pattern === 'at-once') {
    live.deliver(records, now);
    if (restartAfter.size > 0 && !afterIdle) live.restart(now);
    now += 5000;
    live.idle(now);
    if (restartAfter.size > 0 && afterIdle) live.restart(now);
  } else {
    records.forEach((record, i) => {
      live.deliver([record], now);
      const pause = pattern === 'one-by-one' || i % 10 === 9;
      if (restartAfter.has(i) && !afterIdle) live.restart(now);
      now += pause ? (pattern === 'one-by-one' ? 2000 : 5000) : 100;
      if (pause) live.idle(now);
      if (restartAfter.has(i) && afterIdle) live.restart(now);
    });
  }
  live.idle(now + 5000);
}

/** `count` distinct indices in [0, n) drawn from `seed`: where seeded restarts happen. */
export function seededIndices(seed: number, n: number, count: number): Set<number> {
  const next = mulberry32(seed);
  const picked = new Set<number>();
  while (picked.size < Math.min(count, n)) picked.add(Math.floor(next() * n));
  return picked;
}
