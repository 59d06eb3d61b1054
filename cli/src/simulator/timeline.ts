/**
 * A participant's whole simulated period as UTC segments: each local day planned by the
 * routine, converted through the time zone, with the night at home merged across midnight.
 */
import type { CanonicalLabel } from '@polluscope/common/domain';
import type { LatLon } from './geo.js';
import type { ParticipantProfile } from './participants.js';
import type { Random } from './random.js';
import { MINUTES_PER_DAY, planDay } from './routine.js';
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
): TimelineSegment[] {
  const segments: TimelineSegment[] = [];
  for (const day of days) {
    const legs = planDay(profile, { weekday: day.weekday, workFromHome: rng.chance(workFromHomeShare) }, rng);
    for (const leg of legs) {
      const startMs = leg.startMin === 0 ? day.startMs : localTimeToUtcMs(timeZone, day.date, leg.startMin);
      const endMs = leg.endMin === MINUTES_PER_DAY ? day.endMs : localTimeToUtcMs(timeZone, day.date, leg.endMin);
      if (endMs <= startMs) continue; // swallowed by a daylight-saving jump
      const last = segments[segments.length - 1];
      if (last !== undefined && last.isStop && leg.isStop && last.label === leg.label && last.path[0] === leg.path[0] && last.endMs === startMs) {
        segments[segments.length - 1] = { ...last, endMs };
      } else {
        segments.push({ label: leg.label, startMs, endMs, path: leg.path, isStop: leg.isStop });
      }
    }
  }
  return segments;
}
