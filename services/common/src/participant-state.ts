/**
 * Per-participant state for stream handlers (DESIGN.md §4): state lives with the partition of the
 * participant's records, remembers when it last saw a record (for the idle flush) and which
 * offsets it still holds (for the commit rule).
 */
import { partitionKey } from './stream-runner.js';

export interface ParticipantEntry<S> {
  readonly participant: string;
  /** `topic:partition` the participant's records come from. */
  readonly source: string;
  state: S;
  /** Processing time of the last record seen, ms. */
  lastSeenMs: number;
  /**
   * True from an idle flush until the participant's next record: its offsets are then no longer
   * held for the commit rule, even though the state keeps rows as context.
   */
  released: boolean;
}

export class ParticipantStates<S> {
  private readonly entries = new Map<string, ParticipantEntry<S>>();

  /**
   * @param create builds the empty state of a participant
   * @param oldestHeldOffset the lowest Kafka offset the state still needs, or null when it holds nothing
   */
  constructor(
    private readonly create: (participant: string) => S,
    private readonly oldestHeldOffset: (state: S) => number | null,
  ) {}

  /** The participant's entry, created on first sight; marks it as seen now. */
  touch(participant: string, topic: string, partition: number, nowMs: number): ParticipantEntry<S> {
    let entry = this.entries.get(participant);
    if (!entry) {
      entry = { participant, source: partitionKey(topic, partition), state: this.create(participant), lastSeenMs: nowMs, released: false };
      this.entries.set(participant, entry);
    }
    entry.lastSeenMs = nowMs;
    // Held again from its oldest context row: a window reopened by new rows must be rebuildable.
    entry.released = false;
    return entry;
  }

  get(participant: string): ParticipantEntry<S> | undefined {
    return this.entries.get(participant);
  }

  /**
   * Entries not seen for longer than `idleTimeoutMs`, which the caller flushes: their offsets are
   * released until their next record. Without that, the context rows a flushed participant keeps
   * would stay uncommitted for ever, and a restart would re-read and re-flush the tail, sending
   * downstream a piece of a window already closed complete.
   */
  idle(nowMs: number, idleTimeoutMs: number): ParticipantEntry<S>[] {
    const idle = [...this.entries.values()].filter((e) => nowMs - e.lastSeenMs >= idleTimeoutMs);
    for (const entry of idle) entry.released = true;
    return idle;
  }

  /** Participants seen since their last idle flush: windows whose tail may still be emitted. */
  openCount(): number {
    let open = 0;
    for (const entry of this.entries.values()) if (!entry.released) open++;
    return open;
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

  /** Lowest held offset per `topic:partition`, over every participant of that partition. */
  heldOffsets(): Map<string, number> {
    const held = new Map<string, number>();
    for (const entry of this.entries.values()) {
      if (entry.released) continue;
      const offset = this.oldestHeldOffset(entry.state);
      if (offset === null) continue;
      const current = held.get(entry.source);
      if (current === undefined || offset < current) held.set(entry.source, offset);
    }
    return held;
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
