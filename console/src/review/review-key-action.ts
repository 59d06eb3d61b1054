import { RELABEL_KEYS } from './relabel-candidates.js';

/** What a key press asks of the review queue. */
export type ReviewAction =
  | { readonly type: 'accept' }
  | { readonly type: 'relabel'; readonly label: string }
  | { readonly type: 'undo' }
  | { readonly type: 'next' }
  | { readonly type: 'previous' };

/** The parts of a KeyboardEvent that decide (a plain object in tests). */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  /** The focus is in a text field (the comment): keys are typed, not commands. */
  readonly inTextField?: boolean;
}

/** The queue's shortcuts, for the page's help line and the README. */
export const REVIEW_SHORTCUTS: readonly (readonly [key: string, what: string])[] = Object.freeze([
  ['a', 'accept the current label'],
  ['1–9', 'relabel with the numbered label'],
  ['u', 'undo your last decision (a new decision restoring the label before it)'],
  ['j / k', 'next / previous segment'],
]);

/**
 * The action of a key press on the queue, given the current segment's relabel candidates; null
 * for keys that are not shortcuts, with a modifier (the browser's own shortcuts) or in a text field.
 *
 * @example reviewKeyAction({ key: '2' }, ['Bureau', 'Domicile']) // { type: 'relabel', label: 'Domicile' }
 */
export function reviewKeyAction(press: KeyPress, candidates: readonly string[]): ReviewAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey || press.inTextField) return null;
  switch (press.key) {
    case 'a':
      return { type: 'accept' };
    case 'u':
      return { type: 'undo' };
    case 'j':
    case 'ArrowDown':
      return { type: 'next' };
    case 'k':
    case 'ArrowUp':
      return { type: 'previous' };
  }
  if (/^[1-9]$/.test(press.key)) {
    const index = Number(press.key) - 1;
    const label = index < RELABEL_KEYS ? candidates[index] : undefined;
    return label === undefined ? null : { type: 'relabel', label };
  }
  return null;
}
