/**
 * Time-series branch benchmarks on generated inputs: sensor cleaning (rows/s, target 500,000 on
 * one core) in column form, then the same with one CleanSensorRow per row (what a large batch
 * costs the garbage collector), and the streaming cleaner as the service runs it; segment
 * classification with validation by the default model the service loads (segments/s, target
 * 20,000 on one core).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { classifySegment, loadActivityModel, segmentRows, type ActivityModel, type MeasuredMinute, type Segment } from '@polluscope/classification-validation/domain';
import {
  cleanSensorColumns,
  cleanSensorSeries,
  CleaningWorkspace,
  createCleanerState,
  flushRows,
  pushRows,
  type SensorRow,
} from '@polluscope/timeseries-preprocessing/domain';
import type { AlgorithmBenchmark } from './types.js';

const T0_MS = Date.UTC(2024, 2, 4, 0, 0);
const POLL_ROWS = 500;
/** The service's default allowed lateness (2 minutes). */
const ALLOWED_LATENESS_MS = 2 * 60_000;

/** A deterministic LCG in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

const ENVIRONMENTS = [
  { label: 'Domicile', temperature: 21, humidity: 45, no2: 15, bc: 600, pm: 8 },
  { label: 'Bureau', temperature: 23, humidity: 38, no2: 22, bc: 900, pm: 6 },
  { label: 'Métro', temperature: 19, humidity: 50, no2: 40, bc: 4000, pm: 80 },
  { label: 'Bus', temperature: 14, humidity: 60, no2: 70, bc: 6000, pm: 25 },
] as const;

/** `n` minutes of one participant: environments change every 5–60 min, with noise, spikes, gaps, nulls. */
function sensorMinutes(n: number, seed: number): SensorRow[] {
  const random = lcg(seed);
  const rows: SensorRow[] = [];
  let minute = 0;
  let env: (typeof ENVIRONMENTS)[number] = ENVIRONMENTS[0];
  let left = 0;
  for (let i = 0; i < n; i++) {
    minute += random() < 0.002 ? 15 : 1;
    if (left-- <= 0) {
      env = ENVIRONMENTS[Math.floor(random() * ENVIRONMENTS.length)]!;
      left = 5 + Math.floor(random() * 55);
    }
    const noise = () => 1 + (random() - 0.5) * 0.3;
    rows.push({
      timeMs: T0_MS + minute * 60_000,
      pm1: env.pm * 0.6 * noise(),
      pm25: random() < 0.01 ? 290 : env.pm * noise(),
      pm10: env.pm * 1.5 * noise(),
      no2: random() < 0.05 ? null : env.no2 * noise(),
      bc: random() < 0.3 ? null : env.bc * noise(),
      temperature: env.temperature + random(),
      humidity: random() < 0.002 ? 130 : env.humidity + random() * 3,
      activity: env.label,
      event: null,
    });
  }
  return rows;
}

const DEFAULT_MODEL_FILE = fileURLToPath(new URL('../../models/activity-model.json', import.meta.url));
let model: ActivityModel | null = null;

/** The default model the service loads (models/activity-model.json), read once, untimed. */
function benchmarkModel(): ActivityModel {
  model ??= loadActivityModel(JSON.parse(readFileSync(DEFAULT_MODEL_FILE, 'utf8')));
  return model;
}

export const timeseriesBenchmarks: AlgorithmBenchmark[] = [
  {
    name: 'sensor cleaning (range, NO2 warm-up, spikes, imputation)',
    unit: 'rows',
    targetPerS: 500_000,
    sizes: [10_000, 100_000, 1_000_000],
    prepare(size) {
      const rows = sensorMinutes(size, 1);
      // Reused from run to run, as a caller cleaning series after series would.
      const workspace = new CleaningWorkspace();
      return () => cleanSensorColumns(rows, undefined, undefined, workspace);
    },
  },
  {
    // The same cleaning plus one CleanSensorRow object per row, as cleanSensorSeries returns them.
    name: 'sensor cleaning as row objects',
    unit: 'rows',
    sizes: [10_000, 100_000, 1_000_000],
    prepare(size) {
      const rows = sensorMinutes(size, 1);
      return () => cleanSensorSeries(rows);
    },
  },
  {
    // As the service cleans: the streaming cleaner fed polls of 500 rows, output rows per poll.
    name: 'sensor cleaning, streaming (polls of 500 rows)',
    unit: 'rows',
    sizes: [10_000, 100_000, 1_000_000],
    prepare(size) {
      const rows = sensorMinutes(size, 1);
      return () => {
        const state = createCleanerState<SensorRow>();
        let emitted = 0;
        for (let i = 0; i < rows.length; i += POLL_ROWS) {
          const poll = rows.slice(i, i + POLL_ROWS);
          emitted += pushRows(state, poll, poll[poll.length - 1]!.timeMs - ALLOWED_LATENESS_MS).length;
        }
        return emitted + flushRows(state).length;
      };
    },
  },
  {
    name: 'classification + validation of 5-minute segments',
    unit: 'segments',
    targetPerS: 20_000,
    sizes: [1_000, 10_000, 100_000],
    prepare(size) {
      const m = benchmarkModel();
      const segments: Segment<MeasuredMinute>[] = segmentRows(sensorMinutes(size * 5, 2)).slice(0, size);
      return () => segments.map((s) => classifySegment(s.startMs, s.rows, m));
    },
  },
];
