/**
 * A participant's whole simulated period as UTC segments: each local day planned by the
 * routine, converted through the time zone, with the night at home merged across midnight.
 */
import type { CanonicalLabel } from '@polluscope/common/domain';
import type { LatLon } from './geo.js';
import type { ModeMotion } from './speeds.js';
import type { ParticipantProfile } from './participants.js';
import type { Random } from './random.js';
import { MINUTES_PER_DAY, noRoutineSettings, planDay, type RoutineSettings } from './routine.js';
import { addDays, localTimeToUtcMs } from './time-zone.js';

/** One local calendar day of the simulation and its UTC span. */
export interface SimulatedDay {
  readonly index: number;
  readonly date: string;
  readonly weekday: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** A true stay or trip, in UTC; boundaries fall on whole minutes. */
export interface TimelineSegment {
  readonly label: CanonicalLabel;
  readonly startMs: number;
  readonly endMs: number;
  readonly path: readonly LatLon[];
  readonly isStop: boolean;
  /** Settings only (settings.ts): the trip's speed profile when not its mode's (a motorway, the RER). */
  readonly motion?: ModeMotion;
  /** Settings only: the micro-environment whose air the trip breathes when not its label's (the RER underground: the Métro's). */
  readonly air?: CanonicalLabel;
  /** Settings only: no GPS fix during the trip (the RER underground). */
  readonly underground?: boolean;
}

/** The `count` local days from `startDate`, in `timeZone`. */
export function simulatedDays(startDate: string, count: number, timeZone: string): SimulatedDay[] {
  const days: SimulatedDay[] = [];
  for (let i = 0; i < count; i++) {
    const { date, weekday } = addDays(startDate, i);
    days.push({
      index: i,
      date,
      weekday,
      startMs: localTimeToUtcMs(timeZone, date, 0),
      endMs: localTimeToUtcMs(timeZone, date, MINUTES_PER_DAY),
    });
  }
  return days;
}

/** Plans every day and joins them into one gap-free list of segments. */
export function buildTimeline(
  profile: ParticipantProfile,
  days: readonly SimulatedDay[],
  timeZone: string,
  workFromHomeShare: number,
  rng: Random,
  routine: RoutineSettings = noRoutineSettings,
): TimelineSegment[] {
  const segments: TimelineSegment[] = [];
  for (const day of days) {
    const workFromHome = rng.chance(workFromHomeShare);
    const holiday = routine.summer !== null && rng.chance(routine.summer.holidayShare);
    const legs = planDay(profile, { weekday: day.weekday, workFromHome: workFromHome || holiday, holiday }, rng, routine);
    for (const leg of legs) {
      const startMs = leg.startMin === 0 ? day.startMs : localTimeToUtcMs(timeZone, day.date, leg.startMin);
      const endMs = leg.endMin === MINUTES_PER_DAY ? day.endMs : localTimeToUtcMs(timeZone, day.date, leg.endMin);
      if (endMs <= startMs) continue; // swallowed by a daylight-saving jump
      const last = segments[segments.length - 1];
      if (last !== undefined && last.isStop && leg.isStop && last.label === leg.label && last.path[0] === leg.path[0] && last.endMs === startMs) {
        segments[segments.length - 1] = { ...last, endMs };
      } else {
        const extra = leg.motion === undefined && leg.air === undefined && leg.underground === undefined ? {} : { motion: leg.motion, air: leg.air, underground: leg.underground };
        segments.push({ label: leg.label, startMs, endMs, path: leg.path, isStop: leg.isStop, ...extra });
      }
    }
  }
  return segments;
}
