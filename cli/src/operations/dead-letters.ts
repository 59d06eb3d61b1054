/**
 * Dead letters as operators see them (`polluscope dlq list|show|replay`, docs/design.md §8): each
 * record with the headers the services wrote (reason, error, stage, where it came from),
 * filtered by participant, reason or topic, and sent back to the partition it came from once its
 * cause is removed. The selection and the replay plan are pure; reading and producing are in
 * kafka-records.ts and the command.
 */

/** A dead letter as read from its topic: the original key and bytes, and the services' headers. */
export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** When it was dead-lettered, ms since the epoch. */
  readonly timestampMs: number;
  readonly participant: string | null;
  /** The kind (`future`, `invalid`, `decode`, `late`, `handler-error`, …); older letters have none. */
  readonly reason: string | null;
  readonly error: string;
  readonly stage: string | null;
  readonly source: { readonly topic: string; readonly partition: number; readonly offset: number } | null;
  readonly value: Buffer | null;
  /** Set when the letter is itself a replay: the dead letter it was replayed from. */
  readonly replayedFrom: string | null;
}

type Headers = Readonly<Record<string, Buffer | string | undefined | (Buffer | string)[]>>;

const text = (value: Headers[string]): string | null => {
  if (value === undefined) return null;
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined ? null : one.toString();
};

/** A dead letter from a raw Kafka message; headers it lacks are null. */
export function toDeadLetter(
  topic: string,
  partition: number,
  message: { readonly offset: string; readonly timestamp: string; readonly key: Buffer | null; readonly value: Buffer | null; readonly headers?: Headers },
): DeadLetter {
  const headers = message.headers ?? {};
  const error = text(headers.error) ?? '';
  const sourceTopic = text(headers['source.topic']);
  const sourcePartition = Number(text(headers['source.partition']) ?? Number.NaN);
  const sourceOffset = Number(text(headers['source.offset']) ?? Number.NaN);
  return {
    topic,
    partition,
    offset: Number(message.offset),
    timestampMs: Number(message.timestamp),
    participant: message.key?.toString('utf8') ?? null,
    reason: text(headers.reason) ?? legacyReason(error),
    error,
    stage: text(headers.stage),
    source:
      sourceTopic !== null && Number.isInteger(sourcePartition) && Number.isInteger(sourceOffset)
        ? { topic: sourceTopic, partition: sourcePartition, offset: sourceOffset }
        : null,
    value: message.value,
    replayedFrom: text(headers['replayed.from']),
  };
}

/** The kind of a letter written before the `reason` header existed, read from its error text. */
function legacyReason(error: string): string | null {
  if (error.startsWith('future:')) return 'future';
  if (error.startsWith('handler-error:')) return 'handler-error';
  if (error.startsWith('too late:')) return 'late';
  return null;
}

export interface DeadLetterFilter {
  readonly participant?: string;
  readonly reason?: string;
  /** Dead letters from this time on, ms since the epoch. */
  readonly sinceMs?: number;
}

export function matches(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.participant !== undefined && letter.participant !== filter.participant) return false;
  if (filter.reason !== undefined && letter.reason !== filter.reason) return false;
  if (filter.sinceMs !== undefined && letter.timestampMs < filter.sinceMs) return false;
  return true;
}

/** `dlq.gps-preprocessing/3/17`: how a dead letter is named on the command line and in `replayed.from`. */
export const letterId = (letter: Pick<DeadLetter, 'topic' | 'partition' | 'offset'>) => `${letter.topic}/${letter.partition}/${letter.offset}`;

/** Parses a dead letter's id; throws naming what is wrong. */
export function parseLetterId(id: string): { topic: string; partition: number; offset: number } {
  const match = /^(dlq\.[a-z0-9-]+)\/(\d+)\/(\d+)$/.exec(id);
  if (match === null) throw new Error(`"${id}" is not a dead letter's id; expected dlq.<service>/<partition>/<offset>, e.g. dlq.gps-preprocessing/3/17`);
  return { topic: match[1]!, partition: Number(match[2]), offset: Number(match[3]) };
}

export interface ReplayStep {
  readonly letter: DeadLetter;
  /** Where the record goes back to; null when it is not sent back, with `skip` saying why. */
  readonly target: { readonly topic: string; readonly partition: number } | null;
  readonly skip: string | null;
  /**
   * A raw row dead-lettered as late: sent back, it would be late again, so its participant is
   * recomputed from rawdata (where the row is) from its time instead.
   */
  readonly recompute: boolean;
}

/** The raw topics, fed by change data capture from rawdata: a late letter of theirs is a rawdata row. */
const RAW_TOPICS: ReadonlySet<string> = new Set(['raw.sensor', 'raw.gps']);

/**
 * What a replay does with each selected letter: back to the topic and partition it came from
 * (so it meets its participant's other records in order), unless it has no source headers or no
 * bytes. A letter already replayed once goes back too: it failed again, and the operator chose it.
 */
export function planReplay(letters: readonly DeadLetter[]): ReplayStep[] {
  return letters.map((letter) => {
    if (letter.source === null) return { letter, target: null, skip: 'no source headers: where it came from is unknown', recompute: false };
    if (letter.value === null) return { letter, target: null, skip: 'no value to replay', recompute: false };
    if (letter.reason === 'late' && RAW_TOPICS.has(letter.source.topic)) return { letter, target: null, skip: null, recompute: true };
    return { letter, target: { topic: letter.source.topic, partition: letter.source.partition }, skip: null, recompute: false };
  });
}

/** A participant to recompute for its late letters: from the earliest of their times. */
export interface LateRecomputation {
  readonly participant: string;
  readonly fromMs: number;
  readonly letters: number;
}

/**
 * The recomputations the late letters of a replay call for, one per participant, from the
 * earliest row time (`timeOf`, null for a letter whose record has none: it is left out).
 */
export function lateRecomputations(steps: readonly ReplayStep[], timeOf: (letter: DeadLetter) => number | null): LateRecomputation[] {
  const byParticipant = new Map<string, LateRecomputation>();
  for (const { letter, recompute } of steps) {
    const timeMs = recompute && letter.participant !== null ? timeOf(letter) : null;
    if (timeMs === null) continue;
    const seen = byParticipant.get(letter.participant!);
    byParticipant.set(letter.participant!, { participant: letter.participant!, fromMs: Math.min(seen?.fromMs ?? timeMs, timeMs), letters: (seen?.letters ?? 0) + 1 });
  }
  return [...byParticipant.values()].sort((a, b) => a.participant.localeCompare(b.participant));
}

/** Per topic and reason, how many letters and the newest: the summary `dlq list` ends with. */
export function countByReason(letters: readonly DeadLetter[]): { topic: string; reason: string; count: number; newestMs: number }[] {
  const counts = new Map<string, { topic: string; reason: string; count: number; newestMs: number }>();
  for (const letter of letters) {
    const reason = letter.reason ?? 'unknown';
    const key = `${letter.topic}\u0000${reason}`;
    const entry = counts.get(key) ?? { topic: letter.topic, reason, count: 0, newestMs: 0 };
    entry.count++;
    entry.newestMs = Math.max(entry.newestMs, letter.timestampMs);
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => a.topic.localeCompare(b.topic) || b.count - a.count);
}
