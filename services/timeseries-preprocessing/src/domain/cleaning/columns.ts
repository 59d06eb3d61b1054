/**
 * Column form of a participant's series, shared by the cleaning rules: one Float64Array per
 * variable with NaN for null, and quality flags as small integer codes, so the rules run
 * without allocating per row; flags become text only when the output row is built.
 */
import { SENSOR_VARIABLES, type QualityFlag, type RemovalReason, type SensorRow, type SensorVariable } from '../sensor-row.js';

/** Flag code → flag: 0 = none, 1 = range, 2 = warmup, 3 = spike (removed); 4 = high, 5 = clipped (kept). */
export const QUALITY_FLAGS: readonly (QualityFlag | null)[] = Object.freeze([null, 'range', 'warmup', 'spike', 'high', 'clipped']);

const CODE_OF: Readonly<Record<QualityFlag, number>> = Object.freeze({ range: 1, warmup: 2, spike: 3, high: 4, clipped: 5 });
/** Codes of kept values: a removal replaces them. */
const FIRST_KEPT_CODE = 4;
const BIT_OF = Object.fromEntries(SENSOR_VARIABLES.map((v, i) => [v, 1 << i])) as Readonly<Record<SensorVariable, number>>;

export interface SensorColumns {
  /** Event times, ascending, epoch ms. */
  readonly timesMs: Float64Array;
  readonly values: Record<SensorVariable, Float64Array>;
  /** Flag code per variable and row ({@link QUALITY_FLAGS}); 0 when the value carries no flag. */
  readonly flagCodes: Record<SensorVariable, Uint8Array>;
  /** Per row, bit i set when variable SENSOR_VARIABLES[i] carries a flag: 0 = no flag. */
  readonly flaggedMask: Uint8Array;
  /** Flag per variable and row, `null` when none: decoded from the codes on each access. */
  readonly flags: Readonly<Record<SensorVariable, (QualityFlag | null)[]>>;
}

/** Decodes the codes of each variable when read; the cleaner itself never reads it. */
class DecodedFlags {
  constructor(private readonly codes: Record<SensorVariable, Uint8Array>) {}
  private decode(v: SensorVariable): (QualityFlag | null)[] {
    return Array.from(this.codes[v], (c) => QUALITY_FLAGS[c] ?? null);
  }
  get pm1() { return this.decode('pm1'); }
  get pm25() { return this.decode('pm25'); }
  get pm10() { return this.decode('pm10'); }
  get no2() { return this.decode('no2'); }
  get bc() { return this.decode('bc'); }
  get temperature() { return this.decode('temperature'); }
  get humidity() { return this.decode('humidity'); }
}

/**
 * Scratch arrays the cleaner reuses from call to call instead of allocating a column set per
 * series: on a large series, fresh typed arrays cost page faults and full garbage collections
 * (their memory lives outside the heap and counts towards collection triggers). Arrays are named
 * by their use and grown to the largest series seen; what a call returns are views into them,
 * valid until the next call given the same workspace.
 */
export class CleaningWorkspace {
  private capacity = 0;
  private readonly arrays = new Map<string, Float64Array | Int32Array | Uint8Array>();

  /** Float64 array `name`, length n, holding whatever the last call left in it. */
  float64(name: string, n: number): Float64Array {
    return this.view(name, n, Float64Array);
  }

  /** Int32 array `name`, length n, holding whatever the last call left in it. */
  int32(name: string, n: number): Int32Array {
    return this.view(name, n, Int32Array);
  }

  /** Uint8 array `name`, length n, zeroed. */
  zeroedUint8(name: string, n: number): Uint8Array {
    return this.view(name, n, Uint8Array).fill(0);
  }

  private view<A extends Float64Array | Int32Array | Uint8Array>(name: string, n: number, type: { new (length: number): A }): A {
    if (n > this.capacity) {
      this.capacity = Math.max(n, 2 * this.capacity, 64);
      this.arrays.clear();
    }
    let array = this.arrays.get(name) as A | undefined;
    if (array === undefined) {
      array = new type(this.capacity);
      this.arrays.set(name, array);
    }
    return array.subarray(0, n) as A;
  }
}

const CODES_NAME = Object.fromEntries(SENSOR_VARIABLES.map((v) => [v, `codes:${v}`])) as Readonly<Record<SensorVariable, string>>;

/**
 * Builds the column form of rows already sorted by time, in fresh arrays or, given a
 * workspace, in its reused ones.
 */
export function toColumns(rows: readonly SensorRow[], workspace: CleaningWorkspace = new CleaningWorkspace()): SensorColumns {
  const n = rows.length;
  const timesMs = workspace.float64('times', n);
  const values = {} as Record<SensorVariable, Float64Array>;
  const flagCodes = {} as Record<SensorVariable, Uint8Array>;
  for (const v of SENSOR_VARIABLES) {
    values[v] = workspace.float64(v, n);
    flagCodes[v] = workspace.zeroedUint8(CODES_NAME[v], n);
  }
  const { pm1, pm25, pm10, no2, bc, temperature, humidity } = values;
  // Unrolled: this loop runs once per row of every cleaned series.
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    timesMs[i] = row.timeMs;
    pm1[i] = row.pm1 ?? Number.NaN;
    pm25[i] = row.pm25 ?? Number.NaN;
    pm10[i] = row.pm10 ?? Number.NaN;
    no2[i] = row.no2 ?? Number.NaN;
    bc[i] = row.bc ?? Number.NaN;
    temperature[i] = row.temperature ?? Number.NaN;
    humidity[i] = row.humidity ?? Number.NaN;
  }
  return { timesMs, values, flagCodes, flaggedMask: workspace.zeroedUint8('flaggedMask', n), flags: new DecodedFlags(flagCodes) };
}

/**
 * Marks a value as removed (NaN). The first removal reason stays; a removal replaces a kept
 * value's flag (a `high` value later found to be a glitch is a `spike`).
 */
export function removeValue(columns: SensorColumns, variable: SensorVariable, index: number, reason: RemovalReason): void {
  columns.values[variable][index] = Number.NaN;
  const codes = columns.flagCodes[variable];
  if (codes[index] === 0 || codes[index]! >= FIRST_KEPT_CODE) {
    codes[index] = CODE_OF[reason];
    columns.flaggedMask[index]! |= BIT_OF[variable];
  }
}

/** Flags a value that stays (`high`, `clipped`), unless it already carries a flag. */
export function flagKeptValue(columns: SensorColumns, variable: SensorVariable, index: number, flag: 'high' | 'clipped'): void {
  const codes = columns.flagCodes[variable];
  if (codes[index] !== 0) return;
  codes[index] = CODE_OF[flag];
  columns.flaggedMask[index]! |= BIT_OF[variable];
}

/** `variable:flag` texts by variable and code, built once. */
const FLAG_TEXT = SENSOR_VARIABLES.map((v) => QUALITY_FLAGS.map((f) => (f === null ? '' : `${v}:${f}`)));

/**
 * The `qualityFlags` text of row `index`: `variable:flag` in SENSOR_VARIABLES order, joined by `;`.
 *
 * @example qualityFlagsAt(columns, 3) // 'no2:warmup;pm25:high' ('' when nothing is flagged)
 */
export function qualityFlagsAt(columns: SensorColumns, index: number): string {
  const mask = columns.flaggedMask[index]!;
  if (mask === 0) return '';
  let flags = '';
  for (let v = 0; v < SENSOR_VARIABLES.length; v++) {
    if ((mask & (1 << v)) === 0) continue;
    const text = FLAG_TEXT[v]![columns.flagCodes[SENSOR_VARIABLES[v]!][index]!]!;
    flags = flags === '' ? text : `${flags};${text}`;
  }
  return flags;
}
