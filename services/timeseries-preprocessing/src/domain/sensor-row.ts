/**
 * The 1-minute sensor row of one participant (docs/design.md §3.1) and its cleaned form (§5.1).
 * Measurements are `null` when missing, never 0.
 */

/** The measured variables, in the order the kit reports them. */
import { SENSOR_VARIABLES, type SensorVariable } from '@polluscope/common/domain';

export { SENSOR_VARIABLES, type SensorVariable };

/** One raw sensor minute of one participant. Units: PM µg/m³, NO2 ppb, BC ng/m³, °C, %. */
export interface SensorRow {
  readonly timeMs: number;
  readonly pm1: number | null;
  readonly pm25: number | null;
  readonly pm10: number | null;
  readonly no2: number | null;
  readonly bc: number | null;
  readonly temperature: number | null;
  readonly humidity: number | null;
  /** The activity the volunteer declared at this minute, as recorded. */
  readonly activity: string | null;
  readonly event: string | null;
}

/** Why a value was removed: outside the instrument's range, NO2 warm-up, or one-channel glitch. */
export type RemovalReason = 'range' | 'warmup' | 'spike';

/** Why a value was kept but marked: a high but real concentration, or humidity clipped to 100 %. */
export type KeptValueFlag = 'high' | 'clipped';

/** Every flag a value can carry in `qualityFlags`. */
export type QualityFlag = RemovalReason | KeptValueFlag;

/** A cleaned minute: cleaned values, one imputation flag per variable, removal flags, declared activity. */
export interface CleanSensorRow {
  readonly timeMs: number;
  readonly pm1: number | null;
  readonly pm25: number | null;
  readonly pm10: number | null;
  readonly no2: number | null;
  readonly bc: number | null;
  readonly temperature: number | null;
  readonly humidity: number | null;
  readonly imputed_pm1: boolean;
  readonly imputed_pm25: boolean;
  readonly imputed_pm10: boolean;
  readonly imputed_no2: boolean;
  readonly imputed_bc: boolean;
  readonly imputed_temperature: boolean;
  readonly imputed_humidity: boolean;
  /**
   * Flagged values as `variable:flag` joined by `;`, e.g. `no2:warmup;pm25:high`; empty when none.
   * `range`, `warmup` and `spike` mean the value was removed; `high` and `clipped` that it was kept.
   */
  readonly qualityFlags: string;
  readonly activity: string | null;
  readonly event: string | null;
}

export const MINUTE_MS = 60_000;
