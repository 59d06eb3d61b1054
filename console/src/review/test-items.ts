/** Hand-made review queue items for the tests: times are minutes after 2026-01-12T00:00Z. */
import { at } from '../day/test-rows.js';
import type { ReviewDecision, ReviewItem } from './types.js';

export const LABELS = ['Domicile', 'Bureau', 'Restaurant', 'Magasin', 'Gare', 'Indoor', 'Cinéma', 'Walk', 'Running', 'Vélo', 'Parc', 'Bus', 'Métro', 'Train', 'Tramway', 'Voiture', 'Motorcycle'];

export const decision = (label: string, minute: number, reviewer = 'alice'): ReviewDecision => ({ label, reviewer, comment: null, decidedAtMs: at(minute).getTime() });

export function item(minute: number, fields: Partial<ReviewItem> = {}): ReviewItem {
  return {
    startMs: at(minute).getTime(),
    endMs: at(minute + 5).getTime(),
    reviewReason: 'contradicts_declaration',
    wrongProbability: 0.7,
    declaredLabel: 'Walk',
    predictedLabel: 'Bureau',
    confidence: 0.5,
    probabilities: { Bureau: 0.5, Domicile: 0.3, Walk: 0.1 },
    ruleApplied: null,
    finalLabel: 'Bureau',
    finalSource: 'sensors',
    decisions: [],
    ...fields,
  };
}
