import { describe, expect, it } from 'vitest';
import { ignoredFeatureIndices, ignoreFeatures } from './ignore-features.js';

describe('ignoredFeatureIndices', () => {
  it('finds view features by view_feature name and context features by name', () => {
    expect(ignoredFeatureIndices(['humidity_mean', 'pm25_median', 'temperature_mean_abs_step', 'weekend'])).toEqual({
      view: [[7], [0], [], [], [], [4], []],
      context: [2],
    });
  });

  it('finds nothing for no names', () => {
    expect(ignoredFeatureIndices([])).toEqual({ view: [[], [], [], [], [], [], []], context: [] });
  });

  it('throws on an unknown name, naming it', () => {
    expect(() => ignoredFeatureIndices(['temperature_mode'])).toThrow(/"temperature_mode"/);
    expect(() => ignoredFeatureIndices(['wind_mean'])).toThrow(/"wind_mean"/);
  });
});

describe('ignoreFeatures', () => {
  const features = [[21, 0.5, 20, 22, 21, 0.1, 0.4, 0.3], null, [30, 1, 29, 31, 30, 0, 1, 0.5], null, null, null, null];
  const context = [0, -1, 0, -0.3, 0.5, 3.9];

  it('holds the named features at 0 and leaves the rest and absent views alone', () => {
    const out = ignoreFeatures(features, context, ignoredFeatureIndices(['temperature_mean', 'temperature_max', 'humidity_mean', 'no2_delta', 'log_bc_no2']));
    expect(out.features).toEqual([[0, 0.5, 20, 0, 21, 0.1, 0.4, 0.3], null, [30, 1, 29, 31, 30, 0, 0, 0.5], null, null, null, null]);
    expect(out.context).toEqual([0, -1, 0, -0.3, 0.5, 0]);
  });

  it('does not change its inputs', () => {
    ignoreFeatures(features, context, ignoredFeatureIndices(['temperature_mean', 'hour_cos']));
    expect(features[0]![0]).toBe(21);
    expect(context[1]).toBe(-1);
  });
});
