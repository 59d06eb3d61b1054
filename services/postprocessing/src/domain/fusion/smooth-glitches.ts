import type { CanonicalLabel } from '@polluscope/common/domain';
import type { TimelineSource } from '../records.js';

export interface LabelledSpan {
  readonly startMs: number;
  readonly endMs: number;
  readonly label: CanonicalLabel | null;
  readonly source: TimelineSource;
  readonly confidence: number | null;
}

/** Whether span i differs from two contiguous neighbours that share a non-null label. */
function isGlitchCandidate(spans: readonly LabelledSpan[], i: number): boolean {
  const previous = spans[i - 1];
  const span = spans[i];
  const next = spans[i + 1];
  if (!previous || !span || !next) return false;
  if (previous.endMs !== span.startMs || span.endMs !== next.startMs) return false;
  return previous.label !== null && previous.label === next.label && span.label !== previous.label;
}

/**
 * The span at position i after single-segment glitch smoothing of `spans` (see
 * {@link smoothGlitches}): it reads only spans i − 2 to i + 2, so a streaming fusion can recompute
 * one position from its neighbourhood.
 *
 * @example smoothedSpanAt([bus, domicile, bus], 1).label // 'Bus'
 */
export function smoothedSpanAt<S extends LabelledSpan>(spans: readonly S[], i: number): S {
  const span = spans[i] as S;
  if (span.source === 'review' || !isGlitchCandidate(spans, i)) return span;
  if (isGlitchCandidate(spans, i - 1) || isGlitchCandidate(spans, i + 1)) return span;
  const previous = spans[i - 1] as S;
  const next = spans[i + 1] as S;
  const origin = previous.source !== 'review' ? previous : next.source !== 'review' ? next : null;
  return { ...span, label: previous.label, source: origin?.source ?? 'sensors', confidence: origin?.confidence ?? null };
}

/**
 * Single-segment glitch smoothing (docs/design.md §5.5) on spans sorted by start. A glitch is a span
 * whose two neighbours are contiguous with it (previous end = its start, its end = next start),
 * carry the same non-null label and differ from it (a null label included), and whose neighbours
 * are not glitches themselves (so an alternation A B A B A is left alone: no side is a glitch of
 * the other). A glitch takes the neighbours' label with the source and confidence of the previous
 * neighbour, or of the next one when the previous is a review (a smoothed span never claims
 * `review`), or `sensors` with a null confidence when both are reviews. `review` spans never
 * change (they may be neighbours). Decided on the unsmoothed
 * labels, so the result does not depend on scan order; a span's result depends on the two spans
 * on each side.
 *
 * @example smoothGlitches([bus, domicile, bus]).map((s) => s.label) // ['Bus', 'Bus', 'Bus']
 */
export function smoothGlitches<S extends LabelledSpan>(spans: readonly S[]): S[] {
  return spans.map((_, i) => smoothedSpanAt(spans, i));
}
