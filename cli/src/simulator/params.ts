/**
 * Everything a simulation run depends on: the same parameters give the same bytes.
 */
import { defaultDeclarationParams, type DeclarationParams } from './declarations.js';
import { defaultEventParams, type EventParams } from './events.js';
import { defaultGpsNoiseParams, type GpsNoiseParams } from './gps.js';
import { defaultParticipantParams, type ParticipantParams } from './participants.js';
import { defaultPowerParams, type PowerParams } from './power.js';
import { defaultSensorFaultParams, type SensorFaultParams } from './sensor-faults.js';
import { defaultSensorModelParams, type SensorModelParams } from './sensor.js';
import { noSimulatorSettings, type SimulatorSettings } from './settings.js';

export interface SimulationParams {
  readonly participants: number;
  readonly days: number;
  /** Any integer; each participant and concern gets its own stream derived from it. */
  readonly seed: number;
  /** First local day, YYYY-MM-DD (2026-01-05 is a Monday). */
  readonly startDate: string;
  /** IANA zone of the participants' routines. */
  readonly timeZone: string;
  /** GPS fixes per second (1 = every second, 0.2 = every 5 s). */
  readonly gpsRateHz: number;
  readonly participant: ParticipantParams;
  readonly power: PowerParams;
  readonly events: EventParams;
  readonly declarations: DeclarationParams;
  readonly sensor: SensorModelParams;
  readonly faults: SensorFaultParams;
  readonly gps: GpsNoiseParams;
  /** Optional realism (kit bias, lag, daily background, summer, roads, rail); all off by default. */
  readonly settings: SimulatorSettings;
}

export const defaultSimulationParams: SimulationParams = Object.freeze({
  participants: 3,
  days: 1,
  seed: 1,
  startDate: '2026-01-05',
  timeZone: 'Europe/Paris',
  gpsRateHz: 1,
  participant: defaultParticipantParams,
  power: defaultPowerParams,
  events: defaultEventParams,
  declarations: defaultDeclarationParams,
  sensor: defaultSensorModelParams,
  faults: defaultSensorFaultParams,
  gps: defaultGpsNoiseParams,
  settings: noSimulatorSettings,
});

/** Throws a RangeError naming the bad parameter (programmer or user error, before any work). */
export function validateSimulationParams(p: SimulationParams): void {
  const check = (ok: boolean, name: string, why: string): void => {
    if (!ok) throw new RangeError(`${name}: ${why}`);
  };
  check(Number.isInteger(p.participants) && p.participants >= 1, 'participants', 'must be an integer ≥ 1');
  check(Number.isInteger(p.days) && p.days >= 1, 'days', 'must be an integer ≥ 1');
  check(Number.isInteger(p.seed), 'seed', 'must be an integer');
  check(/^\d{4}-\d{2}-\d{2}$/.test(p.startDate) && !Number.isNaN(Date.parse(`${p.startDate}T00:00:00Z`)), 'startDate', 'must be a date YYYY-MM-DD');
  check(Number.isFinite(p.gpsRateHz) && p.gpsRateHz > 0 && p.gpsRateHz <= 10, 'gpsRateHz', 'must be in (0, 10]');
  try {
    new Intl.DateTimeFormat('en', { timeZone: p.timeZone });
  } catch {
    check(false, 'timeZone', `unknown time zone "${p.timeZone}"`);
  }
}
