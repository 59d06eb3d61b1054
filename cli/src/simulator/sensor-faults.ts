/**
 * Faults of a real kit injected into clean readings: dropouts (empty cells), single-minute
 * spikes, impossible values, and the NO2 sensor's warm-up after each power-on. Every injected
 * fault is reported so tests and cleaners can be scored against it.
 */
import { SENSOR_VARIABLES, type SensorVariable } from './environments.js';
import type { Random } from './random.js';
import type { SensorValues } from './sensor.js';

export type SensorFaultKind = 'dropout' | 'spike' | 'out_of_range' | 'warm_up';

export interface SensorFault {
  readonly variable: SensorVariable;
  readonly kind: SensorFaultKind;
}

export interface SensorFaultParams {
  /** Per variable and minute: probability that a dropout (run of empty cells) starts. */
  readonly dropoutStartPerMinute: number;
  /** The AE51 black-carbon monitor drops out more often (tape changes, battery). */
  readonly bcDropoutStartPerMinute: number;
  /** Dropout length in minutes, uniform. */
  readonly dropoutMinutes: readonly [min: number, max: number];
  /** Per variable and minute: probability of a one-minute spike. */
  readonly spikePerMinute: number;
  /** Per minute: probability that one variable reads an impossible value. */
  readonly outOfRangePerMinute: number;
  /** NO2 minutes of each session that read implausibly low or high. */
  readonly no2WarmUpMinutes: number;
}

export const defaultSensorFaultParams: SensorFaultParams = Object.freeze({
  dropoutStartPerMinute: 0.002,
  bcDropoutStartPerMinute: 0.005,
  dropoutMinutes: [1, 12] as const,
  spikePerMinute: 0.002,
  outOfRangePerMinute: 0.001,
  no2WarmUpMinutes: 3,
});

/** Values outside what the instruments measure (docs/design.md §5.1), one list per variable. */
export const OUT_OF_RANGE_VALUES: Readonly<Record<SensorVariable, readonly number[]>> = Object.freeze({
  pm1: [1200, 1500],
  pm25: [1200, 2000],
  pm10: [1500, 2000],
  no2: [999, 400],
  bc: [1_500_000, -2500],
  temperature: [85, -40],
  humidity: [130, 150],
});

/** Cells of one minute after fault injection: `null` is an empty cell. */
export type SensorCells = Record<SensorVariable, number | null>;

const NO_FAULTS: readonly SensorFault[] = Object.freeze([]);

/** Applies faults minute by minute, keeping dropout runs and the session's warm-up count. */
export class SensorFaultInjector {
  private readonly dropoutLeft: Record<SensorVariable, number> = {
    pm1: 0, pm25: 0, pm10: 0, no2: 0, bc: 0, temperature: 0, humidity: 0,
  };
  private sessionMinute = 0;

  constructor(
    private readonly params: SensorFaultParams,
    private readonly rng: Random,
  ) {}

  /** The kit was just switched on: the next minutes are the NO2 warm-up. */
  powerOn(): void {
    this.sessionMinute = 0;
  }

  /** Turns clean values into the cells the kit reports, and lists what was injected. */
  apply(clean: SensorValues): { cells: SensorCells; faults: readonly SensorFault[] } {
    const p = this.params;
    const rng = this.rng;
    const cells: SensorCells = { ...clean };
    let faults: SensorFault[] | null = null;
    const add = (variable: SensorVariable, kind: SensorFaultKind): void => {
      (faults ??= []).push({ variable, kind });
    };
    const warmUp = this.sessionMinute < p.no2WarmUpMinutes;
    this.sessionMinute++;
    if (warmUp) {
      // Electrochemical NO2 cells read far too low or too high before they stabilise.
      cells.no2 = rng.chance(0.5) ? Math.round(rng.uniform(0.1, 1) * 10) / 10 : Math.round(rng.uniform(140, 320) * 10) / 10;
      add('no2', 'warm_up');
    }
    for (const v of SENSOR_VARIABLES) {
      const start = v === 'bc' ? p.bcDropoutStartPerMinute : p.dropoutStartPerMinute;
      if (this.dropoutLeft[v] === 0 && rng.chance(start)) this.dropoutLeft[v] = rng.int(p.dropoutMinutes[0], p.dropoutMinutes[1]);
      if (warmUp && v === 'no2') continue;
      if (this.dropoutLeft[v] > 0) {
        this.dropoutLeft[v]--;
        cells[v] = null;
        add(v, 'dropout');
      } else if (rng.chance(p.spikePerMinute)) {
        cells[v] = spike(v, clean[v], rng);
        add(v, 'spike');
      }
    }
    if (rng.chance(p.outOfRangePerMinute)) {
      const v = rng.pick(SENSOR_VARIABLES);
      if (!(warmUp && v === 'no2') && cells[v] !== null) {
        cells[v] = rng.pick(OUT_OF_RANGE_VALUES[v]);
        add(v, 'out_of_range');
      }
    }
    return { cells, faults: faults ?? NO_FAULTS };
  }
}

/** A one-minute jump far from the neighbours: ×3…8 for concentrations, ±8…20 for weather. */
function spike(variable: SensorVariable, value: number, rng: Random): number {
  if (variable === 'temperature' || variable === 'humidity') {
    const jump = rng.uniform(8, 20) * (rng.chance(0.5) ? 1 : -1);
    // Humidity stays positive: a spike must not read as a zero, which looks like a missing value.
    const spiked = variable === 'humidity' ? Math.max(1, value + jump) : value + jump;
    return Math.round(spiked * 10) / 10;
  }
  const factor = rng.uniform(3, 8);
  return variable === 'bc' ? Math.round(value * factor) : Math.round(value * factor * 10) / 10;
}
