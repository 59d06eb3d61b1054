import { SENSOR_VARIABLES, type SensorVariable } from '../sensor-row.js';
import { flagKeptValue, removeValue, type SensorColumns } from './columns.js';

/** What the instruments can measure, in each variable's unit (°C, %, µg/m³, ppb, ng/m³). */
export interface RangeFilterParams {
  /** Inclusive range the instrument can report: outside it a value is removed, flagged `range`. */
  readonly ranges: Readonly<Record<SensorVariable, { readonly min: number; readonly max: number }>>;
  /** Values above this (and within the range) are set to it and flagged `clipped`: humidity over 100 %. */
  readonly clipAbove: Readonly<Partial<Record<SensorVariable, number>>>;
  /** Values above this (and within the range) are kept and flagged `high`: cooking, smoke, tunnels. */
  readonly highAbove: Readonly<Partial<Record<SensorVariable, number>>>;
}

/**
 * docs/design.md §5.1 step 1: the instruments' limits, not a taste for "normal" air. NO2 in ppb (the
 * electrochemical cell's range); small negative BC is the aethalometer's noise and is kept;
 * humidity sensors read a little over 100 % near saturation.
 */
export const defaultRangeFilterParams: RangeFilterParams = Object.freeze({
  ranges: Object.freeze({
    temperature: { min: -20, max: 50 },
    humidity: { min: 0, max: 105 },
    no2: { min: 0, max: 250 },
    bc: { min: -1500, max: 1_000_000 },
    pm1: { min: 0, max: 1000 },
    pm25: { min: 0, max: 1000 },
    pm10: { min: 0, max: 1000 },
  }),
  clipAbove: Object.freeze({ humidity: 100 }),
  highAbove: Object.freeze({ pm1: 300, pm25: 300, pm10: 300, bc: 50_000 }),
});

/**
 * Plausibility: a value outside its inclusive range becomes null, flagged `range`; a value above
 * its clip level is set to it, flagged `clipped`; a value above its high level is kept, flagged
 * `high`. Mutates the columns.
 *
 * @example applyRangeFilter(toColumns([{ ..., temperature: 61, humidity: 102, pm25: 450 }]))
 *   // temperature → null 'range'; humidity → 100 'clipped'; pm25 stays 450 'high'
 */
export function applyRangeFilter(columns: SensorColumns, params: RangeFilterParams = defaultRangeFilterParams): void {
  const n = columns.timesMs.length;
  for (const v of SENSOR_VARIABLES) {
    const { min, max } = params.ranges[v];
    const clipAbove = params.clipAbove[v] ?? Number.POSITIVE_INFINITY;
    const highAbove = params.highAbove[v] ?? Number.POSITIVE_INFINITY;
    const values = columns.values[v];
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (x < min || x > max) removeValue(columns, v, i, 'range');
      else if (x > clipAbove) {
        values[i] = clipAbove;
        flagKeptValue(columns, v, i, 'clipped');
      } else if (x > highAbove) flagKeptValue(columns, v, i, 'high');
    }
  }
}
