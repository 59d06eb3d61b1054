import { SENSOR_VARIABLES, type SensorVariable } from '../sensor-row.js';
import { removeValue, type SensorColumns } from './columns.js';

/** Inclusive valid range of each variable, in its own unit (°C, %, µg/m³, ng/m³). */
export interface RangeFilterParams {
  readonly ranges: Readonly<Record<SensorVariable, { readonly min: number; readonly max: number }>>;
}

/** DESIGN.md §5.1 step 1. */
export const defaultRangeFilterParams: RangeFilterParams = Object.freeze({
  ranges: Object.freeze({
    temperature: { min: -20, max: 50 },
    humidity: { min: 0, max: 120 },
    no2: { min: 0, max: 250 },
    bc: { min: -1500, max: 50_000 },
    pm1: { min: 0, max: 300 },
    pm25: { min: 0, max: 300 },
    pm10: { min: 0, max: 300 },
  }),
});

/**
 * Range filter: a value outside its inclusive range becomes null, flagged `range`. Mutates the columns.
 *
 * @example applyRangeFilter(toColumns([{ ..., temperature: 61 }])) // temperature → null, removed 'range'
 */
export function applyRangeFilter(columns: SensorColumns, params: RangeFilterParams = defaultRangeFilterParams): void {
  const n = columns.timesMs.length;
  for (const v of SENSOR_VARIABLES) {
    const { min, max } = params.ranges[v];
    const values = columns.values[v];
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (x < min || x > max) removeValue(columns, v, i, 'range');
    }
  }
}
