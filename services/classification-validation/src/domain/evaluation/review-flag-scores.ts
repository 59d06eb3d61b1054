import type { CanonicalLabel, ReviewReason } from '@polluscope/common/domain';

/** One scored segment: its true label, the label answered, and its review flag. */
export interface FlaggedSegment {
  readonly truth: CanonicalLabel;
  readonly finalLabel: CanonicalLabel | null;
  /** Null when not flagged. */
  readonly reviewReason: ReviewReason | null;
}

export interface ReviewFlagScores {
  readonly segments: number;
  readonly flagged: number;
  /** flagged / segments, 0..1. */
  readonly share: number;
  /** Segments whose final label is not the truth (a null label included). */
  readonly wrong: number;
  readonly flaggedWrong: number;
  /** Flagged segments whose final label is wrong / flagged; NaN when nothing is flagged. */
  readonly precision: number;
  /** Wrong final labels that are flagged / wrong; NaN when none is wrong. */
  readonly recall: number;
  readonly byReason: Readonly<Record<ReviewReason, { readonly flagged: number; readonly flaggedWrong: number }>>;
}

/**
 * The review flag scored on the truth (docs/design.md §5.2): share flagged, precision (flagged
 * segments whose final label is wrong) and recall (wrong final labels that are flagged), with the
 * counts per reason.
 *
 * @example scoreReviewFlags([{ truth: 'Bus', finalLabel: 'Domicile', reviewReason: 'contradicts_declaration' }]).precision // 1
 */
export function scoreReviewFlags(segments: readonly FlaggedSegment[]): ReviewFlagScores {
  const byReason: Record<ReviewReason, { flagged: number; flaggedWrong: number }> = {
    low_confidence_no_gps: { flagged: 0, flaggedWrong: 0 },
    contradicts_declaration: { flagged: 0, flaggedWrong: 0 },
  };
  let flagged = 0;
  let wrong = 0;
  let flaggedWrong = 0;
  for (const s of segments) {
    const isWrong = s.finalLabel !== s.truth;
    if (isWrong) wrong += 1;
    if (s.reviewReason === null) continue;
    flagged += 1;
    byReason[s.reviewReason].flagged += 1;
    if (isWrong) {
      flaggedWrong += 1;
      byReason[s.reviewReason].flaggedWrong += 1;
    }
  }
  const n = segments.length;
  return {
    segments: n,
    flagged,
    share: n === 0 ? 0 : flagged / n,
    wrong,
    flaggedWrong,
    precision: flagged === 0 ? Number.NaN : flaggedWrong / flagged,
    recall: wrong === 0 ? Number.NaN : flaggedWrong / wrong,
    byReason,
  };
}
