/**
 * The review queue of a participant-day as one element: the flagged segments likeliest wrong first,
 * progress through the day, and the selected segment with its context (the labels around it, the
 * pollutant series half an hour either side, the map of its fixes), its labels and probabilities,
 * the reason it is flagged, the numbered labels to relabel with, and its history of decisions.
 * Built in any document from the same chart functions as the day view.
 */
import { POLLUTANTS, type ParticipantDay } from '../day/types.js';
import { currentDecision, currentLabel, reviewProgress, type SentDecisions } from '../review/current-decision.js';
import { RELABEL_KEYS, relabelCandidates } from '../review/relabel-candidates.js';
import { REVIEW_SHORTCUTS } from '../review/review-key-action.js';
import { segmentContext } from '../review/segment-context.js';
import type { ReviewItem, ReviewQueue } from '../review/types.js';
import { labelBandsChart } from './bands-chart.js';
import { clockTime } from './day-axis.js';
import { element, type Child } from './html.js';
import { trajectoryMap } from './map-chart.js';
import { pollutantChart } from './series-chart.js';

export interface ReviewViewOptions {
  readonly document: Document;
  readonly width: number;
  /** Index in queue.items of the segment shown. */
  readonly selected: number;
  readonly sent: SentDecisions;
  readonly reviewer: string;
  readonly dayHref: string;
  readonly tileUrl?: string | null;
  /** A line for the status area (a decision sent, an error). */
  readonly status?: string;
}

const REASONS: Readonly<Record<string, string>> = {
  low_confidence_no_gps: 'a label from the sensors alone, with low confidence',
  contradicts_declaration: 'contradicts the declaration (another group)',
};

const percent = (p: number | null) => (p === null ? '–' : `${Math.round(p * 100)} %`);
const span = (item: ReviewItem, timeZone: string) => `${clockTime(item.startMs, timeZone)}–${clockTime(item.endMs, timeZone)}`;
const dateTime = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(ms);

function queueList(queue: ReviewQueue, options: ReviewViewOptions): HTMLElement {
  const { document } = options;
  return element(
    document,
    'ol',
    { class: 'queue-list', 'aria-label': 'segments to review' },
    queue.items.map((item, i) => {
      const decision = currentDecision(item, options.sent);
      return element(
        document,
        'li',
        { 'data-start': String(item.startMs), class: decision ? 'decided' : 'pending', ...(i === options.selected ? { 'aria-current': 'true' } : {}) },
        [
          element(document, 'a', { href: `#review-${item.startMs}`, 'data-index': String(i) }, [span(item, queue.timeZone)]),
          ` ${percent(item.wrongProbability)} · ${currentLabel(item, options.sent) ?? 'unknown'}`,
          decision ? ` ✓ ${decision.reviewer ?? ''}` : '',
        ],
      );
    }),
  );
}

function labelFacts(item: ReviewItem, queue: ReviewQueue, options: ReviewViewOptions): HTMLElement {
  const { document } = options;
  const row = (term: string, value: Child) => [element(document, 'dt', {}, [term]), element(document, 'dd', {}, [value])];
  return element(document, 'dl', { class: 'facts' }, [
    ...row('why flagged', REASONS[item.reviewReason ?? ''] ?? item.reviewReason ?? '–'),
    ...row('probability the label is wrong', percent(item.wrongProbability)),
    ...row('declared', item.declaredLabel ?? 'nothing declared'),
    ...row('predicted from the sensors', `${item.predictedLabel ?? 'none'} (${percent(item.confidence)})${item.ruleApplied ? `, rule ${item.ruleApplied}` : ''}`),
    ...row('label now', element(document, 'strong', { class: 'label-now' }, [`${currentLabel(item, options.sent) ?? 'unknown'}`])),
    ...row('timeline source', item.finalSource ?? '–'),
  ]);
}

function candidatesList(item: ReviewItem, queue: ReviewQueue, options: ReviewViewOptions): HTMLElement {
  const { document } = options;
  const candidates = relabelCandidates(item, queue.labels);
  const now = currentLabel(item, options.sent);
  return element(document, 'div', { class: 'candidates' }, [
    element(document, 'button', { type: 'button', 'data-action': 'accept', ...(now === null ? { disabled: '' } : {}) }, [`a · accept ${now ?? ''}`]),
    element(
      document,
      'ol',
      { 'aria-label': 'relabel with' },
      candidates.map((label, i) =>
        element(document, 'li', {}, [
          element(document, 'button', { type: 'button', 'data-action': 'relabel', 'data-label': label }, [
            i < RELABEL_KEYS ? `${i + 1} · ` : '',
            label,
            item.probabilities?.[label] !== undefined ? ` (${percent(item.probabilities[label]!)})` : '',
          ]),
        ]),
      ),
    ),
    element(document, 'button', { type: 'button', 'data-action': 'undo' }, ['u · undo my last decision']),
    element(document, 'label', { class: 'comment' }, ['comment (optional) ', element(document, 'input', { type: 'text', name: 'comment', maxlength: '2000' })]),
  ]);
}

function history(item: ReviewItem, queue: ReviewQueue, options: ReviewViewOptions): HTMLElement {
  const { document } = options;
  const sent = options.sent.get(item.startMs);
  const stored = new Set(item.decisions.map((d) => d.decidedAtMs));
  const pending = sent && !stored.has(sent.decidedAtMs) ? [{ ...sent, pending: true }] : [];
  const all = [...pending, ...item.decisions.map((d) => ({ ...d, pending: false }))];
  if (all.length === 0) return element(document, 'p', { class: 'decision-history empty' }, ['No decision yet.']);
  return element(
    document,
    'ol',
    { class: 'decision-history', 'aria-label': 'decisions, newest first' },
    all.map((d) =>
      element(document, 'li', { 'data-pending': String(d.pending) }, [
        element(document, 'strong', {}, [d.label]),
        ` by ${d.reviewer ?? 'unknown'}, ${dateTime(d.decidedAtMs, queue.timeZone)}`,
        d.comment ? ` — ${d.comment}` : '',
        d.pending ? ' (sent; the warehouse has not shown it yet)' : '',
      ]),
    ),
  );
}

function selectedItem(item: ReviewItem, queue: ReviewQueue, day: ParticipantDay, options: ReviewViewOptions): HTMLElement {
  const { document, width } = options;
  const context = segmentContext(day, item);
  const chartOptions = { document, width: width - 40 };
  const figure = (chart: string, content: Child) => element(document, 'figure', { class: 'chart', 'data-chart': chart }, [content]);
  return element(document, 'section', { id: 'current', class: 'panel review-item', 'data-start': String(item.startMs), 'data-current-label': currentLabel(item, options.sent) ?? '' }, [
    element(document, 'h2', {}, [`${span(item, queue.timeZone)} · ${REASONS[item.reviewReason ?? ''] ?? item.reviewReason ?? ''}`]),
    element(document, 'div', { class: 'review-columns' }, [element(document, 'div', {}, [labelFacts(item, queue, options), history(item, queue, options)]), candidatesList(item, queue, options)]),
    element(document, 'p', { class: 'legend-note' }, ['The segment and half an hour either side: declared, predicted and final labels, then the cleaned pollutant minutes; the map shows the fixes of the segment.']),
    figure('bands', labelBandsChart(context, chartOptions)),
    ...POLLUTANTS.map((p) => figure(p, pollutantChart(context, p, { document, width: width - 40 }))),
    context.fixes.length === 0
      ? element(document, 'p', { class: 'no-fixes' }, ['No GPS fix in this segment.'])
      : figure('map', trajectoryMap(context, { ...chartOptions, width: Math.min(560, width - 40), tileUrl: options.tileUrl ?? null })),
  ]);
}

export function reviewView(queue: ReviewQueue, day: ParticipantDay, options: ReviewViewOptions): HTMLElement {
  const { document } = options;
  const { decided, total } = reviewProgress(queue.items, options.sent);
  const item = queue.items[options.selected];
  return element(document, 'article', { class: 'review-view', 'data-participant': queue.participant, 'data-day': queue.day }, [
    element(document, 'header', {}, [
      element(document, 'a', { href: options.dayHref, class: 'back' }, ['← the day']),
      element(document, 'h1', {}, [`Review · ${queue.participant} · ${queue.day}`]),
      element(document, 'p', { class: 'progress', 'data-decided': String(decided), 'data-total': String(total) }, [`${decided} of ${total} decided · reviewing as ${options.reviewer}`]),
      element(document, 'p', { class: 'shortcuts' }, [REVIEW_SHORTCUTS.map(([key, what]) => `${key}: ${what}`).join(' · ')]),
      element(document, 'p', { class: 'status', role: 'status', 'aria-live': 'polite' }, [options.status ?? '']),
    ]),
    total === 0
      ? element(document, 'p', { class: 'empty-queue' }, ['No segment of this day is flagged for review.'])
      : element(document, 'div', { class: 'review-layout' }, [queueList(queue, options), item ? selectedItem(item, queue, day, options) : null]),
  ]);
}

/** The login form (the page script sends it). */
export function loginView(document: Document, message: string | null): HTMLElement {
  return element(document, 'article', { class: 'login-view' }, [
    element(document, 'h1', {}, ['Reviewer login']),
    element(document, 'p', { class: 'summary' }, ['Reviewers log in with the account an operator created (', element(document, 'code', {}, ['polluscope reviewers add']), '). Researchers need no login to read the pages.']),
    element(document, 'form', { id: 'login', class: 'panel' }, [
      element(document, 'label', {}, [element(document, 'span', {}, ['Name']), ' ', element(document, 'input', { name: 'name', autocomplete: 'username', required: '', maxlength: '64' })]),
      element(document, 'label', {}, [element(document, 'span', {}, ['Password']), ' ', element(document, 'input', { name: 'password', type: 'password', autocomplete: 'current-password', required: '', maxlength: '256' })]),
      element(document, 'button', { type: 'submit' }, ['Log in']),
    ]),
    element(document, 'p', { class: 'error', role: 'alert' }, [message ?? '']),
  ]);
}
