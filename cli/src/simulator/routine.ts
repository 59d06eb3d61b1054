/**
 * A participant's day as local-time legs: stays at places and trips between them, from local
 * midnight to the next, always starting and ending at home.
 */
import type { CanonicalLabel } from '@polluscope/common/domain';
import { distanceM, lerp, offsetM, PARIS_BOUNDS, type LatLon } from './geo.js';
import type { ParticipantProfile } from './participants.js';
import { deriveSeed, type Random } from './random.js';
import { insideParis, type RailParams, type RoadParams, type SummerParams } from './settings.js';
import { MODE_MOTION, type ModeMotion, type MoveMode } from './speeds.js';

export const MINUTES_PER_DAY = 1440;

/** One leg of a day in local minutes after midnight: a stay (one-point path) or a trip. */
export interface PlannedLeg {
  readonly label: CanonicalLabel;
  readonly startMin: number;
  readonly endMin: number;
  /** A stay's place, or a trip's polyline from origin to destination. */
  readonly path: readonly LatLon[];
  readonly isStop: boolean;
  /** Settings only: a speed profile other than the mode's, another micro-environment's air, no GPS. */
  readonly motion?: ModeMotion;
  readonly air?: CanonicalLabel;
  readonly underground?: boolean;
}

export interface DayContext {
  readonly weekday: number; // 0 = Sunday
  readonly workFromHome: boolean;
  /** A summer holiday: planned as a weekend day. */
  readonly holiday?: boolean;
}

/** The settings (settings.ts) that change the routine; all null by default. */
export interface RoutineSettings {
  readonly summer: SummerParams | null;
  readonly roads: RoadParams | null;
  readonly rail: RailParams | null;
}

export const noRoutineSettings: RoutineSettings = Object.freeze({ summer: null, roads: null, rail: null });

/** Local minutes of the road peaks (07:00–10:00, 16:30–19:30). */
const isPeak = (localMin: number): boolean => (localMin >= 7 * 60 && localMin < 10 * 60) || (localMin >= 16 * 60 + 30 && localMin < 19 * 60 + 30);

/**
 * Where along `a` → `b` (0…1, 20 m steps at most 200) the straight line first enters Paris
 * intra-muros; 1 when it never does, 0 when `a` is inside.
 *
 * @example parisEntryFraction(versailles, chatelet) // ≈ 0.6
 */
export function parisEntryFraction(a: LatLon, b: LatLon): number {
  const steps = Math.min(200, Math.max(1, Math.ceil(distanceM(a, b) / 20)));
  for (let i = 0; i <= steps; i++) if (insideParis(lerp(a, b, i / steps))) return i / steps;
  return 1;
}

/** A person's lasting choice with probability `share`, from their kit id (no random draw: the default streams stay as they were). */
export function personChoice(kitId: number, salt: number, share: number): boolean {
  return deriveSeed(kitId, salt) / 4294967296 < share;
}

/** Slightly wiggly polyline: 1–3 intermediate points pushed sideways by up to 8 % of the distance. */
export function wigglyPath(from: LatLon, to: LatLon, rng: Random): LatLon[] {
  const d = distanceM(from, to);
  const n = d < 300 ? 0 : rng.int(1, 3);
  const path: LatLon[] = [from];
  const east = (to.lon - from.lon) * 73_000; // rough metres, only the direction matters
  const north = (to.lat - from.lat) * 111_320;
  const norm = Math.hypot(east, north) || 1;
  for (let i = 1; i <= n; i++) {
    const side = rng.uniform(-0.08, 0.08) * Math.min(d, 6000);
    const base = lerp(from, to, i / (n + 1));
    path.push(offsetM(base, (-north / norm) * side, (east / norm) * side));
  }
  path.push(to);
  return path;
}

function pathLengthM(path: readonly LatLon[]): number {
  let total = 0;
  for (let i = 1; i < path.length; i++) total += distanceM(path[i - 1] as LatLon, path[i] as LatLon);
  return total;
}

/** Builds a day leg by leg; the cursor is the current local minute. */
export class DayBuilder {
  readonly legs: PlannedLeg[] = [];
  cursor = 0;
  here: LatLon;

  constructor(
    readonly profile: ParticipantProfile,
    private readonly rng: Random,
    readonly settings: RoutineSettings = noRoutineSettings,
  ) {
    this.here = profile.home;
  }

  /** Stays at the current place until `untilMin` (no-op when already past it). */
  stayUntil(label: CanonicalLabel, untilMin: number): void {
    const end = Math.min(MINUTES_PER_DAY, Math.round(untilMin));
    if (end <= this.cursor) return;
    const last = this.legs[this.legs.length - 1];
    if (last !== undefined && last.isStop && last.label === label && last.path[0] === this.here) {
      this.legs[this.legs.length - 1] = { ...last, endMin: end };
    } else {
      this.legs.push({ label, startMin: this.cursor, endMin: end, path: [this.here], isStop: true });
    }
    this.cursor = end;
  }

  stayFor(label: CanonicalLabel, minutes: number): void {
    this.stayUntil(label, this.cursor + Math.max(1, minutes));
  }

  /**
   * One single-mode trip; its duration is the path length over a speed drawn for the mode (or
   * for `special`'s motion, kept on the leg with its air and GPS loss).
   */
  trip(mode: MoveMode, to: LatLon, path?: readonly LatLon[], special?: { motion: ModeMotion; air?: CanonicalLabel; underground?: boolean }): void {
    const roads = this.settings.roads;
    if (special === undefined && path === undefined && roads !== null) {
      if (mode === 'Voiture' && distanceM(this.here, to) > roads.minFastRoadTripM) return this.carTrip(to, roads);
      if (mode === 'Bus') special = { motion: roads.bus };
    }
    const motion = special?.motion ?? MODE_MOTION[mode];
    const route = path ?? wigglyPath(this.here, to, this.rng);
    const minutes = Math.max(1, Math.round(pathLengthM(route) / this.rng.uniform(...motion.speedMps) / 60));
    const end = Math.min(MINUTES_PER_DAY - 1, this.cursor + minutes);
    if (end > this.cursor) {
      const leg: PlannedLeg = { label: mode, startMin: this.cursor, endMin: end, path: route, isStop: false };
      this.legs.push(special === undefined ? leg : { ...leg, ...special });
      this.cursor = end;
    }
    this.here = to;
  }

  /** A car trip on a fast road (the ring road inside the inner area, a motorway otherwise) between two street legs. */
  private carTrip(to: LatLon, roads: RoadParams): void {
    const from = this.here;
    const d = distanceM(from, to);
    const onRamp = lerp(from, to, Math.min(0.3, this.rng.uniform(...roads.streetLegM) / d));
    const offRamp = lerp(to, from, Math.min(0.3, this.rng.uniform(...roads.streetLegM) / d));
    const inner = (p: LatLon) => p.lat >= PARIS_BOUNDS.latMin && p.lat <= PARIS_BOUNDS.latMax && p.lon >= PARIS_BOUNDS.lonMin && p.lon <= PARIS_BOUNDS.lonMax;
    const road = inner(from) && inner(to) ? roads.ringRoad : roads.motorway;
    this.trip('Voiture', onRamp, [from, onRamp], { motion: MODE_MOTION.Voiture });
    const congested = this.rng.chance(isPeak(this.cursor) ? roads.congestedPeakShare : roads.congestedOffPeakShare);
    this.trip('Voiture', offRamp, [onRamp, offRamp], { motion: congested ? road.congested : road.free });
    this.trip('Voiture', to, [offRamp, to], { motion: MODE_MOTION.Voiture });
  }

  /** The RER from here to `to`: on the surface outside Paris, underground inside (no GPS, the Métro's air). */
  rer(to: LatLon, rail: RailParams): void {
    const from = this.here;
    const underground = { motion: rail.rerUnderground, air: 'Métro' as CanonicalLabel, underground: true };
    if (insideParis(from)) {
      // Leaving Paris: underground to the boundary, then the surface.
      const exit = 1 - parisEntryFraction(to, from);
      const boundary = lerp(from, to, exit);
      if (exit > 0) this.trip('Train', boundary, [from, boundary], underground);
      if (exit < 1) this.trip('Train', to, [boundary, to], { motion: rail.rerSurface });
      this.here = to;
      return;
    }
    const entry = parisEntryFraction(from, to);
    const boundary = lerp(from, to, entry);
    if (entry > 0) this.trip('Train', boundary, [from, boundary], { motion: rail.rerSurface });
    if (entry < 1) this.trip('Train', to, [boundary, to], underground);
    this.here = to;
  }

  /** Door to door by RER: walk to a station, ride, walk from a station. */
  rerTransit(to: LatLon, rail: RailParams): void {
    const d = distanceM(this.here, to);
    const board = lerp(this.here, to, this.rng.uniform(300, 900) / d);
    const alight = lerp(to, this.here, this.rng.uniform(300, 900) / d);
    this.trip('Walk', board);
    this.rer(alight, rail);
    this.trip('Walk', to);
  }

  /** Door to door with public transport: walk to a station, ride, walk from a station. */
  transit(mode: 'Métro' | 'Bus', to: LatLon): void {
    const d = distanceM(this.here, to);
    if (d < 1500) return this.trip('Walk', to);
    const accessM = mode === 'Métro' ? [250, 700] as const : [80, 350] as const;
    const board = lerp(this.here, to, this.rng.uniform(accessM[0], accessM[1]) / d);
    const alight = lerp(to, this.here, this.rng.uniform(accessM[0], accessM[1]) / d);
    this.trip('Walk', board);
    this.trip(mode, alight);
    this.trip('Walk', to);
  }

  /** Travels to `to` the way this participant would for a trip that is not the commute. */
  go(to: LatLon): void {
    const d = distanceM(this.here, to);
    const p = this.profile;
    if (d < 1200) return this.trip('Walk', to);
    if (p.cyclist && d < 8000) return this.trip('Vélo', to);
    if (p.carOwner && (d > 6000 || this.rng.chance(0.4))) return this.trip('Voiture', to);
    if (p.commuteMode === 'Motorcycle') return this.trip('Motorcycle', to);
    return this.transit(d < 4000 && this.rng.chance(0.5) ? 'Bus' : 'Métro', to);
  }

  /** The commute between home and office, in either direction. */
  commute(to: LatLon): void {
    const p = this.profile;
    const toOffice = to === p.office;
    const rail = this.settings.rail;
    if (rail !== null && p.commuteMode === 'Métro' && distanceM(p.home, p.office) >= rail.minRerCommuteM && personChoice(p.kitId, 0x4e4, rail.rerShare)) {
      return this.rerTransit(to, rail);
    }
    if (rail !== null && p.commuteMode === 'Train') return this.railCommute(to, toOffice, rail);
    switch (p.commuteMode) {
      case 'Métro':
      case 'Bus':
        return this.transit(p.commuteMode, to);
      case 'Train':
        if (toOffice) {
          this.trip('Walk', p.homeStation);
          this.stayFor('Gare', this.rng.int(4, 12));
          this.trip('Train', p.terminus);
          this.transit('Métro', to);
        } else {
          this.transit('Métro', p.terminus);
          this.stayFor('Gare', this.rng.int(5, 15));
          this.trip('Train', p.homeStation);
          this.trip('Walk', to);
        }
        return;
      default:
        return this.trip(p.commuteMode, to);
    }
  }

  /** A suburban rail commute with the rail setting: the RER through Paris, or a Transilien to a terminus and the Métro. */
  private railCommute(to: LatLon, toOffice: boolean, rail: RailParams): void {
    const p = this.profile;
    const transilien = { motion: rail.transilien };
    if (personChoice(p.kitId, 0x7e4, rail.suburbanRerShare)) {
      if (toOffice) {
        this.trip('Walk', p.homeStation);
        this.stayFor('Gare', this.rng.int(4, 12));
        const alight = lerp(to, this.here, Math.min(0.5, this.rng.uniform(300, 900) / Math.max(1, distanceM(this.here, to))));
        this.rer(alight, rail);
        this.trip('Walk', to);
      } else {
        const board = lerp(this.here, p.homeStation, Math.min(0.5, this.rng.uniform(300, 900) / Math.max(1, distanceM(this.here, p.homeStation))));
        this.trip('Walk', board);
        this.rer(p.homeStation, rail);
        this.trip('Walk', to);
      }
      return;
    }
    if (toOffice) {
      this.trip('Walk', p.homeStation);
      this.stayFor('Gare', this.rng.int(4, 12));
      this.trip('Train', p.terminus, undefined, transilien);
      this.transit('Métro', to);
    } else {
      this.transit('Métro', p.terminus);
      this.stayFor('Gare', this.rng.int(5, 15));
      this.trip('Train', p.homeStation, undefined, transilien);
      this.trip('Walk', to);
    }
  }

  /** A loop of `minutes` running around the park. */
  runLoop(centre: LatLon, minutes: number): void {
    const radiusM = this.rng.uniform(250, 500);
    const path: LatLon[] = [];
    const laps = Math.max(1, Math.round((minutes * 60 * 3) / (2 * Math.PI * radiusM)));
    for (let i = 0; i <= 24 * laps; i++) {
      const a = (2 * Math.PI * i) / 24;
      path.push(offsetM(centre, radiusM * Math.cos(a), radiusM * Math.sin(a)));
    }
    const startAt = path[0] as LatLon;
    this.trip('Walk', startAt);
    this.trip('Running', startAt, path);
  }
}

/** An outing from home: go, stay (or run), come back. Skipped when it would end after `latestMin`. */
function outing(b: DayBuilder, rng: Random, latestMin: number): void {
  const p = b.profile;
  const kind = rng.weighted({ Magasin: 0.3, Parc: 0.25, Restaurant: 0.15, Cinéma: 0.1, Indoor: 0.2 });
  const place = kind === 'Magasin' ? rng.pick(p.shopsNearHome)
    : kind === 'Parc' ? p.park
      : kind === 'Restaurant' ? (p.restaurants[2] ?? p.home)
        : kind === 'Cinéma' ? p.cinema
          : rng.pick(p.friends);
  const stayMin = kind === 'Magasin' ? rng.int(20, 75)
    : kind === 'Parc' ? rng.int(20, 90)
      : kind === 'Restaurant' ? rng.int(50, 110)
        : kind === 'Cinéma' ? rng.int(110, 150)
          : rng.int(60, 200);
  const travelGuessMin = 2 * (distanceM(p.home, place) / 120 / 60 + 15); // conservative
  if (b.cursor + stayMin + travelGuessMin > latestMin) return;
  b.go(place);
  if (kind === 'Parc' && p.runner && rng.chance(0.5)) {
    b.runLoop(place, rng.int(20, 45));
    b.stayFor('Parc', rng.int(5, 15));
  } else {
    b.stayFor(kind, stayMin);
  }
  b.go(p.home);
}

/** A run around the park for runners: walk there, run loops, stretch, go home. */
function run(b: DayBuilder, rng: Random): void {
  const p = b.profile;
  b.go(p.park);
  b.runLoop(p.park, rng.int(20, 45));
  b.stayFor('Parc', rng.int(5, 15));
  b.go(p.home);
}

function workday(b: DayBuilder, rng: Random): void {
  const p = b.profile;
  b.stayUntil('Domicile', p.leaveMin + rng.int(-15, 15));
  b.commute(p.office);
  b.stayUntil('Bureau', rng.int(11 * 60 + 50, 13 * 60));
  const lunch = rng.weighted({ Restaurant: 0.45, Magasin: 0.2, Bureau: 0.35 });
  if (lunch !== 'Bureau') {
    const place = lunch === 'Restaurant' ? rng.pick(p.restaurants.slice(0, 2)) : rng.pick(p.shopsNearOffice);
    b.go(place);
    b.stayFor(lunch, lunch === 'Restaurant' ? rng.int(35, 75) : rng.int(15, 35));
    b.go(p.office);
  }
  b.stayUntil('Bureau', p.workEndMin + rng.int(-20, 30));
  if (rng.chance(0.12)) {
    b.go(rng.pick(p.shopsNearOffice));
    b.stayFor('Magasin', rng.int(10, 30));
  }
  b.commute(p.home);
  b.stayFor('Domicile', rng.int(20, 60));
  const summer = b.settings.summer;
  if (p.runner && b.cursor < 21 * 60 && rng.chance(0.25)) run(b, rng);
  else if (rng.chance(summer?.eveningOutingShare ?? 0.3)) outing(b, rng, summer?.latestOutingMin ?? 22 * 60 + 30);
}

function homeDay(b: DayBuilder, rng: Random, weekend: boolean): void {
  const p = b.profile;
  b.stayUntil('Domicile', weekend ? rng.int(9 * 60, 11 * 60) : p.leaveMin + rng.int(0, 60));
  if (p.runner && rng.chance(0.4)) {
    run(b, rng);
    b.stayFor('Domicile', rng.int(30, 90));
  }
  const outings = weekend ? rng.int(1, 3) : rng.int(0, 1);
  for (let i = 0; i < outings; i++) {
    outing(b, rng, b.settings.summer?.latestOutingMin ?? 22 * 60 + 45);
    b.stayFor('Domicile', rng.int(30, 120));
  }
}

/** Plans one local day; legs cover [0, 1440) without gaps and start and end at home. */
export function planDay(profile: ParticipantProfile, day: DayContext, rng: Random, settings: RoutineSettings = noRoutineSettings): PlannedLeg[] {
  const b = new DayBuilder(profile, rng, settings);
  const weekend = day.weekday === 0 || day.weekday === 6 || day.holiday === true;
  if (weekend || day.workFromHome) homeDay(b, rng, weekend);
  else workday(b, rng);
  if (b.here !== profile.home) b.go(profile.home);
  b.stayUntil('Domicile', MINUTES_PER_DAY);
  return b.legs;
}
