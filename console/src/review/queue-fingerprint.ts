import type { ReviewQueue } from './types.js';

/**
 * What the page compares between two polls of the warehouse: the items, their timeline label and
 * source, and their decisions. Equal fingerprints: nothing to redraw.
 */
export function queueFingerprint(queue: ReviewQueue): string {
  return JSON.stringify(queue.items.map((i) => [i.startMs, i.finalLabel, i.finalSource, i.wrongProbability, i.decisions.map((d) => [d.label, d.decidedAtMs])]));
}
