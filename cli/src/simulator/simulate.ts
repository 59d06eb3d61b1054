/**
 * The simulator's entry point: participants, their routines, and the records their kits and
 * tablets would produce, yielded one participant-day at a time so callers can stream.
 */
import type { CanonicalLabel } from '@polluscope/common/domain';
import { DeclarationCursor, declareSegments, type DeclarationChange } from './declarations.js';
import { EVENT_EFFECTS, planEvents, type EventName, type PlannedEvent } from './events.js';
import { GpsModel, type GpsFix } from './gps.js';
import type { SimulationParams } from './params.js';
import { validateSimulationParams } from './params.js';
import { createParticipant, type ParticipantProfile } from './participants.js';
import { PowerCursor, planPowerOff, type Interval } from './power.js';
import { deriveSeed, Random } from './random.js';
import { SensorFaultInjector, type SensorCells, type SensorFault } from './sensor-faults.js';
import { dailyBackgroundFactors } from './daily-background.js';
import { KitResponse } from './kit-response.js';
import { CleanSensorModel, type SensorAirSettings } from './sensor.js';
import { defaultSettingValues } from './settings.js';
import { buildTimeline, simulatedDays, type SimulatedDay, type TimelineSegment } from './timeline.js';
import { timeZoneOffsetMs } from './time-zone.js';

/** One sensor minute as the kit reports it (`null` = empty cell) plus what was injected. */
export interface SensorRecord extends SensorCells {
  readonly participantId: string;
  readonly kitId: number;
  readonly timeMs: number;
  /** What the volunteer declared at that minute, verbatim (aliases kept), or null. */
  readonly activity: string | null;
  readonly event: EventName | null;
  readonly faults: readonly SensorFault[];
}

/** One GPS fix as the tablet reports it, plus whether it is an injected outlier. */
export type GpsRecord = GpsFix;

export interface TruthMinute {
  readonly participantId: string;
  readonly timeMs: number;
  readonly microEnvironment: CanonicalLabel;
  readonly isStop: boolean;
}

/** A real pollution event (cooking, a plume, a tunnel, …): the cleaner must keep its minutes. */
export interface TruthEvent {
  readonly participantId: string;
  readonly name: EventName;
  /** Start inclusive, end exclusive, on whole minutes. */
  readonly startMs: number;
  readonly endMs: number;
}

export interface TruthStop {
  readonly participantId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly label: CanonicalLabel;
  readonly lat: number;
  readonly lon: number;
}

/** Everything one participant produced during one local day, each list in time order. */
export interface SimulationChunk {
  readonly participant: ParticipantProfile;
  readonly day: SimulatedDay;
  readonly sensor: readonly SensorRecord[];
  readonly gps: readonly GpsRecord[];
  readonly truthMinutes: readonly TruthMinute[];
  /** Stops that start this day (a stop spanning midnight is listed once, whole). */
  readonly truthStops: readonly TruthStop[];
  /** How the volunteer declared each segment that starts this day (kind, delay), in order. */
  readonly declarations: readonly DeclarationChange[];
  /** Events that start this day, in order of start. */
  readonly truthEvents: readonly TruthEvent[];
}

const round7 = (x: number): number => Math.round(x * 1e7) / 1e7;

/** Independent random streams per participant, so one concern's draws never shift another's. */
const STREAM = { profile: 1, timeline: 2, kit: 3, tablet: 4, events: 5, declarations: 6, sensor: 7, faults: 8, gps: 9, kitResponse: 10 } as const;

/** A participant's whole plan: who, where and when, before any record is generated. */
export interface ParticipantPlan {
  /** 0-based position in the run; seeds the participant's random streams. */
  readonly index: number;
  readonly profile: ParticipantProfile;
  readonly days: readonly SimulatedDay[];
  /** The true stays and trips, gap-free over all days. */
  readonly segments: readonly TimelineSegment[];
  readonly kitOff: readonly Interval[];
  readonly tabletOff: readonly Interval[];
  readonly events: readonly PlannedEvent[];
  /** One declaration per segment, same order. */
  readonly declarations: readonly DeclarationChange[];
}

/** Plans participant `index` (0-based) over the run's days, without generating records. */
export function planParticipant(params: SimulationParams, index: number, days: readonly SimulatedDay[]): ParticipantPlan {
  const stream = (id: number): Random => new Random(deriveSeed(params.seed, index, id));
  const profile = createParticipant(index, params.participant, stream(STREAM.profile));
  const settings = params.settings;
  const segments = buildTimeline(profile, days, params.timeZone, params.participant.workFromHomeShare, stream(STREAM.timeline), settings);
  const eventParams = settings.summer === null ? params.events : { ...params.events, windowOpenShare: settings.summer.windowOpenShare };
  return {
    index,
    profile,
    days,
    segments,
    kitOff: planPowerOff(profile, days, params.timeZone, params.power.kit, stream(STREAM.kit)),
    tabletOff: planPowerOff(profile, days, params.timeZone, params.power.tablet, stream(STREAM.tablet)),
    events: planEvents(profile, segments, days, params.timeZone, eventParams, stream(STREAM.events)),
    declarations: declareSegments(segments, params.declarations, stream(STREAM.declarations)),
  };
}

/**
 * Simulates the run participant by participant, day by day.
 *
 * @example for (const chunk of simulate({ ...defaultSimulationParams, seed: 7 })) write(chunk)
 */
export function* simulate(params: SimulationParams): Generator<SimulationChunk> {
  validateSimulationParams(params);
  const days = simulatedDays(params.startDate, params.days, params.timeZone);
  for (let index = 0; index < params.participants; index++) {
    yield* simulateParticipant(params, planParticipant(params, index, days));
  }
}

/** The chunks of one planned participant, one per simulated day. */
export function* simulateParticipant(params: SimulationParams, plan: ParticipantPlan): Generator<SimulationChunk> {
  const { profile, days, segments, events, declarations: changes } = plan;
  const stream = (id: number): Random => new Random(deriveSeed(params.seed, plan.index, id));
  const declarations = new DeclarationCursor(changes);
  const s0 = params.settings;
  const air: SensorAirSettings | null =
    s0.dailyBackground === null && s0.summer === null
      ? null
      : {
          daily: s0.dailyBackground === null ? null : dailyBackgroundFactors(s0.dailyBackground, params.seed, days.length),
          summer: s0.summer,
          exposureWeight: (s0.dailyBackground ?? defaultSettingValues.dailyBackground).exposureWeight,
        };
  const clean = new CleanSensorModel(params.sensor, events, stream(STREAM.sensor), air);
  const response = s0.kitBias === null && s0.sensorLag === null ? null : new KitResponse(s0.kitBias, s0.sensorLag, stream(STREAM.kitResponse));
  const faults = new SensorFaultInjector(params.faults, stream(STREAM.faults));
  const gps = new GpsModel(profile.id, profile.tabletId, params.gpsRateHz, params.gps, stream(STREAM.gps));
  const kit = new PowerCursor(plan.kitOff);
  const tablet = new PowerCursor(plan.tabletOff);
  const tabletOn = (t: number): boolean => tablet.isOn(t);
  const id = profile.id;

  let segmentIndex = 0;
  let eventIndex = 0;
  let kitWasOn = false;
  for (const day of days) {
    const sensor: SensorRecord[] = [];
    const truthMinutes: TruthMinute[] = [];
    const truthStops: TruthStop[] = [];
    const dayChanges: DeclarationChange[] = [];
    const gpsRecords: GpsRecord[] = [];
    while ((segments[segmentIndex] as TimelineSegment).endMs <= day.startMs) segmentIndex++;
    for (let i = segmentIndex; i < segments.length; i++) {
      const s = segments[i] as TimelineSegment;
      if (s.startMs >= day.endMs) break;
      if (s.startMs >= day.startMs) dayChanges.push(changes[i] as DeclarationChange);
      if (s.isStop && s.startMs >= day.startMs) {
        const place = s.path[0];
        if (place !== undefined) truthStops.push({ participantId: id, startMs: s.startMs, endMs: s.endMs, label: s.label, lat: round7(place.lat), lon: round7(place.lon) });
      }
      gps.fixes(s, day.startMs, day.endMs, tabletOn, gpsRecords);
      const offsetMs = timeZoneOffsetMs(params.timeZone, Math.max(s.startMs, day.startMs));
      for (let t = Math.max(s.startMs, day.startMs); t < Math.min(s.endMs, day.endMs); t += 60_000) {
        truthMinutes.push({ participantId: id, timeMs: t, microEnvironment: s.label, isStop: s.isStop });
        const activity = declarations.at(t);
        let event: EventName | null = null;
        while (eventIndex < events.length && (events[eventIndex] as PlannedEvent).startMs <= t) {
          const e = events[eventIndex] as PlannedEvent;
          if (e.startMs === t && EVENT_EFFECTS[e.name].declared) event = e.name;
          eventIndex++;
        }
        const on = kit.isOn(t);
        if (!on) {
          kitWasOn = false;
          continue;
        }
        if (!kitWasOn) faults.powerOn();
        kitWasOn = true;
        const local = new Date(t + offsetMs);
        const airValues = clean.valuesAt(s, t, local.getUTCMonth() + 1, local.getUTCHours() + local.getUTCMinutes() / 60, day.index);
        const values = response === null ? airValues : response.read(airValues, t);
        const { cells, faults: injected } = faults.apply(values);
        sensor.push({ participantId: id, kitId: profile.kitId, timeMs: t, ...cells, activity, event, faults: injected });
      }
    }
    const truthEvents = events
      .filter((e) => e.startMs >= day.startMs && e.startMs < day.endMs)
      .map((e) => ({ participantId: id, name: e.name, startMs: e.startMs, endMs: e.endMs }));
    yield { participant: profile, day, sensor, gps: gpsRecords, truthMinutes, truthStops, declarations: dayChanges, truthEvents };
  }
}
