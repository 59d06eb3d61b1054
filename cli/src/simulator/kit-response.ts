/**
 * What the kit makes of the air: a per-kit gain per pollutant (calibration bias) and a
 * first-order lag (the reading moves towards the air's value by 1 − e^(−1/τ) each minute),
 * both optional settings (settings.ts). Applied to clean values, before faults.
 */
import type { SensorValues } from './sensor.js';
import type { KitBiasParams, SensorLagParams } from './settings.js';
import type { Random } from './random.js';

export interface KitGains {
  readonly pm: number;
  readonly no2: number;
  readonly bc: number;
}

/** Draws one kit's gains: PM1, PM2.5 and PM10 share the optical sensor's gain. */
export function drawKitGains(params: KitBiasParams, rng: Random): KitGains {
  return { pm: rng.uniform(...params.gain), no2: rng.uniform(...params.gain), bc: rng.uniform(...params.gain) };
}

/**
 * Share of the gap between the reading and the air closed in one minute for time constant `tauMin`.
 *
 * @example lagAlpha(1) // 0.632 (1 − e^−1)
 */
export function lagAlpha(tauMin: number): number {
  return 1 - Math.exp(-1 / tauMin);
}

/** One minute of a first-order lag: `previous` moves a share `alpha` of the way to `target`. */
export function lagStep(previous: number, target: number, alpha: number): number {
  return previous + alpha * (target - previous);
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

const VARIABLES = ['pm1', 'pm25', 'pm10', 'no2', 'bc', 'temperature', 'humidity'] as const;

/** One kit's response; call `read` with increasing minutes; a gap of more than a minute restarts the lag. */
export class KitResponse {
  private readonly gains: KitGains | null;
  private readonly alpha: number | null;
  private state: Record<(typeof VARIABLES)[number], number> | null = null;
  private lastMs = Number.NEGATIVE_INFINITY;

  constructor(bias: KitBiasParams | null, lag: SensorLagParams | null, rng: Random) {
    this.gains = bias === null ? null : drawKitGains(bias, rng);
    this.alpha = lag === null ? null : lagAlpha(rng.uniform(...lag.timeConstantMin));
  }

  /** The reading of minute `timeMs` when the air has `air` (rounded as the kit reports). */
  read(air: SensorValues, timeMs: number): SensorValues {
    let v: SensorValues = air;
    if (this.alpha !== null) {
      // After the kit was off its reading starts at the air's value (the next session is new).
      if (this.state === null || timeMs - this.lastMs > 60_000) this.state = { ...air };
      else for (const k of VARIABLES) this.state[k] = lagStep(this.state[k], air[k], this.alpha);
      this.lastMs = timeMs;
      v = { ...this.state };
    }
    const g = this.gains;
    return {
      pm1: round(v.pm1 * (g?.pm ?? 1), 1),
      pm25: round(v.pm25 * (g?.pm ?? 1), 1),
      pm10: round(v.pm10 * (g?.pm ?? 1), 1),
      no2: round(v.no2 * (g?.no2 ?? 1), 1),
      bc: Math.round(v.bc * (g?.bc ?? 1)),
      temperature: round(v.temperature, 1),
      humidity: round(v.humidity, 1),
    };
  }
}
