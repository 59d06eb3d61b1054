import { describe, expect, it } from 'vitest';
import type { CanonicalLabel } from '@polluscope/common/domain';
import { pt } from '../trajectory/test-points.js';
import type { TrackPoint } from '../trajectory/track-point.js';
import { evaluateLeaveParticipantsOut } from './evaluate-leave-participants-out.js';
import { predictTransportMode } from './predict-transport-mode.js';
import { trainTransportModel, transportForest, type TransportSample } from './train-transport-model.js';
import { transportFeatures } from './transport-features.js';
import { compactRandomForest, defaultTransportForestParams, forestVotes, parseTransportModel, type LibForestJson } from './transport-model.js';

/** Deterministic pseudo-random numbers in [0, 1) (a 32-bit LCG), so the fixtures never change. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A 5-minute move at 1 Hz: cruising speed with noise, a car also stops at lights. */
function move(mode: 'Walk' | 'Vélo' | 'Voiture', rand: () => number): TrackPoint[] {
  const cruise = { Walk: 1.3, Vélo: 4.5, Voiture: 12 }[mode];
  const points: TrackPoint[] = [];
  let x = 0;
  let y = 0;
  let heading = rand() * 2 * Math.PI;
  for (let t = 0; t < 300; t++) {
    const atLight = mode === 'Voiture' && t % 90 > 70;
    const v = atLight ? 0 : cruise * (0.8 + 0.4 * rand());
    heading += (rand() - 0.5) * (mode === 'Walk' ? 0.6 : 0.2);
    x += v * Math.cos(heading);
    y += v * Math.sin(heading);
    points.push(pt(x, y, t));
  }
  return points;
}

const MODES = ['Walk', 'Vélo', 'Voiture'] as const;
function samplesFor(participants: string[], perMode: number, seed: number): TransportSample[] {
  const rand = lcg(seed);
  return participants.flatMap((participantId) =>
    MODES.flatMap((label) => Array.from({ length: perMode }, () => ({ participantId, label: label as CanonicalLabel, features: transportFeatures(move(label, rand)) }))),
  );
}

const small = { ...defaultTransportForestParams, nEstimators: 15 };
const training = samplesFor(['p1', 'p2', 'p3'], 5, 1);
const unseen = samplesFor(['p9'], 4, 99);

describe('compactRandomForest', () => {
  it('predicts exactly what ml-random-forest predicts', () => {
    const forest = transportForest(small);
    const labels = ['Walk', 'Vélo', 'Voiture'];
    // Mixed-up labels on purpose, so that trees disagree and ties are exercised.
    forest.train(training.map((s) => [...s.features]), training.map((_, i) => i % 3));
    const trees = compactRandomForest(forest.toJSON() as unknown as LibForestJson);
    const rows = [...training, ...unseen].map((s) => [...s.features]);
    const expected = forest.predict(rows);
    expect(rows.map((r) => forestVotes(trees, r, labels.length).best)).toEqual(expected);
  });
});

describe('trainTransportModel / predictTransportMode', () => {
  const model = trainTransportModel(training, small);

  it('records its version, feature list, labels in MOVE_MODES order and trees', () => {
    expect(model.version).toBe(1);
    expect(model.featureNames).toHaveLength(21);
    expect(model.labels).toEqual(['Voiture', 'Vélo', 'Walk']);
    expect(model.trees).toHaveLength(15);
    expect(model.trainingSamples).toBe(45);
  });

  it('recognises unseen walks, bike rides and car trips', () => {
    expect(unseen.map((s) => predictTransportMode(model, s.features).mode)).toEqual(unseen.map((s) => s.label));
  });

  it('gives vote shares that sum to 1, the winner being the highest', () => {
    const p = predictTransportMode(model, unseen[0]!.features);
    const shares = Object.values(p.probabilities);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(p.probability).toBe(Math.max(...shares));
  });

  it('is reproducible with the same seed and survives a JSON round trip', () => {
    expect(trainTransportModel(training, small)).toEqual(model);
    const loaded = parseTransportModel(JSON.parse(JSON.stringify(model)));
    for (const s of unseen) expect(predictTransportMode(loaded, s.features)).toEqual(predictTransportMode(model, s.features));
  });

  it('refuses a model of another version or feature list', () => {
    expect(() => parseTransportModel({ ...model, version: 2 })).toThrow(/version 2/);
    expect(() => parseTransportModel({ ...model, featureNames: ['speed'] })).toThrow(/feature list/);
    expect(() => parseTransportModel({ format: 'other' })).toThrow(/not a polluscope-transport-model/);
  });

  it('refuses labels that are not move modes', () => {
    expect(() => trainTransportModel([{ participantId: 'p', label: 'Domicile', features: training[0]!.features }])).toThrow(/not a move mode/);
  });
});

describe('evaluateLeaveParticipantsOut', () => {
  it('holds each participant out once and pools the predictions', () => {
    const result = evaluateLeaveParticipantsOut(training, small);
    expect(result.folds).toEqual([['p1'], ['p2'], ['p3']]);
    expect(result.labels).toEqual(['Voiture', 'Vélo', 'Walk']);
    // Speeds of 12, 4.5 and 1.3 m/s do not overlap: every held-out move is recognised.
    expect(result.confusion).toEqual([
      [5 * 3, 0, 0],
      [0, 5 * 3, 0],
      [0, 0, 5 * 3],
    ]);
    expect(result.accuracy).toBe(1);
    expect(result.macroF1).toBe(1);
  });

  it('needs two participants', () => {
    expect(() => evaluateLeaveParticipantsOut(training.filter((s) => s.participantId === 'p1'))).toThrow(RangeError);
  });
});
