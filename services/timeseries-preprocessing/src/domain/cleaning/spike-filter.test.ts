import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@polluscope/common/domain';
import type { SensorRow, SensorVariable } from '../sensor-row.js';
import { toColumns } from './columns.js';
import { removeSpikes } from './spike-filter.js';
import { minutes, row, series } from './test-rows.js';

const nullable = (x: number) => (Number.isNaN(x) ? null : x);

function run(mins: number[], pm25: (number | null)[]) {
  const columns = toColumns(series('pm25', mins, pm25));
  removeSpikes(columns);
  return { pm25: Array.from(columns.values.pm25, nullable), flags: columns.flags.pm25 };
}

/** Several channels per minute: `channels.pm25[i]` is minute i's PM2.5. */
function runChannels(channels: Partial<Record<SensorVariable, number[]>>) {
  const n = Math.max(...Object.values(channels).map((values) => values.length));
  const rows: SensorRow[] = minutes(n).map((m) => row(m, Object.fromEntries(Object.entries(channels).map(([v, values]) => [v, values[m] ?? null]))));
  const columns = toColumns(rows);
  removeSpikes(columns);
  return Object.fromEntries(Object.keys(channels).map((v) => [v, Array.from(columns.values[v as SensorVariable], nullable)]));
}

describe('removeSpikes', () => {
  it('removes a one-channel glitch, only that cell', () => {
    // Jumps 79 and 78 exceed max(3·1.4826·MAD 1, floor 25); PM1, PM10 and BC do not move.
    const out = runChannels({
      pm1: [6, 7, 6, 7, 6],
      pm25: [10, 11, 90, 12, 10],
      pm10: [15, 16, 16, 17, 15],
      bc: [1000, 1100, 1050, 1050, 1000],
    });
    expect(out).toEqual({ pm1: [6, 7, 6, 7, 6], pm25: [10, 11, null, 12, 10], pm10: [15, 16, 16, 17, 15], bc: [1000, 1100, 1050, 1050, 1000] });
    const { flags } = run(minutes(5), [10, 11, 90, 12, 10]);
    expect(flags).toEqual([null, null, 'spike', null, null]);
  });

  it('keeps a passing bus: PM1, PM2.5, PM10 and BC rising in the same minute', () => {
    const bus = { pm1: [6, 7, 60, 7, 6], pm25: [10, 11, 90, 12, 10], pm10: [15, 16, 130, 17, 15], bc: [1000, 1100, 9000, 1050, 1000] };
    expect(runChannels(bus)).toEqual(bus);
  });

  it('keeps a plume that only two channels show (PM2.5 and BC)', () => {
    const plume = { pm25: [10, 11, 90, 12, 10], bc: [1000, 1100, 4000, 1050, 1000] };
    expect(runChannels(plume)).toEqual(plume);
  });

  it('keeps a two-minute plume whose BC peaks a minute after its PM', () => {
    // BC 25,671 is a strict maximum; PM2.5 peaked the minute before but is still far above its median.
    const plume = { pm1: [5.6, 24.6, 22.5, 5.2, 4.9], pm25: [9.8, 43.5, 39, 9, 7.8], pm10: [19.2, 85.3, 75.5, 17.3, 14], bc: [2644, 20486, 25671, 2534, 2502] };
    expect(runChannels(plume)).toEqual(plume);
  });

  it('does not count a channel moving the other way, or a tiny move, as agreement', () => {
    const out = runChannels({ pm25: [10, 11, 90, 12, 10], no2: [20, 21, 15, 20, 21], pm1: [6, 7, 8, 7, 6] });
    expect(out.pm25).toEqual([10, 11, null, 12, 10]);
  });

  it('removes a temperature glitch whatever the pollutants do (agreement is for pollutants)', () => {
    const out = runChannels({ temperature: [20, 20.1, 28, 20.1, 20], pm25: [10, 11, 90, 12, 10], pm1: [6, 7, 60, 7, 6] });
    expect(out.temperature).toEqual([20, 20.1, null, 20.1, 20]);
    expect(out.pm25).toEqual([10, 11, 90, 12, 10]);
  });

  it('leaves a flat, quantised signal untouched (MAD = 0)', () => {
    // Every window's MAD is 0: without the floor, each one-step bump would be a "spike".
    const pm25 = [10, 10, 11, 10, 10, 9, 10, 10, 11, 10, 10];
    expect(run(minutes(11), pm25).pm25).toEqual(pm25);
    const temperature = [20.1, 20.1, 20.2, 20.1, 20.1, 20, 20.1, 20.1];
    const humidity = [45, 45, 46, 45, 45, 44, 45, 45];
    expect(runChannels({ temperature, humidity })).toEqual({ temperature, humidity });
  });

  it('keeps NO2 +14 ppb (×1.7 its neighbours), and removes +39 ppb (×2.9)', () => {
    expect(runChannels({ no2: [20, 21, 35, 20, 21] }).no2).toEqual([20, 21, 35, 20, 21]);
    expect(runChannels({ no2: [20, 21, 60, 20, 21] }).no2).toEqual([20, 21, null, 20, 21]);
  });

  it('removes a glitch on a clean background, under the old 25 µg/m³ floor (PM1 4 → 22 → 5)', () => {
    // Jumps 17.4 and 16.7 exceed the floor 10 and 3·1.4826·MAD 0.2; 21.8 > 2.5 × 5.1.
    const out = runChannels({ pm1: [4.2, 4.4, 21.8, 5.1, 4.3], pm25: [7.3, 7.7, 7.1, 8.5, 6.7], pm10: [14.2, 15.2, 13.8, 16.1, 12.1] });
    expect(out.pm1).toEqual([4.2, 4.4, null, 5.1, 4.3]);
  });

  it('keeps one-channel noise at a high level: PM10 240 between 160 and 155 is only ×1.5', () => {
    // The jumps (80, 85) exceed the floor and 3·1.4826·MAD 5 = 22.2: the factor alone keeps it.
    const pm10 = [150, 160, 240, 155, 150];
    expect(runChannels({ pm10, pm25: [40, 41, 40, 41, 40] }).pm10).toEqual(pm10);
  });

  it('needs the higher floor for a drop: PM2.5 8 between 20 and 21 is kept, 2 between 40 and 41 is not', () => {
    expect(run(minutes(5), [20, 20, 8, 21, 22]).pm25).toEqual([20, 20, 8, 21, 22]);
    expect(run(minutes(5), [40, 41, 2, 40, 42]).pm25).toEqual([40, 41, null, 40, 42]);
  });

  it('removes a black-carbon glitch at a low level, also next to negative noise', () => {
    expect(runChannels({ bc: [369, 368, 2715, 407, 367] }).bc).toEqual([369, 368, null, 407, 367]);
    // A neighbour ≤ 0 passes the factor test: the floor (1000 ng/m³) and the MAD decide.
    expect(runChannels({ bc: [-200, -100, 1500, -150, -200] }).bc).toEqual([-200, -100, null, -150, -200]);
    expect(runChannels({ bc: [-200, -100, 800, -150, -200] }).bc).toEqual([-200, -100, 800, -150, -200]);
  });

  it('judges a candidate against the spread of the other values in its window', () => {
    // Others 56.5, 56.2, 53.3, 53.5: MAD 1.45, T = 6.45 < jumps 13.1 and 10.2. With 43.1 counted,
    // the MAD would be 2.7 and T = 12.0 would keep it.
    expect(runChannels({ humidity: [56.5, 56.2, 43.1, 53.3, 53.5] }).humidity).toEqual([56.5, 56.2, null, 53.3, 53.5]);
  });

  it('removes a humidity glitch of −8 % RH, under the old 15 % floor', () => {
    expect(runChannels({ humidity: [45, 45.5, 37, 45.2, 45] }).humidity).toEqual([45, 45.5, null, 45.2, 45]);
  });

  it('keeps an extremum within k·1.4826·MAD when the window is noisy', () => {
    // Window 100, 160, 200, 140, 90: median 140, MAD 40, threshold 177.9 > jumps 40 and 60.
    const { pm25 } = run(minutes(5), [100, 160, 200, 140, 90]);
    expect(pm25).toEqual([100, 160, 200, 140, 90]);
  });

  it('removes a downward glitch', () => {
    const { pm25 } = run(minutes(5), [40, 41, 2, 40, 42]);
    expect(pm25).toEqual([40, 41, null, 40, 42]);
  });

  it('keeps a plateau of two equal high values', () => {
    const { pm25 } = run(minutes(6), [10, 10, 50, 50, 10, 10]);
    expect(pm25).toEqual([10, 10, 50, 50, 10, 10]);
  });

  it('needs a neighbour on both sides inside the window (event time, not rows)', () => {
    // 90 at minute 2 has no row after it before minute 5: not a glitch.
    const { pm25 } = run([0, 1, 2, 5, 6], [10, 11, 90, 10, 11]);
    expect(pm25).toEqual([10, 11, 90, 10, 11]);
  });

  it('leaves an all-null variable alone', () => {
    const { pm25, flags } = run(minutes(4), [null, null, null, null]);
    expect(pm25).toEqual([null, null, null, null]);
    expect(flags).toEqual([null, null, null, null]);
  });
});

describe('removeSpikes on clean noisy series (the old rule removed 2.8–10.7 % of these minutes)', () => {
  const MINUTES = 10_000;
  /** Standard normal draws from a seeded uniform (Box–Muller). */
  function normals(seed: number): () => number {
    const uniform = mulberry32(seed);
    return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  }
  const removedShare = (variable: SensorVariable, values: number[]) => {
    const columns = toColumns(series(variable, minutes(values.length), values));
    removeSpikes(columns);
    return columns.flags[variable].filter((f) => f === 'spike').length / values.length;
  };

  it('removes nothing from white-noise PM2.5 (20 ± 5 µg/m³)', () => {
    const z = normals(1);
    expect(removedShare('pm25', Array.from({ length: MINUTES }, () => Math.round((20 + 5 * z()) * 10) / 10))).toBe(0);
  });

  it('removes nothing from low integer PM2.5 (3 ± 1.5, quantised to 1 µg/m³)', () => {
    const z = normals(2);
    expect(removedShare('pm25', Array.from({ length: MINUTES }, () => Math.max(0, Math.round(3 + 1.5 * z()))))).toBe(0);
  });

  it('removes nothing from indoor temperature at 0.1 °C resolution (21 ± 0.3 °C)', () => {
    const z = normals(3);
    expect(removedShare('temperature', Array.from({ length: MINUTES }, () => Math.round((21 + 0.3 * z()) * 10) / 10))).toBe(0);
  });

  it('removes nothing from simulator-like PM2.5 (level 15 µg/m³ × exp(0.25 · AR(1), φ = 0.85))', () => {
    const z = normals(4);
    let ar = 0;
    const values = Array.from({ length: MINUTES }, () => {
      ar = 0.85 * ar + Math.sqrt(1 - 0.85 ** 2) * z();
      return Math.round(15 * Math.exp(0.25 * ar) * 10) / 10;
    });
    expect(removedShare('pm25', values)).toBe(0);
  });
});
