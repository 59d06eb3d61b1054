import { describe, expect, it } from 'vitest';
import { CONTEXT_FEATURES } from '../features/context-features.js';
import { fastTraining, separableSamples } from '../test-fixtures.js';
import { commonestLabel, predictHeldOut, withoutTimeFeatures, type EvaluationSegment } from './predict-held-out.js';

const clockForest = { ...fastTraining.forest, samples: 3 };

/** Separable samples whose declarations are the truth, except where `declare` says otherwise. */
function segments(declare: (s: EvaluationSegment, i: number) => EvaluationSegment['declaredLabel'] = (s) => s.label): EvaluationSegment[] {
  return separableSamples(3, 6).map((s, i) => {
    const segment = { ...s, declaredLabel: s.label };
    return { ...segment, declaredLabel: declare(segment, i) };
  });
}

describe('predictHeldOut', () => {
  it('trains on the other participants and answers every method for each held-out segment', () => {
    const all = segments();
    const test = all.filter((s) => s.participantId === 'p2');
    const out = predictHeldOut(
      all.filter((s) => s.participantId !== 'p2'),
      test,
      { training: fastTraining, clockForest },
    );
    expect(Object.keys(out)).toEqual(['majority', 'clock', 'sensors-no-time', 'model', 'model-rules']);
    // Domicile, Bus, Métro are equally common: the tie goes to the first in canonical order.
    expect(out.majority).toEqual(test.map(() => 'Domicile'));
    expect(out.model).toEqual(test.map((s) => s.label));
    expect(out['sensors-no-time']).toEqual(test.map((s) => s.label));
    for (const predicted of Object.values(out)) expect(predicted).toHaveLength(test.length);
  });

  it('learns from the declarations, not the truth, and skips undeclared segments', () => {
    // Every Bus segment declared Métro, every Domicile segment undeclared.
    const all = segments((s) => (s.label === 'Bus' ? 'Métro' : s.label === 'Domicile' ? null : s.label));
    const out = predictHeldOut(all.filter((s) => s.participantId !== 'p0'), all.filter((s) => s.participantId === 'p0'), { training: fastTraining, clockForest });
    expect(new Set(out.model)).toEqual(new Set(['Métro']));
    expect(out.majority![0]).toBe('Métro');
  });

  it('runs only the methods asked for', () => {
    const all = segments();
    const out = predictHeldOut(all.slice(0, 30), all.slice(30), { training: fastTraining, clockForest, methods: ['majority', 'model-rules'] });
    expect(Object.keys(out)).toEqual(['majority', 'model-rules']);
  });

  it('refuses training participants without any declaration', () => {
    const all = segments(() => null);
    expect(() => predictHeldOut(all, all, { training: fastTraining })).toThrow(/no training segment/);
  });
});

describe('withoutTimeFeatures', () => {
  it('holds the hour and weekend at 0 and keeps the sensor ratios', () => {
    expect(CONTEXT_FEATURES).toEqual(['hour_sin', 'hour_cos', 'weekend', 'log_pm1_pm25', 'log_pm10_pm25', 'log_bc_no2']);
    expect(withoutTimeFeatures([0.5, -0.8, 1, -0.3, 0.4, 3.9])).toEqual([0, 0, 0, -0.3, 0.4, 3.9]);
  });
});

describe('commonestLabel', () => {
  it('counts labels, ties to canonical order', () => {
    expect(commonestLabel(['Walk', 'Bus', 'Walk'])).toBe('Walk');
    expect(commonestLabel(['Bus', 'Domicile'])).toBe('Domicile');
    expect(() => commonestLabel([])).toThrow();
  });
});
