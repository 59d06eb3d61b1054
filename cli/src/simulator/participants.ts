/**
 * Who the simulated volunteers are: where they live and work, how they commute, their habits.
 */
import { clampToGrid, distanceM, lerp, offsetM, PARIS_BOUNDS, type LatLon } from './geo.js';
import type { Random } from './random.js';
import type { MoveMode } from './speeds.js';

export interface ParticipantParams {
  /** Share of homes inside Paris and its inner suburbs; the others anywhere in the grid. */
  readonly homeInParisShare: number;
  /** Share of offices inside Paris for people living outside it. */
  readonly officeInParisShare: number;
  readonly smokerShare: number;
  readonly runnerShare: number;
  readonly cyclistShare: number;
  readonly carOwnerShare: number;
  /** Share of working days spent working from home. */
  readonly workFromHomeShare: number;
}

export const defaultParticipantParams: ParticipantParams = Object.freeze({
  homeInParisShare: 0.85,
  officeInParisShare: 0.9,
  smokerShare: 0.15,
  runnerShare: 0.25,
  cyclistShare: 0.2,
  carOwnerShare: 0.45,
  workFromHomeShare: 0.1,
});

export interface ParticipantProfile {
  readonly id: string;
  readonly kitId: number;
  readonly tabletId: number;
  readonly home: LatLon;
  readonly office: LatLon;
  readonly commuteMode: MoveMode;
  /** Train commuters' local station and the Paris terminus they arrive at. */
  readonly homeStation: LatLon;
  readonly terminus: LatLon;
  readonly restaurants: readonly LatLon[];
  readonly shopsNearOffice: readonly LatLon[];
  readonly shopsNearHome: readonly LatLon[];
  readonly park: LatLon;
  readonly cinema: LatLon;
  readonly friends: readonly LatLon[];
  /** Usual local times in minutes after midnight. */
  readonly wakeMin: number;
  readonly leaveMin: number;
  readonly workEndMin: number;
  readonly bedMin: number;
  readonly smoker: boolean;
  readonly runner: boolean;
  readonly cyclist: boolean;
  readonly carOwner: boolean;
}

/** Paris main-line termini, where train commuters arrive. */
const TERMINI: readonly LatLon[] = [
  { lat: 48.8809, lon: 2.3553 }, // Gare du Nord
  { lat: 48.8443, lon: 2.3744 }, // Gare de Lyon
  { lat: 48.8762, lon: 2.3253 }, // Saint-Lazare
  { lat: 48.8412, lon: 2.321 }, // Montparnasse
  { lat: 48.8768, lon: 2.3591 }, // Gare de l'Est
];

/** Outer limits for homes outside Paris: inside the grid with a wide margin. */
const REGION = Object.freeze({ latMin: 48.3, latMax: 49.2, lonMin: 1.6, lonMax: 3.2 });

function pointIn(box: { latMin: number; latMax: number; lonMin: number; lonMax: number }, rng: Random): LatLon {
  return { lat: rng.uniform(box.latMin, box.latMax), lon: rng.uniform(box.lonMin, box.lonMax) };
}

/** A place `minM`…`maxM` metres from `centre` in a random direction, kept inside the grid. */
export function placeNear(centre: LatLon, minM: number, maxM: number, rng: Random): LatLon {
  const r = rng.uniform(minM, maxM);
  const a = rng.uniform(0, 2 * Math.PI);
  return clampToGrid(offsetM(centre, r * Math.cos(a), r * Math.sin(a)), 2000);
}

function nearest(p: LatLon, candidates: readonly LatLon[]): LatLon {
  let best = candidates[0] ?? p;
  for (const c of candidates) if (distanceM(p, c) < distanceM(p, best)) best = c;
  return best;
}

function chooseCommute(distM: number, p: { cyclist: boolean; carOwner: boolean }, homeInParis: boolean, rng: Random): MoveMode {
  if (distM < 2500) return rng.weighted<MoveMode>({ Walk: 0.6, Vélo: p.cyclist ? 0.5 : 0.1, Métro: 0.2 });
  if (!homeInParis && distM > 15_000) {
    return rng.weighted<MoveMode>({ Train: 0.55, Voiture: p.carOwner ? 0.45 : 0.05, Motorcycle: 0.03 });
  }
  return rng.weighted<MoveMode>({
    Métro: 0.4,
    Bus: 0.15,
    Voiture: p.carOwner ? 0.25 : 0.02,
    Vélo: p.cyclist ? 0.4 : 0.03,
    Motorcycle: 0.04,
  });
}

/** Draws participant number `index` (0-based); ids `sim-001`, kits 1001…, tablets 5001…. */
export function createParticipant(index: number, params: ParticipantParams, rng: Random): ParticipantProfile {
  const homeInParis = rng.chance(params.homeInParisShare);
  const home = homeInParis ? pointIn(PARIS_BOUNDS, rng) : clampToGrid(pointIn(REGION, rng), 5000);
  const office = homeInParis || rng.chance(params.officeInParisShare)
    ? pointIn(PARIS_BOUNDS, rng)
    : placeNear(home, 1500, 8000, rng);
  const habits = {
    smoker: rng.chance(params.smokerShare),
    runner: rng.chance(params.runnerShare),
    cyclist: rng.chance(params.cyclistShare),
    carOwner: rng.chance(homeInParis ? params.carOwnerShare : 0.85),
  };
  const commuteMode = chooseCommute(distanceM(home, office), habits, homeInParis, rng);
  const terminus = nearest(lerp(home, office, 0.7), TERMINI);
  return {
    id: `sim-${String(index + 1).padStart(3, '0')}`,
    kitId: 1001 + index,
    tabletId: 5001 + index,
    home,
    office,
    commuteMode,
    homeStation: placeNear(home, 500, 1500, rng),
    terminus,
    restaurants: [placeNear(office, 150, 600, rng), placeNear(office, 200, 800, rng), placeNear(home, 300, 1500, rng)],
    shopsNearOffice: [placeNear(office, 200, 900, rng)],
    shopsNearHome: [placeNear(home, 150, 700, rng), placeNear(home, 800, 4000, rng)],
    park: placeNear(home, 300, 1500, rng),
    cinema: placeNear(home, 800, 5000, rng),
    friends: [placeNear(home, 1000, 8000, rng), placeNear(home, 2000, 15000, rng)],
    wakeMin: rng.int(6 * 60, 7 * 60 + 30),
    leaveMin: rng.int(7 * 60 + 30, 9 * 60),
    workEndMin: rng.int(16 * 60 + 45, 18 * 60 + 45),
    bedMin: rng.int(22 * 60 + 15, 23 * 60 + 45),
    ...habits,
  };
}
