/**
 * Point events the volunteer notes on the tablet ("Cuisine", "Tabac", "Fenêtre ouverte") and
 * what they do to the air around the kit while they last.
 */
import type { CanonicalLabel } from '@polluscope/common/domain';
import type { ValueRange } from './environments.js';
import type { ParticipantProfile } from './participants.js';
import type { Random } from './random.js';
import type { SimulatedDay, TimelineSegment } from './timeline.js';
import { localTimeToUtcMs } from './time-zone.js';

export type EventName = 'Cuisine' | 'Tabac' | 'Fenêtre ouverte';

export interface EventEffectRanges {
  /** Multiplies PM1, PM2.5 and PM10. */
  readonly pmFactor: ValueRange;
  readonly bcFactor: ValueRange;
  /** Added to NO2 (gas hobs, street air through the window), µg/m³. */
  readonly no2AddUgm3: ValueRange;
  readonly temperatureAddC: ValueRange;
  readonly humidityAddPct: ValueRange;
  readonly durationMin: readonly [min: number, max: number];
  /** Where the event can happen. */
  readonly where: readonly CanonicalLabel[];
}

/** Effects per event; results are still clamped to the micro-environment's range. */
export const EVENT_EFFECTS: Readonly<Record<EventName, EventEffectRanges>> = Object.freeze({
  Cuisine: { pmFactor: [3, 8], bcFactor: [1.5, 3], no2AddUgm3: [10, 40], temperatureAddC: [0.5, 2], humidityAddPct: [3, 10], durationMin: [15, 45], where: ['Domicile'] },
  Tabac: { pmFactor: [2, 5], bcFactor: [1.2, 2], no2AddUgm3: [0, 5], temperatureAddC: [0, 0], humidityAddPct: [0, 0], durationMin: [5, 10], where: ['Domicile', 'Walk', 'Parc'] },
  'Fenêtre ouverte': { pmFactor: [0.8, 1.3], bcFactor: [1.2, 2], no2AddUgm3: [10, 30], temperatureAddC: [-4, -1.5], humidityAddPct: [3, 10], durationMin: [15, 60], where: ['Domicile'] },
});

export interface EventParams {
  /** Probability of cooking at each meal when at home then. */
  readonly cookingBreakfastShare: number;
  readonly cookingLunchShare: number;
  readonly cookingDinnerShare: number;
  /** Cigarettes per day for smokers. */
  readonly cigarettesPerDay: readonly [min: number, max: number];
  /** Probability per day of airing the home. */
  readonly windowOpenShare: number;
}

export const defaultEventParams: EventParams = Object.freeze({
  cookingBreakfastShare: 0.2,
  cookingLunchShare: 0.5,
  cookingDinnerShare: 0.75,
  cigarettesPerDay: [4, 10] as const,
  windowOpenShare: 0.35,
});

/** One event with its drawn effect, for [startMs, endMs). */
export interface PlannedEvent {
  readonly name: EventName;
  readonly startMs: number;
  readonly endMs: number;
  readonly pmFactor: number;
  readonly bcFactor: number;
  readonly no2AddUgm3: number;
  readonly temperatureAddC: number;
  readonly humidityAddPct: number;
}

/** The segment containing `timeMs` (binary search), or undefined outside the timeline. */
export function segmentAt(segments: readonly TimelineSegment[], timeMs: number): TimelineSegment | undefined {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid] as TimelineSegment;
    if (timeMs < s.startMs) hi = mid - 1;
    else if (timeMs >= s.endMs) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** Plans events over the timeline; sorted by start. */
export function planEvents(
  profile: ParticipantProfile,
  segments: readonly TimelineSegment[],
  days: readonly SimulatedDay[],
  timeZone: string,
  params: EventParams,
  rng: Random,
): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const tryAdd = (name: EventName, date: string, localMin: number): void => {
    const effect = EVENT_EFFECTS[name];
    const startMs = localTimeToUtcMs(timeZone, date, localMin);
    const segment = segmentAt(segments, startMs);
    if (segment === undefined || !effect.where.includes(segment.label)) return;
    const endMs = Math.min(segment.endMs, startMs + rng.int(effect.durationMin[0], effect.durationMin[1]) * 60_000);
    events.push({
      name,
      startMs,
      endMs,
      pmFactor: rng.uniform(...effect.pmFactor),
      bcFactor: rng.uniform(...effect.bcFactor),
      no2AddUgm3: rng.uniform(...effect.no2AddUgm3),
      temperatureAddC: rng.uniform(...effect.temperatureAddC),
      humidityAddPct: rng.uniform(...effect.humidityAddPct),
    });
  };
  for (const day of days) {
    if (rng.chance(params.cookingBreakfastShare)) tryAdd('Cuisine', day.date, rng.int(6 * 60 + 30, 9 * 60));
    if (rng.chance(params.cookingLunchShare)) tryAdd('Cuisine', day.date, rng.int(11 * 60 + 45, 13 * 60));
    if (rng.chance(params.cookingDinnerShare)) tryAdd('Cuisine', day.date, rng.int(18 * 60 + 45, 20 * 60 + 45));
    if (rng.chance(params.windowOpenShare)) {
      tryAdd('Fenêtre ouverte', day.date, rng.chance(0.6) ? rng.int(7 * 60, 10 * 60) : rng.int(18 * 60, 21 * 60));
    }
    if (profile.smoker) {
      const n = rng.int(params.cigarettesPerDay[0], params.cigarettesPerDay[1]);
      for (let i = 0; i < n; i++) tryAdd('Tabac', day.date, rng.int(8 * 60, 23 * 60));
    }
  }
  return events.sort((a, b) => a.startMs - b.startMs);
}
