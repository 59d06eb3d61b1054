import { describe, expect, it } from 'vitest';
import { segmentFeatures } from '../features/view-features.js';
import { environmentMinutes, fastTraining, separableSamples } from '../test-fixtures.js';
import { loadActivityModel, predictActivity } from './activity-model.js';
import { crossValidateActivityModel } from './cross-validate-activity-model.js';
import { trainActivityModel } from './train-activity-model.js';

describe('trainActivityModel', () => {
  const samples = separableSamples(3, 8);

  it('learns separable environments and records labels, features and seed', () => {
    const model = trainActivityModel(samples, fastTraining);
    expect(model.labels).toEqual(['Domicile', 'Bus', 'Métro']);
    expect(model.features).toHaveLength(49);
    expect(model.features[0]).toBe('temperature_mean');
    expect(model.seed).toBe(7);
    expect(model.trainedOn).toEqual({ Domicile: 24, Bus: 24, Métro: 24 });
    expect(model.viewForests.bc).toBeNull();
    const bus = predictActivity(model, segmentFeatures(environmentMinutes('Bus', 0, 5)));
    expect(bus.label).toBe('Bus');
    expect(bus.confidence).toBe(bus.probabilities['Bus']);
    expect(bus.viewsPresent).toEqual(['temperature', 'humidity', 'no2', 'pm25']);
    expect(predictActivity(model, segmentFeatures(environmentMinutes('Métro', 0, 2))).label).toBe('Métro');
  });

  it('is deterministic for a seed and survives a JSON round trip', () => {
    const a = JSON.stringify(trainActivityModel(samples, fastTraining));
    expect(JSON.stringify(trainActivityModel(samples, fastTraining))).toBe(a);
    const loaded = loadActivityModel(JSON.parse(a));
    expect(predictActivity(loaded, segmentFeatures(environmentMinutes('Domicile', 0, 1))).label).toBe('Domicile');
  });

  it('predicts no label when no view is present', () => {
    const model = trainActivityModel(samples, fastTraining);
    const none = predictActivity(model, [null, null, null, null, null, null, null]);
    expect(none).toMatchObject({ label: null, confidence: 0, viewsPresent: [] });
  });

  it('rejects JSON that is not an activity model', () => {
    expect(() => loadActivityModel({ format: 'other' })).toThrow(/not an activity model/);
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
