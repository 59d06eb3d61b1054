/**
 * Training samples from simulated volunteers (issue 16, item 3): the scenarios of
 * `polluscope evaluate --unseen`, each simulated with its own seeds, labelled with the simulator's
 * truth. The seeds are the caller's to keep apart from those the model is evaluated on.
 */
import type { ActivitySample } from '@polluscope/classification-validation/domain';
import { InputError } from '../csv-io.js';
import { scenarioData, UNSEEN_SCENARIOS, type UnseenScenario } from './evaluate-unseen.js';

export interface SimulatedTrainingParams {
  readonly scenarios: readonly string[];
  readonly seeds: readonly number[];
  readonly participants: number;
  readonly days: number;
  readonly timeZone: string;
}

/**
 * Scenarios to train on: those of `evaluate --unseen`, and other seasons and a summer weekend that
 * `evaluate --unseen` does not score.
 */
export const TRAINING_SCENARIOS: readonly UnseenScenario[] = Object.freeze([
  ...UNSEEN_SCENARIOS,
  { name: 'summer-weekend', description: 'a July Saturday and Sunday, summer setting', startDate: '2026-07-11', days: 2, settings: ['summer'] },
  { name: 'spring', description: 'April weekdays, no setting', startDate: '2026-04-13', days: null, settings: [] },
  { name: 'autumn', description: 'October weekdays, no setting', startDate: '2026-10-12', days: null, settings: [] },
]);

/** The scenarios named, or an InputError naming `option` and the unknown names. */
export function scenariosByName(names: readonly string[], option: string): UnseenScenario[] {
  const found = names.map((n) => TRAINING_SCENARIOS.find((s) => s.name === n));
  const unknown = names.filter((_, i) => found[i] === undefined);
  if (unknown.length > 0 || names.length === 0) throw new InputError(option, null, null, `unknown scenario(s) ${unknown.join(', ')}; known: ${TRAINING_SCENARIOS.map((s) => s.name).join(', ')}`);
  return found as UnseenScenario[];
}

/**
 * Truth-labelled segments of every scenario × seed, participant ids prefixed with both
 * (`summer-s101-sim-003`) so that no two simulated people share an id.
 *
 * @example simulatedTrainingSamples({ scenarios: ['reference', 'summer'], seeds: [101], participants: 12, days: 3, timeZone: 'Europe/Paris' })
 */
export function simulatedTrainingSamples(params: SimulatedTrainingParams): ActivitySample[] {
  const samples: ActivitySample[] = [];
  for (const scenario of scenariosByName(params.scenarios, '--simulate')) {
    for (const seed of params.seeds) {
      const unseen = { participants: params.participants, days: params.days, seed, gpsRateHz: 0.01, timeZone: params.timeZone };
      for (const s of scenarioData(scenario, unseen, false).segments) {
        samples.push({ participantId: `${scenario.name}-s${seed}-${s.participantId}`, segmentStartMs: s.segmentStartMs, label: s.label, features: s.features, context: s.context });
      }
    }
  }
  return samples;
}
