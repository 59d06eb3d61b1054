import { describe, expect, it } from 'vitest';
import { SENSOR_VARIABLES } from './environments.js';
import { Random } from './random.js';
import { defaultSensorFaultParams, OUT_OF_RANGE_VALUES, SensorFaultInjector } from './sensor-faults.js';
import type { SensorValues } from './sensor.js';

const CLEAN: SensorValues = { pm1: 8, pm25: 12, pm10: 20, no2: 30, bc: 900, temperature: 21, humidity: 45 };

describe('SensorFaultInjector', () => {
  it('makes exactly the first 3 NO2 minutes of each session implausible', () => {
    const faults = new SensorFaultInjector({ ...defaultSensorFaultParams, dropoutStartPerMinute: 0, bcDropoutStartPerMinute: 0, spikePerMinute: 0, outOfRangePerMinute: 0 }, new Random(2));
    for (let session = 0; session < 20; session++) {
      faults.powerOn();
      for (let minute = 0; minute < 10; minute++) {
        const { cells, faults: injected } = faults.apply(CLEAN);
        if (minute < 3) {
          expect(injected).toEqual([{ variable: 'no2', kind: 'warm_up' }]);
          const no2 = cells.no2 as number;
          expect(no2 <= 1 || no2 >= 140).toBe(true);
          expect(no2).not.toBe(0);
        } else {
          expect(injected).toEqual([]);
          expect(cells).toEqual(CLEAN);
        }
      }
    }
  });

  it('injects dropouts as nulls, spikes and impossible values at the documented rates', () => {
    const p = defaultSensorFaultParams;
    const faults = new SensorFaultInjector(p, new Random(4));
    faults.powerOn();
    const minutes = 200_000;
    const counts = { dropout: 0, spike: 0, out_of_range: 0, warm_up: 0 };
    const dropoutStarts: Record<string, number> = {};
    let previousNull = new Set<string>();
    let problems = 0; // cells that disagree with the reported faults
    for (let i = 0; i < minutes; i++) {
      const { cells, faults: injected } = faults.apply(CLEAN);
      const nullNow = new Set<string>();
      for (const f of injected) {
        counts[f.kind]++;
        if (f.kind === 'dropout') {
          if (cells[f.variable] !== null) problems++;
          nullNow.add(f.variable);
          if (!previousNull.has(f.variable)) dropoutStarts[f.variable] = (dropoutStarts[f.variable] ?? 0) + 1;
        }
        if (f.kind === 'out_of_range' && !OUT_OF_RANGE_VALUES[f.variable].includes(cells[f.variable] as number)) problems++;
      }
      for (const v of SENSOR_VARIABLES) {
        if (cells[v] === 0) problems++;
        if (cells[v] !== CLEAN[v] && !injected.some((f) => f.variable === v)) problems++;
      }
      previousNull = nullNow;
    }
    expect(problems).toBe(0);
    expect(counts.warm_up).toBe(3);
    // 4-sigma binomial bands around the documented rates.
    const within = (count: number, trials: number, rate: number): void => {
      expect(Math.abs(count - trials * rate)).toBeLessThan(4 * Math.sqrt(trials * rate * (1 - rate)));
    };
    // Spikes are drawn on cells not in a dropout (about 98 % of them).
    const cellsNotDropped = 7 * minutes - counts.dropout;
    within(counts.spike, cellsNotDropped, p.spikePerMinute);
    within(counts.out_of_range, minutes, p.outOfRangePerMinute * (1 - counts.dropout / (7 * minutes)));
    // A dropout can start on minutes not already in a dropout (mean length 6.5 min).
    const pm25Free = minutes * (1 - p.dropoutStartPerMinute * 6.5);
    within(dropoutStarts.pm25 ?? 0, pm25Free, p.dropoutStartPerMinute);
    expect(dropoutStarts.bc ?? 0).toBeGreaterThan(dropoutStarts.pm25 ?? 0);
  });
});
