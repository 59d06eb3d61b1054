/**
 * GPS branch benchmarks on generated 1 Hz trajectories (10-minute stops jittering within ~20 m,
 * 10-minute drives at ~10 m/s, 1 % duplicates and 0.5 % far outliers): cleaning + rasterisation +
 * Hilbert index (points/s, target 2,000,000 on one core) and stay-point stop detection
 * (points/s, target 1,000,000 on one core).
 */
import { cleanGpsPoints, rasterisePoints, type GpsPoint, type RasterColumns } from '@polluscope/gps-preprocessing/domain';
import { detectStayPoints, initialStayPointState, stepStayPoints, type StayPointState, type TrackPoint } from '@polluscope/stop-move-detection/domain';
import type { AlgorithmBenchmark } from './types.js';

const T0_MS = Date.UTC(2024, 2, 4, 6, 0);
const M_PER_DEG_LAT = 111_195;
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos((48.85 * Math.PI) / 180);

/** A deterministic LCG in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** `n` fixes of one participant around Paris, with duplicates and outliers when `raw`. */
function trajectory(n: number, seed: number, raw: boolean): TrackPoint[] {
  const random = lcg(seed);
  const points: TrackPoint[] = [];
  let x = 0;
  let y = 0;
  let heading = 0;
  for (let t = 0; points.length < n; t++) {
    const moving = Math.floor(t / 600) % 2 === 1;
    if (moving) {
      heading += (random() - 0.5) * 0.2;
      x += 10 * Math.cos(heading);
      y += 10 * Math.sin(heading);
    }
    const jitter = moving ? 3 : 10;
    let px = x + (random() - 0.5) * jitter;
    let py = y + (random() - 0.5) * jitter;
    if (raw && random() < 0.005) px += 5000; // far outlier: dropped by the speed filter
    const point = { timeMs: T0_MS + t * 1000, lat: 48.85 + py / M_PER_DEG_LAT, lon: 2.35 + px / M_PER_DEG_LON, hilbert: null };
    points.push(point);
    if (raw && random() < 0.01 && points.length < n) points.push({ ...point }); // exact duplicate
  }
  return points;
}

const cleanRasterise: AlgorithmBenchmark = {
  name: 'gps clean + rasterise + hilbert',
  unit: 'points',
  targetPerS: 2_000_000,
  sizes: [10_000, 100_000, 1_000_000],
  prepare(size) {
    const points: GpsPoint[] = trajectory(size, 7, true);
    const lats = new Float64Array(size);
    const lons = new Float64Array(size);
    const out: RasterColumns = { col: new Int32Array(size), row: new Int32Array(size), hilbert: new Int32Array(size) };
    return () => {
      const { kept } = cleanGpsPoints(points);
      for (let i = 0; i < kept.length; i++) {
        lats[i] = kept[i]!.lat;
        lons[i] = kept[i]!.lon;
      }
      return rasterisePoints(lats.subarray(0, kept.length), lons.subarray(0, kept.length), undefined, out);
    };
  },
};

const stopDetection: AlgorithmBenchmark = {
  name: 'stop detection',
  unit: 'points',
  targetPerS: 1_000_000,
  sizes: [10_000, 100_000, 1_000_000],
  prepare(size) {
    const points = trajectory(size, 11, false);
    return () => detectStayPoints(points);
  },
};

/**
 * A stay of `size` fixes at 0.2 Hz (120,960 = 7 days) jittering within ±15 m, streamed one fix per
 * step as the service feeds the detector; the note gives the state's size at the end (JSON bytes
 * and points held), which must not grow with the stay (docs/design.md §4).
 */
const longStop: AlgorithmBenchmark = {
  name: 'stop detection, a stay streamed fix by fix',
  unit: 'points',
  sizes: [1_000, 10_000, 120_960],
  prepare(size) {
    const random = lcg(13);
    const points: TrackPoint[] = Array.from({ length: size }, (_, k) => ({
      timeMs: T0_MS + k * 5000,
      lat: 48.85 + ((random() - 0.5) * 30) / M_PER_DEG_LAT,
      lon: 2.35 + ((random() - 0.5) * 30) / M_PER_DEG_LON,
      hilbert: null,
    }));
    return () => {
      let state: StayPointState = initialStayPointState();
      for (const p of points) state = stepStayPoints(state, [p], p.timeMs).state;
      return state;
    };
  },
  report: (output) => {
    const state = output as StayPointState;
    return `state at the end: ${JSON.stringify(state).length} bytes as JSON, ${state.points.length} points held`;
  },
};

export const gpsBenchmarks: AlgorithmBenchmark[] = [cleanRasterise, stopDetection, longStop];
