import { describe, expect, it } from 'vitest';
import { segmentFeatures } from '../features/view-features.js';
import { contextFeatures } from '../features/context-features.js';
import { environmentMinutes, fastTraining, separableSamples, T0_MS } from '../test-fixtures.js';
import type { CanonicalLabel } from '@polluscope/common/domain';
import { loadActivityModel, predictActivity, type ActivityModel } from './activity-model.js';
import { crossValidateActivityModel } from './cross-validate-activity-model.js';
import { trainActivityModel } from './train-activity-model.js';

function predict(model: ActivityModel, label: CanonicalLabel, jitter: number) {
  const features = segmentFeatures(environmentMinutes(label, 0, jitter));
  return predictActivity(model, features, contextFeatures(T0_MS, features));
}

describe('trainActivityModel', () => {
  const samples = separableSamples(3, 8);

  it('learns separable environments and records labels, features and seed', () => {
    const model = trainActivityModel(samples, fastTraining);
    expect(model.labels).toEqual(['Domicile', 'Bus', 'Métro']);
    expect(model.features).toHaveLength(56);
    expect(model.contextFeatures).toEqual(['hour_sin', 'hour_cos', 'weekend', 'log_pm1_pm25', 'log_pm10_pm25', 'log_bc_no2']);
    expect(model.features[0]).toBe('temperature_mean');
    expect(model.seed).toBe(7);
    expect(model.trainedOn).toEqual({ Domicile: 24, Bus: 24, Métro: 24 });
    expect(model.viewForests.bc).toBeNull();
    const bus = predict(model, 'Bus', 5);
    expect(bus.label).toBe('Bus');
    expect(bus.confidence).toBe(bus.probabilities['Bus']);
    expect(bus.viewsPresent).toEqual(['temperature', 'humidity', 'no2', 'pm25']);
    expect(predict(model, 'Métro', 2).label).toBe('Métro');
  });

  it('is deterministic for a seed and survives a JSON round trip', () => {
    const a = JSON.stringify(trainActivityModel(samples, fastTraining));
    expect(JSON.stringify(trainActivityModel(samples, fastTraining))).toBe(a);
    const loaded = loadActivityModel(JSON.parse(a));
    expect(predict(loaded, 'Domicile', 1).label).toBe('Domicile');
  });

  it('never reads an ignored feature, and records which', () => {
    const model = trainActivityModel(samples, { ...fastTraining, ignoredFeatures: ['temperature_mean', 'weekend'] });
    expect(model.ignoredFeatures).toEqual(['temperature_mean', 'weekend']);
    expect(trainActivityModel(samples, fastTraining).ignoredFeatures).toBeUndefined();
    const features = segmentFeatures(environmentMinutes('Bus', 0, 5));
    const context = contextFeatures(T0_MS, features);
    const moved = features.map((x, v) => (v === 0 && x ? [x[0]! + 40, ...x.slice(1)] : x));
    const weekend = context.map((x, i) => (i === 2 ? 1 : x));
    expect(predictActivity(model, moved, weekend)).toEqual(predictActivity(model, features, context));
    expect(loadActivityModel(JSON.parse(JSON.stringify(model))).ignoredFeatures).toEqual(['temperature_mean', 'weekend']);
    expect(() => loadActivityModel({ ...JSON.parse(JSON.stringify(model)), ignoredFeatures: ['wind_mean'] })).toThrow(/"wind_mean"/);
  });

  it('predicts no label when no view is present', () => {
    const model = trainActivityModel(samples, fastTraining);
    const none = predictActivity(model, [null, null, null, null, null, null, null], contextFeatures(T0_MS, []));
    expect(none).toMatchObject({ label: null, confidence: 0, viewsPresent: [] });
  });

  it('rejects JSON that is not an activity model, or one of another version or feature list', () => {
    expect(() => loadActivityModel({ format: 'other' })).toThrow(/not an activity model/);
    const json = JSON.parse(JSON.stringify(trainActivityModel(samples, fastTraining)));
    expect(() => loadActivityModel({ ...json, version: 1 })).toThrow(/version 1 is not supported/);
    expect(() => loadActivityModel({ ...json, contextFeatures: ['hour_sin'] })).toThrow(/retrain it/);
  });
});

describe('crossValidateActivityModel', () => {
  it('holds participants out and scores separable data perfectly', () => {
    const m = crossValidateActivityModel(separableSamples(3, 6), { folds: 3, training: fastTraining });
    expect(m.folds).toBe(3);
    expect(m.samples).toBe(54);
    expect(m.accuracy).toBe(1);
    expect(m.macroF1).toBe(1);
    expect(m.labels).toEqual(['Domicile', 'Bus', 'Métro']);
    expect(m.confusion).toEqual([
      [18, 0, 0],
      [0, 18, 0],
      [0, 0, 18],
    ]);
  });
});
