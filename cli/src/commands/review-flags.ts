/**
 * The review budget on CSV files (docs/design.md §5.2): `classify` and `evaluate` flag segments on the
 * sensor evidence alone with selectReviewFlags, the function the timeline calls with the GPS
 * evidence, over the same participant-days (local days in the participants' time zone).
 */
import type { Command } from 'commander';
import {
  defaultReviewBudgetParams,
  defaultReviewCandidateParams,
  selectReviewFlags,
  type ReviewBudgetParams,
  type ReviewCandidateParams,
  type ReviewReason,
} from '@polluscope/common/domain';
import { scoreReviewFlags, type EvaluationSegment, type ReviewFlagScores } from '@polluscope/classification-validation/domain';
import { reviewCandidate, type CanonicalLabel } from '@polluscope/common/domain';
import { localDay } from '@polluscope/postprocessing/domain';
import { InputError } from '../csv-io.js';

export interface SensorReviewCandidate {
  readonly participantId: string;
  readonly segmentStartMs: number;
  readonly reviewReason: ReviewReason | null;
  readonly wrongProbability: number | null;
}

/** Per segment, its flag within its participant-day's budget, in input order. */
export function flagOnSensorEvidence(segments: readonly SensorReviewCandidate[], budget: ReviewBudgetParams, timeZone: string): boolean[] {
  return selectReviewFlags(
    segments.map((s) => ({ participantDay: `${s.participantId} ${localDay(s.segmentStartMs, timeZone)}`, reason: s.reviewReason, wrongProbability: s.wrongProbability })),
    budget,
  );
}

/** An option that is a share or a probability, in [0, 1]. */
export function shareOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1)) throw new InputError(`--${name}`, null, null, `must be in [0, 1], got "${text}"`);
  return value;
}

/** The review options every command that flags takes, as commander gives them. */
export interface ReviewOptions {
  minConfidence: string;
  declarationReliability: string;
  reviewBudget: string;
  minWrongProbability: string;
}

/** Adds `--min-confidence`, `--declaration-reliability`, `--review-budget` and `--min-wrong-probability` (the services' REVIEW_* settings). */
export function addReviewOptions(command: Command): Command {
  return command
    .option('--min-confidence <p>', 'below this confidence a label without GPS evidence is a review candidate', String(defaultReviewCandidateParams.minConfidence))
    .option('--declaration-reliability <p>', 'probability that a declaration is right, in the probability that a label is wrong', String(defaultReviewCandidateParams.declarationReliability))
    .option('--review-budget <share>', 'largest share of a participant-day\u2019s segments flagged for review (rounded down: a day of fewer than 1/share segments gets none)', String(defaultReviewBudgetParams.maxShare))
    .option('--min-wrong-probability <p>', 'a candidate is flagged only when its label is at least this likely wrong', String(defaultReviewBudgetParams.minWrongProbability));
}

/** The review parameters from the options, each checked to be in [0, 1]. */
export function reviewParams(options: ReviewOptions): { candidate: ReviewCandidateParams; budget: ReviewBudgetParams } {
  return {
    candidate: {
      minConfidence: shareOption('min-confidence', options.minConfidence),
      declarationReliability: shareOption('declaration-reliability', options.declarationReliability),
    },
    budget: {
      maxShare: shareOption('review-budget', options.reviewBudget),
      minWrongProbability: shareOption('min-wrong-probability', options.minWrongProbability),
    },
  };
}

/** The review flag decided as `classify` does (sensor evidence alone, the day's budget), scored on the truth. */
export function scoreSensorReview(
  segments: readonly EvaluationSegment[],
  labels: readonly (CanonicalLabel | null)[],
  confidence: readonly number[],
  candidateParams: ReviewCandidateParams,
  budget: ReviewBudgetParams,
  timeZone: string,
): ReviewFlagScores {
  const candidates = segments.map((s, i) => reviewCandidate({ finalLabel: labels[i]!, confidence: confidence[i]!, declaredLabel: s.declaredLabel, gpsEvidence: false }, candidateParams));
  const flags = flagOnSensorEvidence(
    segments.map((s, i) => ({ participantId: s.participantId, segmentStartMs: s.segmentStartMs, reviewReason: candidates[i]!.reason, wrongProbability: candidates[i]!.wrongProbability })),
    budget,
    timeZone,
  );
  return scoreReviewFlags(segments.map((s, i) => ({ truth: s.label, finalLabel: labels[i]!, reviewReason: flags[i] ? candidates[i]!.reason : null })));
}
