/**
 * Travel speeds of each move mode in Île-de-France: the average over a trip along its simulated
 * path, halts included (commercial speed), so GPS-derived speeds match the mode.
 */
import type { CanonicalLabel } from '@polluscope/common/domain';
import type { ValueRange } from './environments.js';

export type MoveMode = 'Walk' | 'Running' | 'Vélo' | 'Bus' | 'Métro' | 'Train' | 'Voiture' | 'Motorcycle';

export interface ModeMotion {
  /** Average speed of a trip, halts included, drawn per trip, in m/s. */
  readonly speedMps: ValueRange;
  /** Relative speed fluctuation (std of the AR(1) factor around 1). */
  readonly speedJitter: number;
  /** Mean seconds between full halts (bus stops, lights, stations); 0 = none. */
  readonly meanHaltIntervalS: number;
  /** Halt duration in seconds. */
  readonly haltS: ValueRange;
}

export const MODE_MOTION: Readonly<Record<MoveMode, ModeMotion>> = Object.freeze({
  Walk: { speedMps: [1.1, 1.5], speedJitter: 0.15, meanHaltIntervalS: 240, haltS: [10, 40] },
  Running: { speedMps: [2.4, 3.4], speedJitter: 0.1, meanHaltIntervalS: 0, haltS: [0, 0] },
  Vélo: { speedMps: [3.5, 5.5], speedJitter: 0.2, meanHaltIntervalS: 180, haltS: [10, 45] },
  Bus: { speedMps: [3, 6], speedJitter: 0.3, meanHaltIntervalS: 90, haltS: [15, 45] },
  Métro: { speedMps: [6, 9], speedJitter: 0.2, meanHaltIntervalS: 80, haltS: [20, 40] },
  Train: { speedMps: [12, 20], speedJitter: 0.15, meanHaltIntervalS: 300, haltS: [30, 90] },
  Voiture: { speedMps: [5, 12], speedJitter: 0.35, meanHaltIntervalS: 150, haltS: [15, 60] },
  Motorcycle: { speedMps: [7, 14], speedJitter: 0.3, meanHaltIntervalS: 200, haltS: [10, 40] },
});

export function isMoveMode(label: CanonicalLabel): label is MoveMode {
  return label in MODE_MOTION;
}
