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

export type EventName = 'Cuisine' | 'Tabac' | 'Fenêtre ouverte' | 'Bougie' | 'Panache' | 'Tunnel' | 'Quai';

export interface EventEffectRanges {
  /** Multiplies PM1, PM2.5 and PM10. */
  readonly pmFactor: ValueRange;
  readonly bcFactor: ValueRange;
  /** Added to NO2 (gas hobs, exhaust, street air through the window), ppb. */
  readonly no2AddPpb: ValueRange;
  readonly temperatureAddC: ValueRange;
  readonly humidityAddPct: ValueRange;
  readonly durationMin: readonly [min: number, max: number];
  /** Where the event can happen. */
  readonly where: readonly CanonicalLabel[];
  /** The volunteer notes it on the tablet (the `event` column); plumes, tunnels and platforms go unnoted. */
  readonly declared: boolean;
}

/**
 * Effects per event. Concentrations are multiplied (or raised) on top of the background and may
 * leave the micro-environment's range (cooking at 450 µg/m³, a tunnel at 60,000 ng/m³ of BC),
 * never the instruments' ({@link EVENT_CEILINGS}); temperature and humidity stay in range.
 */
export const EVENT_EFFECTS: Readonly<Record<EventName, EventEffectRanges>> = Object.freeze({
  Cuisine: { pmFactor: [3, 8], bcFactor: [1.5, 3], no2AddPpb: [5, 21], temperatureAddC: [0.5, 2], humidityAddPct: [3, 10], durationMin: [15, 45], where: ['Domicile'], declared: true },
  Tabac: { pmFactor: [2, 5], bcFactor: [1.2, 2], no2AddPpb: [0, 3], temperatureAddC: [0, 0], humidityAddPct: [0, 0], durationMin: [5, 10], where: ['Domicile', 'Walk', 'Parc'], declared: true },
  'Fenêtre ouverte': { pmFactor: [0.8, 1.3], bcFactor: [1.2, 2], no2AddPpb: [5, 16], temperatureAddC: [-4, -1.5], humidityAddPct: [3, 10], durationMin: [15, 60], where: ['Domicile'], declared: true },
  // Candles and incense: soot and fine particles for an evening hour.
  Bougie: { pmFactor: [1.5, 4], bcFactor: [1.5, 3], no2AddPpb: [0, 3], temperatureAddC: [0, 0.5], humidityAddPct: [0, 0], durationMin: [30, 90], where: ['Domicile'], declared: true },
  // A passing bus or truck: one or two minutes of exhaust, PM, BC and NO2 together.
  Panache: { pmFactor: [2, 5], bcFactor: [3, 10], no2AddPpb: [10, 50], temperatureAddC: [0, 0], humidityAddPct: [0, 0], durationMin: [1, 2], where: ['Walk', 'Running', 'Vélo', 'Bus', 'Voiture', 'Motorcycle'], declared: false },
  // A road tunnel: exhaust accumulates, BC far above the street's.
  Tunnel: { pmFactor: [1.5, 3], bcFactor: [4, 10], no2AddPpb: [30, 90], temperatureAddC: [0, 0], humidityAddPct: [0, 0], durationMin: [2, 8], where: ['Bus', 'Voiture', 'Motorcycle'], declared: false },
  // Waiting on a Métro platform: brake and rail dust as the trains come in.
  Quai: { pmFactor: [1.5, 3], bcFactor: [1.2, 2], no2AddPpb: [0, 5], temperatureAddC: [0, 0], humidityAddPct: [0, 0], durationMin: [2, 6], where: ['Métro'], declared: false },
});

/** Highest value an event can push a variable to: inside the instruments' ranges (docs/design.md §5.1). */
export const EVENT_CEILINGS = Object.freeze({ pm: 950, no2Ppb: 240, bc: 400_000 });

export interface EventParams {
  /** Probability of cooking at each meal when at home then. */
  readonly cookingBreakfastShare: number;
  readonly cookingLunchShare: number;
  readonly cookingDinnerShare: number;
  /** Cigarettes per day for smokers. */
  readonly cigarettesPerDay: readonly [min: number, max: number];
  /** Probability per day of airing the home. */
  readonly windowOpenShare: number;
  /** Probability per day of candles in the evening. */
  readonly candleShare: number;
  /** Per minute of a road trip (walk, bike, bus, car, motorcycle): probability that a plume starts. */
  readonly plumePerTripMinute: number;
  /** Per bus, car or motorcycle trip of at least 15 minutes: probability of a tunnel. */
  readonly tunnelPerTrip: number;
  /** Per Métro trip: probability of a dusty platform wait at its start. */
  readonly platformPerMetroTrip: number;
}

export const defaultEventParams: EventParams = Object.freeze({
  cookingBreakfastShare: 0.2,
  cookingLunchShare: 0.5,
  cookingDinnerShare: 0.75,
  cigarettesPerDay: [4, 10] as const,
  windowOpenShare: 0.35,
  candleShare: 0.1,
  plumePerTripMinute: 0.03,
  tunnelPerTrip: 0.3,
  platformPerMetroTrip: 0.7,
});

/** One event with its drawn effect, for [startMs, endMs). */
export interface PlannedEvent {
  readonly name: EventName;
  readonly startMs: number;
  readonly endMs: number;
  readonly pmFactor: number;
  readonly bcFactor: number;
  readonly no2AddPpb: number;
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
  /** Adds `name` at `startMs` when `segment` is one of its places, cut at the segment's end. */
  const addIn = (name: EventName, segment: TimelineSegment | undefined, startMs: number): void => {
    const effect = EVENT_EFFECTS[name];
    if (segment === undefined || !effect.where.includes(segment.label)) return;
    const endMs = Math.min(segment.endMs, startMs + rng.int(effect.durationMin[0], effect.durationMin[1]) * 60_000);
    events.push({
      name,
      startMs,
      endMs,
      pmFactor: rng.uniform(...effect.pmFactor),
      bcFactor: rng.uniform(...effect.bcFactor),
      no2AddPpb: rng.uniform(...effect.no2AddPpb),
      temperatureAddC: rng.uniform(...effect.temperatureAddC),
      humidityAddPct: rng.uniform(...effect.humidityAddPct),
    });
  };
  const tryAdd = (name: EventName, date: string, localMin: number): void => {
    const startMs = localTimeToUtcMs(timeZone, date, localMin);
    addIn(name, segmentAt(segments, startMs), startMs);
  };
  for (const day of days) {
    if (rng.chance(params.cookingBreakfastShare)) tryAdd('Cuisine', day.date, rng.int(6 * 60 + 30, 9 * 60));
    if (rng.chance(params.cookingLunchShare)) tryAdd('Cuisine', day.date, rng.int(11 * 60 + 45, 13 * 60));
    if (rng.chance(params.cookingDinnerShare)) tryAdd('Cuisine', day.date, rng.int(18 * 60 + 45, 20 * 60 + 45));
    if (rng.chance(params.windowOpenShare)) {
      tryAdd('Fenêtre ouverte', day.date, rng.chance(0.6) ? rng.int(7 * 60, 10 * 60) : rng.int(18 * 60, 21 * 60));
    }
    if (rng.chance(params.candleShare)) tryAdd('Bougie', day.date, rng.int(19 * 60, 22 * 60));
    if (profile.smoker) {
      const n = rng.int(params.cigarettesPerDay[0], params.cigarettesPerDay[1]);
      for (let i = 0; i < n; i++) tryAdd('Tabac', day.date, rng.int(8 * 60, 23 * 60));
    }
  }
  for (const segment of segments) {
    if (segment.isStop) continue;
    const minutes = Math.round((segment.endMs - segment.startMs) / 60_000);
    if (segment.label === 'Métro') {
      if (rng.chance(params.platformPerMetroTrip)) addIn('Quai', segment, segment.startMs);
      continue;
    }
    if (EVENT_EFFECTS.Tunnel.where.includes(segment.label) && minutes >= 15 && rng.chance(params.tunnelPerTrip)) {
      addIn('Tunnel', segment, segment.startMs + rng.int(2, minutes - 10) * 60_000);
    }
    if (!EVENT_EFFECTS.Panache.where.includes(segment.label)) continue;
    for (let m = 1; m < minutes - 1; m++) if (rng.chance(params.plumePerTripMinute)) addIn('Panache', segment, segment.startMs + m * 60_000);
  }
  return events.sort((a, b) => a.startMs - b.startMs);
}
