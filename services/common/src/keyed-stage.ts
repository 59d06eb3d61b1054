/**
 * The keyed-stage runtime every service runs on (docs/design.md §4): typed input records, state per
 * participant with idle flush, retention and eviction, and the offsets that state holds for the
 * commit rule. A service says how to parse its inputs and what to do with one participant's
 * records; the runtime does the rest, the same way for all five.
 */
import { CHANGELOG_VERSION, ParticipantSnapshots, type ChangelogHandler, type ChangelogRecord } from './changelog.js';
import { eventTimeMs, ParticipantStates, type ParticipantEntry } from './participant-state.js';
import { partitionKey, REPROCESS_HEADER, type InputRecord, type ReprocessCovers, type OutputRecord, type RejectRecord, type ResumableHandler, type StreamHandler } from './stream-runner.js';
import { changelogTopic, SERVICES, type ServiceName, type TopicSpec } from './topics.js';

/** A parsed input value, or why the record goes to the dead-letter topic. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Default processing time a silent participant's state is kept: beyond the 36 min of context the cleaner reads, ms. */
export const DEFAULT_PARTICIPANT_RETENTION_MS = 2 * 3_600_000;

export const parsed = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const invalid = (reason: string): Parsed<never> => ({ ok: false, reason });

/** What every typed input value carries: whose record it is. */
export interface ParticipantValue {
  readonly participant_virtual_id: string;
}

/** An input record of a stage, its value parsed and validated. */
export interface StageRecord<T> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: T;
}

export interface KeyedStageSpec<S, T extends ParticipantValue> {
  /** Inputs and outputs come from the services' registry. */
  readonly service: ServiceName;
  /**
   * Parses a decoded record of `topic`. `nowMs` is the processing clock (time sanity). The same
   * record is parsed once: the runtime keeps the result from validation to processing.
   */
  parse(topic: string, value: Readonly<Record<string, unknown>>, nowMs: number): Parsed<T>;
  readonly idleTimeoutMs: number;
  /**
   * Processing time a silent participant's state is kept, ms (default
   * {@link DEFAULT_PARTICIPANT_RETENTION_MS}); see {@link ParticipantStates}.
   */
  readonly retentionMs?: number;
  createState(participant: string): S;
  /**
   * The lowest offset the state needs to be rebuilt after a restart, or null; per
   * `topic:partition` when the stage reads several topics.
   */
  oldestHeldOffset(state: S): number | null | ReadonlyMap<string, number>;
  /** One participant's valid records of a batch, in offset order: what is now final. */
  onRecords(
    participant: string,
    state: S,
    records: readonly StageRecord<T>[],
    reject: (record: StageRecord<T>, kind: string, reason: string) => void,
  ): OutputRecord[];
  /** The participant's idle timeout passed: its provisional tail. */
  onIdle(participant: string, state: S): OutputRecord[];
  /**
   * Runs after a batch's records were handed out, with the outputs so far: a place for work that
   * needs I/O (postprocessing applies late review decisions from the warehouse).
   */
  afterBatch?(outputs: OutputRecord[]): OutputRecord[] | Promise<OutputRecord[]>;
  /**
   * Keeps each participant's state in the service's changelog topic, so that its held offset
   * moves past the records the state folded in (docs/stream-runtime.md, "Changelog").
   */
  readonly changelog?: StageChangelog<S>;
  /** The processing clock; tests set it. */
  readonly clock?: () => number;
}

/** How a stage's state goes to its changelog and comes back. */
export interface StageChangelog<S> {
  /**
   * The state as JSON when a snapshot is worth writing (its size bounded), else null: the last
   * snapshot stands, and the participant stays held at it.
   */
  snapshot(state: S): unknown;
  /** The state from a snapshot's JSON, or null when it cannot be read: the participant starts afresh. */
  restore(json: unknown): S | null;
  /** Least processing time between two snapshots of a participant, ms; default DEFAULT_CHANGELOG_INTERVAL_MS. */
  readonly intervalMs?: number;
}

export interface KeyedStage<S> extends StreamHandler, ResumableHandler, Partial<ChangelogHandler> {
  /** Participants whose state is held (for the metric and tests). */
  participantsHeld(): number;
  /** A participant's entry, for tests and the stage's own routes. */
  entry(participant: string): ParticipantEntry<S> | undefined;
}

/** Builds a service's stream handler from its keyed-stage spec. */
export function keyedStage<S, T extends ParticipantValue>(spec: KeyedStageSpec<S, T>): KeyedStage<S> {
  const { inputs, outputs } = SERVICES[spec.service];
  const clock = spec.clock ?? Date.now;
  const snapshots = spec.changelog === undefined ? null : new ParticipantSnapshots(spec.changelog.intervalMs);
  // A participant with an acknowledged snapshot is rebuilt from it: only the records after it are held.
  const heldFrom = (state: S, participant: string) => snapshots?.heldFrom(participant) ?? spec.oldestHeldOffset(state);
  const states = new ParticipantStates<S>((p) => spec.createState(p), heldFrom, spec.retentionMs ?? DEFAULT_PARTICIPANT_RETENTION_MS);
  // Decoded values are parsed at validation and picked up in process: never parsed twice.
  const parsedValues = new WeakMap<object, T>();

  const inputNames = new Set(inputs.map((t: TopicSpec) => t.name));
  /**
   * The reprocessing each participant's state was last started afresh for. Its outputs carry that
   * id on, so the next stage starts the participant afresh once too.
   */
  const reprocessing = new Map<string, string>();
  const stamp = (outputs: OutputRecord[]): OutputRecord[] => {
    if (reprocessing.size === 0) return outputs;
    return outputs.map((o) => {
      const id = reprocessing.get(o.key);
      return id === undefined ? o : { ...o, headers: { ...o.headers, [REPROCESS_HEADER]: id } };
    });
  };
  /**
   * What each participant's reprocessing re-published, per raw topic: the change-data-capture
   * copies of those rows that arrive after it (a load's rows, still streaming) were delivered by it.
   */
  const covered = new Map<string, Map<string, ReprocessCovers>>();
  const isCoveredCopy = (record: InputRecord, participant: string): boolean => {
    const covers = covered.get(participant)?.get(record.topic);
    if (covers === undefined) return false;
    const raw = record.value as Readonly<Record<string, unknown>>;
    const id = typeof raw.id === 'number' || typeof raw.id === 'bigint' ? Number(raw.id) : null;
    const timeMs = eventTimeMs(raw.time);
    return id !== null && id <= covers.upToId && timeMs !== null && timeMs >= covers.fromMs && (covers.toMs === undefined || timeMs < covers.toMs);
  };
  const replays = new Map<string, { readonly upTo: number; readonly heldFrom: ReadonlyMap<string, number> | null }>();
  /** False for a re-read record whose participant's state starts later (see ResumableHandler.resume). */
  const needed = (record: InputRecord, participant: string): boolean => {
    const source = partitionKey(record.topic, record.partition);
    const replay = replays.get(source);
    if (replay === undefined) return true;
    if (record.offset >= replay.upTo) {
      replays.delete(source);
      return true;
    }
    if (replay.heldFrom === null) return true;
    const from = replay.heldFrom.get(participant);
    return from !== undefined && record.offset >= from;
  };
  /** Restored entries count as seen at the first processing time after their restore. */
  const unstamped = new Set<ParticipantEntry<S>>();
  const stampRestored = (nowMs: number) => {
    for (const entry of unstamped) entry.lastSeenMs = nowMs;
    unstamped.clear();
  };
  /** States from the acknowledged snapshots (after a restart, a rebalance or a rewind). */
  const restoreStates = () => {
    for (const [participant, snapshot] of snapshots?.acknowledged() ?? []) {
      const state = snapshot.version === CHANGELOG_VERSION ? spec.changelog!.restore(structuredClone(snapshot.state)) : null;
      if (state === null) continue; // starts afresh after the snapshot's records
      unstamped.add(states.put(participant, snapshot.source, state, clock()));
      if (snapshot.reprocess !== null) reprocessing.set(participant, snapshot.reprocess);
    }
  };
  const changelogMethods = (changelog: StageChangelog<S>, book: ParticipantSnapshots): ChangelogHandler => ({
    changelog: changelogTopic(spec.service),
    changelogRecords: (nowMs) =>
      book.take(nowMs, (participant) => {
        const entry = states.get(participant);
        const state = entry === undefined ? null : changelog.snapshot(entry.state);
        return state === null || state === undefined ? null : { source: entry!.source, reprocess: reprocessing.get(participant) ?? null, state };
      }),
    changelogProduced: (records: readonly ChangelogRecord[]) => book.produced(records),
    restore(records) {
      states.reset();
      reprocessing.clear();
      covered.clear();
      unstamped.clear();
      book.reset(records);
      restoreStates();
    },
  });
  return {
    ...(spec.changelog !== undefined && snapshots !== null ? changelogMethods(spec.changelog, snapshots) : {}),
    inputs,
    outputs,
    validate(topic, value) {
      if (!inputNames.has(topic)) return `${topic}: not an input of ${spec.service}`;
      if (typeof value !== 'object' || value === null) return 'not a record';
      const result = spec.parse(topic, value as Readonly<Record<string, unknown>>, clock());
      if (!result.ok) return result.reason;
      parsedValues.set(value, result.value);
      return null;
    },
    process(records: readonly InputRecord[], nowMs: number, reject: RejectRecord) {
      stampRestored(nowMs);
      const byParticipant = new Map<string, StageRecord<T>[]>();
      const sources = new Map<StageRecord<T>, InputRecord>();
      const out: OutputRecord[] = [];
      const rejectStage = (record: StageRecord<T>, kind: string, reason: string) => reject(sources.get(record)!, kind, reason);
      // Outputs carry the reprocessing their participant's state was computed under when they were made.
      const handOut = (participant: string, own: readonly StageRecord<T>[]) => {
        for (const output of stamp(spec.onRecords(participant, states.get(participant)!.state, own, rejectStage))) out.push(output);
      };
      for (const record of records) {
        let value = typeof record.value === 'object' && record.value !== null ? parsedValues.get(record.value) : undefined;
        if (value === undefined) {
          const result = spec.parse(record.topic, record.value as Readonly<Record<string, unknown>>, clock());
          if (!result.ok) {
            reject(record, 'invalid', result.reason);
            continue;
          }
          value = result.value;
        }
        const participant = value.participant_virtual_id;
        snapshots?.read(partitionKey(record.topic, record.partition), record.offset);
        if (replays.size > 0 && !needed(record, participant)) continue;
        if (snapshots?.covers(participant, partitionKey(record.topic, record.partition), record.offset)) continue;
        if (record.reprocess === undefined && covered.size > 0 && isCoveredCopy(record, participant)) continue;
        if (record.reprocess !== undefined && reprocessing.get(participant) !== record.reprocess) {
          // A reprocessing begins: the records before it are handed out as they came, then the
          // participant starts afresh and its state is recomputed from the records that follow.
          const before = byParticipant.get(participant);
          if (before !== undefined) handOut(participant, before);
          byParticipant.delete(participant);
          states.delete(participant);
          reprocessing.set(participant, record.reprocess);
          covered.delete(participant);
        }
        if (record.covers !== undefined) {
          const topics = covered.get(participant) ?? new Map<string, ReprocessCovers>();
          topics.set(record.topic, record.covers);
          covered.set(participant, topics);
        }
        const stageRecord: StageRecord<T> = { topic: record.topic, partition: record.partition, offset: record.offset, value };
        sources.set(stageRecord, record);
        states.touch(participant, record.topic, record.partition, nowMs);
        snapshots?.markChanged(participant);
        const list = byParticipant.get(participant);
        if (list) list.push(stageRecord);
        else byParticipant.set(participant, [stageRecord]);
      }
      for (const [participant, own] of byParticipant) handOut(participant, own);
      if (!spec.afterBatch) return out;
      const handedOut = new Set(out);
      const stampNew = (all: OutputRecord[]) => all.map((o) => (handedOut.has(o) ? o : stamp([o])[0]!));
      const after = spec.afterBatch(out);
      return after instanceof Promise ? after.then(stampNew) : stampNew(after);
    },
    flushIdle(nowMs: number) {
      stampRestored(nowMs);
      const out: OutputRecord[] = [];
      const evict = (entry: ParticipantEntry<S>) => snapshots?.markEvicted(entry.participant);
      for (const entry of states.idle(nowMs, spec.idleTimeoutMs, evict)) {
        for (const output of spec.onIdle(entry.participant, entry.state)) out.push(output);
        snapshots?.markChanged(entry.participant);
      }
      return stamp(out);
    },
    heldOffsets: () => states.heldOffsets(),
    openParticipants: () => states.openCount(),
    participantsHeld: () => states.size(),
    entry: (participant) => states.get(participant),
    heldByParticipant: () => states.heldByParticipant(),
    resume(source, replayUpTo, heldFrom) {
      replays.set(source, { upTo: replayUpTo, heldFrom });
    },
    reset() {
      states.reset();
      replays.clear();
      reprocessing.clear();
      covered.clear();
      unstamped.clear();
      // What Kafka holds: the acknowledged snapshots, then the records after them.
      snapshots?.reset();
      restoreStates();
    },
  };
}
