import type { ReviewDecision } from './types.js';

/** What undoing one of this page's decisions needs: the decision, and the label it replaced. */
export interface UndoEntry {
  readonly participant: string;
  readonly segmentStartMs: number;
  readonly undone: ReviewDecision;
  /** The segment's label before the decision; null when it had none (nothing to restore). */
  readonly restoreLabel: string | null;
}

/**
 * The request that undoes an entry: a new decision with the label before it, so that the history
 * keeps both (docs/design.md §5.6); null when there was no label to restore.
 *
 * @example undoRequest({ restoreLabel: 'Domicile', undone: { label: 'Bureau', decidedAtMs: 0, … }, … })?.body // { label: 'Domicile', undoes: { label: 'Bureau', decidedAt: '1970-01-01T00:00:00.000Z' } }
 */
export function undoRequest(entry: UndoEntry): { path: string; body: { label: string; undoes: { label: string; decidedAt: string } } } | null {
  if (entry.restoreLabel === null) return null;
  return {
    path: `api/reviews/${encodeURIComponent(entry.participant)}/${new Date(entry.segmentStartMs).toISOString()}/undo`,
    body: { label: entry.restoreLabel, undoes: { label: entry.undone.label, decidedAt: new Date(entry.undone.decidedAtMs).toISOString() } },
  };
}

/** The comment an undo records: what it undid. */
export function undoComment(undone: { label: string; decidedAt: string }, restored: string): string {
  return `undo of ${undone.label} (decided ${undone.decidedAt}): back to ${restored}`;
}
