/**
 * A stage's changelog (docs/stream-runtime.md, "Changelog"), as Kafka Streams keeps its state
 * stores: the latest snapshot of each participant's state on a compacted topic, keyed by
 * participant, in the partition of the participant's input records. A participant with a snapshot
 * is rebuilt from it and the records after it, so its held offset moves past the records the
 * snapshot folded in: a stop open for a week no longer pins the commit at the week's first fix.
 *
 * Nothing here talks to Kafka: the runner reads the topic through a {@link ChangelogReader} and
 * produces what {@link ParticipantSnapshots.take} returns.
 */
import { PipelineError } from './errors.js';
import type { TopicSpec } from './topics.js';

/** Snapshot format; a snapshot of another version is not restored (its participant starts afresh). */
export const CHANGELOG_VERSION = 1;

/** Default least processing time between two snapshots of one participant, ms (Kafka Streams commits every 30 s). */
export const DEFAULT_CHANGELOG_INTERVAL_MS = 30_000;

export interface ChangelogSnapshot {
  readonly version: number;
  /** `topic:partition` of the participant's records. */
  readonly source: string;
  /** Per `topic:partition`, the next offset after the last record folded into `state`. */
  readonly upTo: Readonly<Record<string, number>>;
  /** The reprocessing the state was computed under, or null. */
  readonly reprocess: string | null;
  /** The stage's own JSON of the state. */
  readonly state: unknown;
}

/** A changelog record: a participant's snapshot, or null to delete it (a tombstone). */
export interface ChangelogRecord {
  readonly key: string;
  readonly partition: number;
  readonly value: ChangelogSnapshot | null;
}

/** A record as read back from the topic. */
export interface ChangelogMessage {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: Buffer | null;
}

/** Reads the changelog topic: Kafka in the runner, an array in tests. */
export interface ChangelogReader {
  /** Every record of `partitions` of `topic`, from their start up to the end offset they had when called. */
  read(topic: string, partitions: readonly number[]): Promise<readonly ChangelogMessage[]>;
}

/** What a stream handler with a changelog adds; the runner drives it (see stream-runner.ts). */
export interface ChangelogHandler {
  readonly changelog: TopicSpec;
  /**
   * Snapshots and tombstones to produce now, after the outputs of the same cycle and before its
   * commit; `nowMs` is the processing clock (at most one snapshot a participant per interval).
   */
  changelogRecords(nowMs: number): ChangelogRecord[];
  /** The broker acknowledged these records: held offsets may move to them. */
  changelogProduced(records: readonly ChangelogRecord[]): void;
  /** Replaces every state by the latest records of the assigned partitions' changelog, before any input record. */
  restore(records: readonly ChangelogRecord[]): void;
}

export function hasChangelog<H extends object>(handler: H): handler is H & ChangelogHandler {
  const h = handler as Partial<ChangelogHandler>;
  return h.changelog !== undefined && typeof h.changelogRecords === 'function' && typeof h.restore === 'function';
}

export function encodeChangelogValue(value: ChangelogSnapshot | null): Buffer | null {
  return value === null ? null : Buffer.from(JSON.stringify(value), 'utf8');
}

/** A snapshot from its bytes (null: a tombstone); a malformed one is a permanent error. */
export function decodeChangelogValue(bytes: Buffer | null): ChangelogSnapshot | null {
  if (bytes === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new PipelineError('DECODE_FAILED', `changelog snapshot is not JSON: ${(err as Error).message}`, {}, { cause: err });
  }
  const v = value as Partial<ChangelogSnapshot> | null;
  const upTo = v?.upTo;
  if (
    typeof v !== 'object' || v === null || typeof v.version !== 'number' || typeof v.source !== 'string' ||
    typeof upTo !== 'object' || upTo === null || !Object.values(upTo).every((o) => Number.isSafeInteger(o)) ||
    !(v.reprocess === null || typeof v.reprocess === 'string') || !('state' in v)
  ) {
    throw new PipelineError('DECODE_FAILED', 'changelog snapshot lacks version, source, upTo, reprocess or state');
  }
  return v as ChangelogSnapshot;
}

/**
 * The latest record per participant of changelog messages (per partition in offset order), as
 * compaction would leave them: a tombstone removes the participant. Records that cannot be
 * decoded are left out and listed.
 */
export function latestSnapshots(messages: readonly ChangelogMessage[]): { records: ChangelogRecord[]; unreadable: { partition: number; offset: number; reason: string }[] } {
  const latest = new Map<string, ChangelogRecord>();
  const unreadable: { partition: number; offset: number; reason: string }[] = [];
  const ordered = [...messages].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const message of ordered) {
    if (message.key === null) continue;
    try {
      const value = decodeChangelogValue(message.value);
      if (value === null) latest.delete(message.key);
      else latest.set(message.key, { key: message.key, partition: message.partition, value });
    } catch (err) {
      unreadable.push({ partition: message.partition, offset: message.offset, reason: (err as Error).message });
    }
  }
  return { records: [...latest.values()], unreadable };
}

const partitionOf = (source: string) => Number(source.slice(source.lastIndexOf(':') + 1));

/**
 * A stage's bookkeeping of its snapshots: which are acknowledged (they decide the held offsets),
 * which participants changed since their last one, and how far each partition was read.
 */
export class ParticipantSnapshots {
  /** Acknowledged snapshots: what a restart restores. */
  private readonly durable = new Map<string, ChangelogSnapshot>();
  /** Participants whose state changed since their last snapshot. */
  private readonly changed = new Set<string>();
  /** Evicted participants whose snapshot must be deleted, with the partition it is in. */
  private readonly evicted = new Map<string, number>();
  /** Per `topic:partition`, the next offset after the last record handed to the stage. */
  private readonly readUpTo = new Map<string, number>();
  private readonly lastTakenMs = new Map<string, number>();

  constructor(private readonly intervalMs = DEFAULT_CHANGELOG_INTERVAL_MS) {}

  /** A record of `source` at `offset` was handed to the stage (whoever it belongs to). */
  read(source: string, offset: number): void {
    if (offset >= (this.readUpTo.get(source) ?? 0)) this.readUpTo.set(source, offset + 1);
  }

  /** Whether the participant's snapshot already folded this record in (it is being re-read). */
  covers(participant: string, source: string, offset: number): boolean {
    const upTo = this.durable.get(participant)?.upTo[source];
    return upTo !== undefined && offset < upTo;
  }

  /** The offsets the participant's acknowledged snapshot was taken at, or undefined. */
  heldFrom(participant: string): ReadonlyMap<string, number> | undefined {
    const snapshot = this.durable.get(participant);
    return snapshot === undefined ? undefined : new Map(Object.entries(snapshot.upTo));
  }

  markChanged(participant: string): void {
    this.changed.add(participant);
  }

  /**
   * The participant's state was dropped for good: its snapshot is deleted too, and the book keeps
   * nothing of it (else an entry per participant ever seen would outlive every eviction).
   */
  markEvicted(participant: string): void {
    this.changed.delete(participant);
    this.lastTakenMs.delete(participant);
    const snapshot = this.durable.get(participant);
    if (snapshot !== undefined) this.evicted.set(participant, partitionOf(snapshot.source));
  }

  /**
   * Snapshots of the changed participants whose last one is at least the interval old and whose
   * state `snapshotOf` can write now (else they stay changed), and the tombstones of the evicted.
   */
  take(
    nowMs: number,
    snapshotOf: (participant: string) => { readonly source: string; readonly reprocess: string | null; readonly state: unknown } | null,
  ): ChangelogRecord[] {
    const records: ChangelogRecord[] = [];
    for (const [participant, partition] of this.evicted) records.push({ key: participant, partition, value: null });
    this.evicted.clear();
    for (const participant of this.changed) {
      if (nowMs - (this.lastTakenMs.get(participant) ?? Number.NEGATIVE_INFINITY) < this.intervalMs) continue;
      const current = snapshotOf(participant);
      if (current === null) continue;
      const upTo: Record<string, number> = {};
      // Every source of the participant's partition (a stage may join several topics)...
      for (const [source, offset] of this.readUpTo) if (partitionOf(source) === partitionOf(current.source)) upTo[source] = offset;
      // ...never behind the snapshot the state was restored from, whose records may not be re-read yet.
      for (const [source, offset] of Object.entries(this.durable.get(participant)?.upTo ?? {})) upTo[source] = Math.max(offset, upTo[source] ?? 0);
      // As JSON gives it back: the acknowledged copy must not follow the live state's later changes.
      const state: unknown = JSON.parse(JSON.stringify(current.state));
      records.push({ key: participant, partition: partitionOf(current.source), value: { version: CHANGELOG_VERSION, source: current.source, reprocess: current.reprocess, upTo, state } });
      this.changed.delete(participant);
      this.lastTakenMs.set(participant, nowMs);
    }
    return records;
  }

  produced(records: readonly ChangelogRecord[]): void {
    for (const record of records) {
      if (record.value === null) this.durable.delete(record.key);
      else this.durable.set(record.key, record.value);
    }
  }

  /** The acknowledged snapshots, to restore from after the state was dropped. */
  acknowledged(): ReadonlyMap<string, ChangelogSnapshot> {
    return this.durable;
  }

  /** Forgets what was read and changed (the state is dropped and rebuilt); `records` replace the acknowledged snapshots when given. */
  reset(records?: readonly ChangelogRecord[]): void {
    this.changed.clear();
    this.evicted.clear();
    this.readUpTo.clear();
    if (records === undefined) return;
    this.durable.clear();
    this.lastTakenMs.clear();
    for (const record of records) if (record.value !== null) this.durable.set(record.key, record.value);
  }
}
