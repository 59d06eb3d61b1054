import { addConfusionCounts, confusionCounts } from './confusion-counts.js';
import { confusionScores } from './confusion-scores.js';
import { participantBootstrap, type BootstrapParams, type Interval } from './participant-bootstrap.js';

/** Figure names: the overall ones, then `f1 <label>` per label present in the truth. */
export const OVERALL_FIGURES = ['accuracy', 'balanced accuracy', 'group accuracy', 'macro-F1'] as const;

export interface ScoredPredictions {
  readonly segments: number;
  readonly participants: number;
  readonly figures: Readonly<Record<string, Interval>>;
  /** Confusion counts on all participants (rows: truth, columns: predicted, then unlabelled). */
  readonly confusion: readonly (readonly number[])[];
}

/**
 * Scores predictions against the truth with a 95 % (or `bootstrap.level`) interval per figure
 * from resampling participants.
 *
 * @example scoreWithIntervals(segments, predicted, ['Domicile', 'Walk'], labelGroup, { resamples: 1000, seed: 1, level: 0.95 }) // { figures: { accuracy: { estimate, low, high } , ... } }
 */
export function scoreWithIntervals(
  segments: readonly { readonly participantId: string; readonly label: string }[],
  predicted: readonly (string | null)[],
  labels: readonly string[],
  groupOf: (label: string) => string,
  bootstrap: BootstrapParams,
): ScoredPredictions {
  const byParticipant = new Map<string, number[]>();
  segments.forEach((s, i) => {
    const list = byParticipant.get(s.participantId) ?? [];
    list.push(i);
    byParticipant.set(s.participantId, list);
  });
  const perParticipant = [...byParticipant.keys()].sort().map((id) => {
    const indices = byParticipant.get(id)!;
    return confusionCounts(indices.map((i) => segments[i]!.label), indices.map((i) => predicted[i] ?? null), labels);
  });
  const figures = (counts: number[][]): Record<string, number> => {
    const s = confusionScores(counts, labels, groupOf);
    const named: Record<string, number> = { accuracy: s.accuracy, 'balanced accuracy': s.balancedAccuracy, 'group accuracy': s.groupAccuracy, 'macro-F1': s.macroF1 };
    for (const [label, f1] of Object.entries(s.f1)) named[`f1 ${label}`] = f1;
    return named;
  };
  return {
    segments: segments.length,
    participants: perParticipant.length,
    figures: participantBootstrap(perParticipant, addConfusionCounts, figures, bootstrap),
    confusion: addConfusionCounts(perParticipant),
  };
}
