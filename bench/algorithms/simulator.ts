/**
 * Simulator benchmarks: records per second (sensor minutes + GPS fixes at 1 Hz + truth minutes),
 * generation alone and generation plus CSV text (what `polluscope simulate` spends before
 * writing). Sizes are met with whole participant-days (about 60 000 records each at 1 Hz): the
 * run uses the number of participant-days whose record count is closest to the size, so the
 * count is within half a participant-day of it (≤ 6 % at the smallest size).
 */
import {
  chunkCsvPieces,
  defaultSimulationParams,
  simulate,
  type SimulationChunk,
  type SimulationParams,
} from '../../cli/src/simulator/index.js';
import type { AlgorithmBenchmark } from './types.js';

const recordsOf = (c: SimulationChunk): number => c.sensor.length + c.gps.length + c.truthMinutes.length;

/** Parameters of a run whose record count is closest to `size` (participants × 1 day, 1 Hz GPS). */
function paramsForSize(size: number): SimulationParams {
  const base: SimulationParams = { ...defaultSimulationParams, participants: 10_000, days: 1, seed: 2026, gpsRateHz: 1 };
  let total = 0;
  let participants = 0;
  for (const chunk of simulate(base)) {
    const next = total + recordsOf(chunk);
    if (Math.abs(next - size) > Math.abs(total - size) && participants > 0) break;
    total = next;
    participants++;
  }
  return { ...base, participants };
}

function benchmark(name: string, withCsv: boolean): AlgorithmBenchmark {
  return {
    name,
    unit: 'records',
    sizes: [300_000, 1_000_000, 3_000_000],
    prepare(size) {
      const params = paramsForSize(size);
      return () => {
        let records = 0;
        for (const chunk of simulate(params)) {
          records += recordsOf(chunk);
          if (withCsv) chunkCsvPieces(chunk);
        }
        return records;
      };
    },
  };
}

export const simulatorBenchmarks: AlgorithmBenchmark[] = [
  benchmark('simulator: generate records', false),
  benchmark('simulator: generate + CSV text', true),
];
