import { defaultRasterGridParams } from '@polluscope/gps-preprocessing/domain';
import { shapeExposure, shapeFixes, shapeSensorMinutes, shapeStops, shapeTimeline, summariseDataQuality, summariseGpsQuality } from './shape-participant-day.js';
import type { DroppedFixesRow, ExposureRowInput, FixRow, SensorMinuteRow, StopRow, TimelineRow } from './shape-participant-day.js';
import type { ParticipantDay } from './types.js';

export interface ParticipantDayInput {
  readonly participant: string;
  readonly day: string;
  readonly timeZone: string;
  readonly dayStart: Date;
  readonly dayEnd: Date;
  readonly minutes: readonly SensorMinuteRow[];
  readonly timeline: readonly TimelineRow[];
  readonly fixes: readonly FixRow[];
  /** The day's dropped fixes by reason; absent: not read, the panel says so. */
  readonly dropped?: readonly DroppedFixesRow[];
  readonly stops: readonly StopRow[];
  readonly exposure: readonly ExposureRowInput[];
  /** The participant's days with data; absent: this one only. */
  readonly days?: readonly string[];
}

/** A participant-day's rows → the day view; the map's grid is the study area's (gps-preprocessing). */
export function buildParticipantDay(input: ParticipantDayInput): ParticipantDay {
  const minutes = shapeSensorMinutes(input.minutes);
  const segments = shapeTimeline(input.timeline);
  const fixes = shapeFixes(input.fixes, segments);
  return {
    participant: input.participant,
    day: input.day,
    timeZone: input.timeZone,
    dayStartMs: input.dayStart.getTime(),
    dayEndMs: input.dayEnd.getTime(),
    minutes,
    segments,
    fixes,
    stops: shapeStops(input.stops),
    exposure: shapeExposure(input.exposure),
    quality: summariseDataQuality(minutes, summariseGpsQuality(fixes, input.dropped ?? null)),
    grid: { ...defaultRasterGridParams },
    participantDays: input.days ?? [input.day],
  };
}
