/**
 * Per-participant state for stream handlers (docs/design.md §4): state lives with the partition of the
 * participant's records, remembers when it last saw a record (for the idle flush) and which
 * offsets it still holds (for the commit rule).
 */
import { oldestPerPartition, partitionKey } from './stream-runner.js';

export interface ParticipantEntry<S> {
  readonly participant: string;
  /** `topic:partition` the participant's records come from. */
  readonly source: string;
  state: S;
  /** Processing time of the last record seen, ms. */
  lastSeenMs: number;
  /** True from an idle flush until the participant's next record: its tail has been emitted. */
  flushed: boolean;
}

/**
 * The state of every participant of a member's partitions. An idle flush emits a participant's
 * provisional tail but keeps its offsets held: the state it flushed from is what the next record
 * extends, and a restart must rebuild that same state, not a fresh one (a flush that released
 * them made a restarted cleaner begin a new NO2 warm-up in the middle of a session).
 */
export class ParticipantStates<S> {
  private readonly entries = new Map<string, ParticipantEntry<S>>();

  /**
   * @param create builds the empty state of a participant
   * @param oldestHeldOffset the lowest Kafka offset the participant's state still needs to be rebuilt after a
   *   restart, or null; a state fed by several topics gives it per `topic:partition`
   * @param retentionMs processing time a participant may stay silent before its state is dropped:
   *   its offsets are then no longer held and its next record starts a fresh state. It must exceed
   *   the longest event-time context the stage reads, or eviction would change results. Default: never.
   */
  constructor(
    private readonly create: (participant: string) => S,
    private readonly oldestHeldOffset: (state: S, participant: string) => number | null | ReadonlyMap<string, number>,
    private readonly retentionMs = Number.POSITIVE_INFINITY,
  ) {}

  /** Puts a participant's state rebuilt from elsewhere (a changelog), as seen now and not flushed. */
  put(participant: string, source: string, state: S, nowMs: number): ParticipantEntry<S> {
    const entry: ParticipantEntry<S> = { participant, source, state, lastSeenMs: nowMs, flushed: false };
    this.entries.set(participant, entry);
    return entry;
  }

  /** The participant's entry, created on first sight; marks it as seen now. */
  touch(participant: string, topic: string, partition: number, nowMs: number): ParticipantEntry<S> {
    let entry = this.entries.get(participant);
    if (!entry) {
      entry = { participant, source: partitionKey(topic, partition), state: this.create(participant), lastSeenMs: nowMs, flushed: false };
      this.entries.set(participant, entry);
    }
    entry.lastSeenMs = nowMs;
    entry.flushed = false;
    return entry;
  }

  get(participant: string): ParticipantEntry<S> | undefined {
    return this.entries.get(participant);
  }

  /**
   * Entries not seen for `idleTimeoutMs` and not flushed since their last record, which the
   * caller flushes now; entries silent past the retention are evicted first (and handed to `onEvict`).
   */
  idle(nowMs: number, idleTimeoutMs: number, onEvict?: (entry: ParticipantEntry<S>) => void): ParticipantEntry<S>[] {
    const idle: ParticipantEntry<S>[] = [];
    for (const entry of this.entries.values()) {
      const silentMs = nowMs - entry.lastSeenMs;
      if (entry.flushed && silentMs >= this.retentionMs) {
        this.entries.delete(entry.participant);
        onEvict?.(entry);
      }
      else if (!entry.flushed && silentMs >= idleTimeoutMs) idle.push(entry);
    }
    for (const entry of idle) entry.flushed = true;
    return idle;
  }

  /** Participants seen since their last idle flush: windows whose tail may still be emitted. */
  openCount(): number {
    let open = 0;
    for (const entry of this.entries.values()) if (!entry.flushed) open++;
    return open;
  }

  /** Participants whose state is held (flushed or not): what memory grows with. */
  size(): number {
    return this.entries.size;
  }

  all(): IterableIterator<ParticipantEntry<S>> {
    return this.entries.values();
  }

  delete(participant: string): void {
    this.entries.delete(participant);
  }

  reset(): void {
    this.entries.clear();
  }

  /**
   * Per `topic:partition`, the offset each participant's state must be rebuilt from: after a
   * restart, a participant's re-read records below it are skipped, so its state is rebuilt from
   * exactly where it was (another participant of the partition may hold an older offset).
   */
  heldByParticipant(): Map<string, Map<string, number>> {
    const held = new Map<string, Map<string, number>>();
    const hold = (source: string, participant: string, offset: number) => {
      let own = held.get(source);
      if (own === undefined) held.set(source, (own = new Map()));
      own.set(participant, offset);
    };
    for (const entry of this.entries.values()) {
      const offset = this.oldestHeldOffset(entry.state, entry.participant);
      if (offset === null) continue;
      if (typeof offset === 'number') hold(entry.source, entry.participant, offset);
      else for (const [source, o] of offset) hold(source, entry.participant, o);
    }
    return held;
  }

  /** Lowest held offset per `topic:partition`, over every participant of that partition. */
  heldOffsets(): Map<string, number> {
    return oldestPerPartition(this.heldByParticipant());
  }
}

/**
 * Event time of a record as epoch ms: Avro timestamp-millis arrive as numbers or Dates, the change
 * data capture source sends ISO-8601 strings with an offset. Null when it is not a time.
 */
export function eventTimeMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : null;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}
