/**
 * Time order per participant, the order in which the loader must insert rows (docs/design.md §4,
 * "History in any order"): the stream's stages read a participant's rows in insertion order, and
 * a row older than what they already hold is late. Pure: no I/O.
 */

/** The first row found older than an earlier row of the same participant. */
export interface StepBack {
  readonly participant: string;
  /** Line number of the older row (1-based, header = 1). */
  readonly line: number;
  readonly timeMs: number;
  /** The latest time of that participant before it. */
  readonly afterMs: number;
}

/**
 * Follows each participant's previous time as rows are read and counts the steps back in time
 * (a row older than the participant's row before it); the first is also the first row older than
 * any earlier row of its participant. Equal times are not a step back (the natural key keeps the
 * first of them).
 *
 * @example const o = new ParticipantTimeOrder(); o.add('p', 2000, 2); o.add('q', 0, 3); o.add('p', 1000, 4); // o.stepsBack === 1
 */
export class ParticipantTimeOrder {
  private readonly previousMs = new Map<string, number>();
  private lastParticipant: string | null = null;
  private lastMs = Number.NEGATIVE_INFINITY;
  private steps = 0;
  private first: StepBack | null = null;

  /** Rows read so far that were older than an earlier row of their participant. */
  get stepsBack(): number {
    return this.steps;
  }

  get firstStepBack(): StepBack | null {
    return this.first;
  }

  get inOrder(): boolean {
    return this.steps === 0;
  }

  add(participant: string, timeMs: number, line: number): void {
    // Exports mostly hold one participant at a time: skip the map while it does not change.
    let previous: number;
    if (participant === this.lastParticipant) {
      previous = this.lastMs;
    } else {
      if (this.lastParticipant !== null) this.previousMs.set(this.lastParticipant, this.lastMs);
      previous = this.previousMs.get(participant) ?? Number.NEGATIVE_INFINITY;
      this.lastParticipant = participant;
    }
    if (timeMs < previous) {
      this.steps++;
      this.first ??= { participant, line, timeMs, afterMs: previous };
    }
    this.lastMs = timeMs;
  }
}

/** One sentence about a step back, for summaries and errors. */
export function describeStepBack(step: StepBack): string {
  const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
  return `line ${step.line}: participant ${step.participant} at ${iso(step.timeMs)} after ${iso(step.afterMs)}`;
}

/**
 * The order in which to insert rows: grouped by participant (in the order participants first
 * appear), by time within a participant, and in file order among equal times (so the natural
 * key keeps the file's first row, as an unsorted load would).
 *
 * @param participant each row's participant, as a small integer (first appearance = 0, 1, …)
 * @param timeMs each row's time, epoch milliseconds
 * @returns the row indices in insertion order
 * @example timeOrderPermutation(Int32Array.of(0, 1, 0), Float64Array.of(5, 1, 3)) // Uint32Array [2, 0, 1]
 */
export function timeOrderPermutation(participant: Int32Array, timeMs: Float64Array): Uint32Array {
  if (participant.length !== timeMs.length) throw new RangeError(`${participant.length} participants for ${timeMs.length} times`);
  const order = new Uint32Array(participant.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => (participant[a] as number) - (participant[b] as number) || (timeMs[a] as number) - (timeMs[b] as number) || a - b);
}
