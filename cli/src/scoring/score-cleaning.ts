/**
 * Scores the cleaner against the simulator's truth (docs/design.md §5.1): what it removes against the
 * glitches injected (precision, recall), and how much of the real pollution events it keeps.
 * Pure: the `sensors score` command reads the files and prints the result.
 */
import { SENSOR_VARIABLES, type SensorVariable } from '@polluscope/timeseries-preprocessing/domain';

/** One injected fault (truth_faults.csv). */
export interface InjectedFault {
  readonly participantId: string;
  readonly timeMs: number;
  readonly variable: SensorVariable;
  /** `dropout`, `spike`, `out_of_range` or `warm_up`. */
  readonly fault: string;
  /**
   * For a glitch: whether its smaller jump to the nearest reported values within 2 minutes on
   * each side exceeds the rule's absolute floor (a glitch the rule can see); unknown when absent.
   */
  readonly aboveFloor?: boolean;
}

/** One real event (truth_events.csv), [startMs, endMs). */
export interface RealEvent {
  readonly participantId: string;
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** One cleaned minute: its `qualityFlags` (`variable:flag;…`). */
export interface FlaggedMinute {
  readonly participantId: string;
  readonly timeMs: number;
  readonly qualityFlags: string;
}

export interface RemovalCounts {
  /** Cells the cleaner removed as `range` or `spike`. */
  removals: number;
  /** Of those, cells with an injected glitch (spike or out_of_range). NO2 warm-up readings count in neither. */
  removalsOfFaults: number;
  /** Injected glitches: `spike` and `out_of_range` cells. */
  glitches: number;
  /** Of those, cells the cleaner removed (any reason but a dropout's). */
  glitchesRemoved: number;
  /** Injected glitches known to jump more than the floor to both neighbours, and those removed. */
  glitchesAboveFloor: number;
  glitchesAboveFloorRemoved: number;
}

export interface CleaningScore extends RemovalCounts {
  /** removalsOfFaults / removals (1 when nothing was removed). */
  readonly precision: number;
  /** glitchesRemoved / glitches (1 when nothing was injected). */
  readonly recall: number;
  /** glitchesAboveFloorRemoved / glitchesAboveFloor (1 when none). */
  readonly recallAboveFloor: number;
  readonly byVariable: Readonly<Record<SensorVariable, RemovalCounts>>;
  /** Minutes of real events while the kit was on, and those kept whole (no value removed but faults). */
  readonly eventMinutes: number;
  readonly eventMinutesKept: number;
  readonly eventMinutesKeptShare: number;
  readonly byEvent: Readonly<Record<string, { minutes: number; kept: number }>>;
  /** Cells kept and flagged `high`, and how many of them fall in real events. */
  readonly highCells: number;
  readonly highCellsInEvents: number;
}

const REMOVALS = new Set(['range', 'spike', 'warmup']);
const GLITCHES = new Set(['spike', 'out_of_range']);
const MINUTE_MS = 60_000;

const emptyCounts = (): RemovalCounts => ({ removals: 0, removalsOfFaults: 0, glitches: 0, glitchesRemoved: 0, glitchesAboveFloor: 0, glitchesAboveFloorRemoved: 0 });

const cellKey = (participantId: string, timeMs: number, variable: string) => `${participantId}\u0000${timeMs}\u0000${variable}`;
const minuteKey = (participantId: string, timeMs: number) => `${participantId}\u0000${timeMs}`;

/**
 * Precision and recall of the cleaner's removals against injected glitches, and the share of
 * real-event minutes kept. The NO2 warm-up (a `warmup` flag, or an injected warm-up reading
 * whatever its flag) is the warm-up rule's, not a glitch decision: it counts neither as a removal
 * nor against an event minute.
 *
 * @example scoreCleaning(cleanedMinutes, faults, events).recall // 0.97
 */
export function scoreCleaning(minutes: Iterable<FlaggedMinute>, faults: readonly InjectedFault[], events: readonly RealEvent[]): CleaningScore {
  const faultAt = new Map<string, string>();
  for (const f of faults) faultAt.set(cellKey(f.participantId, f.timeMs, f.variable), f.fault);
  const eventAt = new Map<string, string>();
  for (const e of events) for (let t = e.startMs; t < e.endMs; t += MINUTE_MS) eventAt.set(minuteKey(e.participantId, t), e.name);

  const byVariable = Object.fromEntries(SENSOR_VARIABLES.map((v) => [v, emptyCounts()])) as Record<SensorVariable, RemovalCounts>;
  const removedGlitch = new Set<string>();
  const byEvent: Record<string, { minutes: number; kept: number }> = {};
  let eventMinutes = 0;
  let eventMinutesKept = 0;
  let highCells = 0;
  let highCellsInEvents = 0;
  for (const minute of minutes) {
    const event = eventAt.get(minuteKey(minute.participantId, minute.timeMs));
    let lostToCleaner = false;
    for (const flag of minute.qualityFlags === '' ? [] : minute.qualityFlags.split(';')) {
      const [variable, reason] = flag.split(':') as [SensorVariable, string];
      const key = cellKey(minute.participantId, minute.timeMs, variable);
      const fault = faultAt.get(key);
      // A warm-up reading is the warm-up rule's business, whatever flag it got first (often `range`).
      if (fault === 'warm_up') continue;
      if (reason === 'high') {
        highCells++;
        if (event !== undefined) highCellsInEvents++;
      }
      if (!REMOVALS.has(reason)) continue;
      if (fault !== undefined && GLITCHES.has(fault)) removedGlitch.add(key);
      if (reason === 'warmup') continue;
      const counts = byVariable[variable];
      counts.removals++;
      if (fault !== undefined && GLITCHES.has(fault)) counts.removalsOfFaults++;
      else lostToCleaner = true;
    }
    if (event === undefined) continue;
    const tally = (byEvent[event] ??= { minutes: 0, kept: 0 });
    tally.minutes++;
    eventMinutes++;
    if (!lostToCleaner) {
      tally.kept++;
      eventMinutesKept++;
    }
  }
  for (const f of faults) {
    if (!GLITCHES.has(f.fault)) continue;
    const counts = byVariable[f.variable];
    const removed = removedGlitch.has(cellKey(f.participantId, f.timeMs, f.variable));
    counts.glitches++;
    if (removed) counts.glitchesRemoved++;
    if (f.aboveFloor === true) {
      counts.glitchesAboveFloor++;
      if (removed) counts.glitchesAboveFloorRemoved++;
    }
  }
  const total = emptyCounts();
  for (const v of SENSOR_VARIABLES) for (const key of Object.keys(total) as (keyof RemovalCounts)[]) total[key] += byVariable[v][key];
  return {
    ...total,
    precision: total.removals === 0 ? 1 : total.removalsOfFaults / total.removals,
    recall: total.glitches === 0 ? 1 : total.glitchesRemoved / total.glitches,
    recallAboveFloor: total.glitchesAboveFloor === 0 ? 1 : total.glitchesAboveFloorRemoved / total.glitchesAboveFloor,
    byVariable,
    eventMinutes,
    eventMinutesKept,
    eventMinutesKeptShare: eventMinutes === 0 ? 1 : eventMinutesKept / eventMinutes,
    byEvent,
    highCells,
    highCellsInEvents,
  };
}

/**
 * Whether the value at `timeMs` jumps by more than `floor` to the nearest reported value within
 * `reachMs` on each side (false when a side has none): the size test of the glitch rule alone,
 * without its MAD or cross-channel parts, to tell the glitches the rule can see from smaller ones.
 *
 * @example jumpsAboveFloor(new Map([[0, 10], [60_000, 90], [120_000, 12]]), 60_000, 25) // true
 */
export function jumpsAboveFloor(valueAt: ReadonlyMap<number, number | null>, timeMs: number, floor: number, reachMs = 2 * MINUTE_MS): boolean {
  const x = valueAt.get(timeMs);
  if (x === undefined || x === null) return false;
  const nearest = (step: number): number | null => {
    for (let dt = step; Math.abs(dt) <= reachMs; dt += step) {
      const y = valueAt.get(timeMs + dt);
      if (y !== undefined && y !== null) return y;
    }
    return null;
  };
  const before = nearest(-MINUTE_MS);
  const after = nearest(MINUTE_MS);
  return before !== null && after !== null && Math.min(Math.abs(x - before), Math.abs(x - after)) > floor;
}
