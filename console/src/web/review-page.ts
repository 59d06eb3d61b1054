/**
 * The review queue page's behaviour: loads the queue and the day, draws them (reviewView), answers
 * the keyboard and the buttons, sends decisions and undos, and polls the warehouse every few
 * seconds, redrawing when the timeline or the decisions changed.
 */
import { reviewView } from '../charts/review-view.js';
import type { ParticipantDay } from '../day/types.js';
import { currentDecision, currentLabel, pruneSent } from '../review/current-decision.js';
import { queueFingerprint } from '../review/queue-fingerprint.js';
import { relabelCandidates } from '../review/relabel-candidates.js';
import { reviewKeyAction, type ReviewAction } from '../review/review-key-action.js';
import type { ReviewDecision, ReviewQueue, ReviewSession } from '../review/types.js';
import { undoRequest, type UndoEntry } from '../review/undo-entry.js';
import { ApiError, getJson, postJson } from './api.js';

export const POLL_MS = 5_000;

interface DecisionAnswer {
  readonly decision: { label: string; reviewer: string; comment: string | null; decided_at: string };
}

export class ReviewPage {
  private queue: ReviewQueue | null = null;
  private day: ParticipantDay | null = null;
  private fingerprint = '';
  private selected = 0;
  private readonly sent = new Map<number, ReviewDecision>();
  private readonly undo: UndoEntry[] = [];
  private status = '';
  private busy = false;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly page: HTMLElement,
    private readonly participant: string,
    private readonly dayName: string,
    private readonly session: ReviewSession,
    private readonly options: { width: () => number; tileUrl: string | null; dayHref: string; onLoggedOut: () => void },
  ) {}

  private queuePath = () => `api/participants/${encodeURIComponent(this.participant)}/days/${this.dayName}/reviews`;
  private dayPath = () => `api/participants/${encodeURIComponent(this.participant)}/days/${this.dayName}`;

  async start(): Promise<void> {
    await this.refresh(true);
    this.timer = setInterval(() => void this.refresh(false).catch((err: unknown) => this.show(`Could not refresh: ${(err as Error).message}`)), POLL_MS);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads the queue; redraws (with the day re-read: labels and exposure moved) when it changed. */
  private async refresh(first: boolean): Promise<void> {
    const queue = await getJson<ReviewQueue>(this.queuePath());
    const fingerprint = queueFingerprint(queue);
    if (!first && fingerprint === this.fingerprint) return;
    const day = await getJson<ParticipantDay>(this.dayPath()).catch((err: unknown) => {
      // A day without sensor minutes still has a queue to show, without context.
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    });
    const selectedStart = this.queue?.items[this.selected]?.startMs;
    this.queue = queue;
    this.day = day ?? this.emptyDay(queue);
    this.fingerprint = fingerprint;
    const pruned = pruneSent(queue.items, this.sent);
    this.sent.clear();
    for (const [k, v] of pruned) this.sent.set(k, v);
    const again = selectedStart === undefined ? -1 : queue.items.findIndex((i) => i.startMs === selectedStart);
    this.selected = again >= 0 ? again : Math.min(this.selected, Math.max(0, queue.items.length - 1));
    this.render();
  }

  private emptyDay(queue: ReviewQueue): ParticipantDay {
    return {
      participant: queue.participant, day: queue.day, timeZone: queue.timeZone, dayStartMs: 0, dayEndMs: 0, minutes: [], segments: [], fixes: [], stops: [],
      exposure: { rows: [], measuredMinutes: null, labelledMinutes: null, dayLengthMinutes: null },
      quality: { minutes: 0, variables: [], gps: { keptFixes: 0, outsideGrid: 0, droppedByReason: null, rawFixes: null } },
      grid: { lonMin: 0, lonMax: 1, latMin: 0, latMax: 1, cells: 1 }, participantDays: [queue.day],
    };
  }

  private show(status: string): void {
    this.status = status;
    this.render();
  }

  private render(): void {
    if (this.queue === null || this.day === null) return;
    const view = reviewView(this.queue, this.day, {
      document,
      width: this.options.width(),
      selected: this.selected,
      sent: this.sent,
      reviewer: this.session.reviewer ?? '',
      dayHref: this.options.dayHref,
      tileUrl: this.options.tileUrl,
      status: this.status,
    });
    view.addEventListener('click', (event) => this.onClick(event));
    this.page.replaceChildren(view);
    document.body.dataset.state = 'ready';
  }

  private onClick(event: Event): void {
    const target = (event.target as HTMLElement).closest('[data-action], a[data-index]') as HTMLElement | null;
    if (target === null) return;
    event.preventDefault();
    if (target.dataset.index !== undefined) {
      this.selected = Number(target.dataset.index);
      this.show('');
      return;
    }
    const action = target.dataset.action;
    if (action === 'accept') void this.act({ type: 'accept' });
    else if (action === 'undo') void this.act({ type: 'undo' });
    else if (action === 'relabel' && target.dataset.label) void this.act({ type: 'relabel', label: target.dataset.label });
  }

  /** The keyboard: true when the key was a shortcut of the queue. */
  onKey(event: KeyboardEvent): boolean {
    const item = this.queue?.items[this.selected];
    const target = event.target as HTMLElement | null;
    const inTextField = target !== null && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
    const action = reviewKeyAction({ key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, altKey: event.altKey, inTextField }, item ? relabelCandidates(item, this.queue!.labels) : []);
    if (action === null) return false;
    void this.act(action);
    return true;
  }

  private async act(action: ReviewAction): Promise<void> {
    const queue = this.queue;
    if (queue === null || queue.items.length === 0) return;
    if (action.type === 'next' || action.type === 'previous') {
      this.selected = Math.max(0, Math.min(queue.items.length - 1, this.selected + (action.type === 'next' ? 1 : -1)));
      this.show('');
      return;
    }
    if (this.busy) return;
    this.busy = true;
    try {
      if (action.type === 'undo') await this.undoLast();
      else await this.decide(action.type === 'accept' ? null : action.label);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return this.options.onLoggedOut();
      this.show(`Not sent: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  /** Accepts (label null: the label now) or relabels the selected segment, then moves to the next pending one. */
  private async decide(label: string | null): Promise<void> {
    const queue = this.queue!;
    const item = queue.items[this.selected]!;
    const before = currentLabel(item, this.sent);
    const chosen = label ?? before;
    if (chosen === null) return this.show('This segment has no label to accept: choose one with 1–9.');
    const comment = (this.page.querySelector('input[name="comment"]') as HTMLInputElement | null)?.value.trim() || undefined;
    const path = `api/reviews/${encodeURIComponent(queue.participant)}/${new Date(item.startMs).toISOString()}`;
    const answer = await postJson<DecisionAnswer>(path, { label: chosen, ...(comment ? { comment } : {}) }, this.session);
    const decision = this.remember(item.startMs, answer);
    this.undo.push({ participant: queue.participant, segmentStartMs: item.startMs, undone: decision, restoreLabel: before });
    const next = queue.items.findIndex((candidate, i) => i > this.selected && currentDecision(candidate, this.sent) === null);
    if (next >= 0) this.selected = next;
    this.show(`${decision.label} recorded for ${new Date(item.startMs).toISOString().slice(11, 16)} UTC by ${decision.reviewer}.`);
  }

  private async undoLast(): Promise<void> {
    const entry = this.undo.at(-1);
    if (entry === undefined) return this.show('Nothing of yours to undo on this page.');
    const request = undoRequest(entry);
    if (request === null) {
      this.undo.pop();
      return this.show('The segment had no label before your decision: nothing to restore; choose one with 1–9.');
    }
    const answer = await postJson<DecisionAnswer>(request.path, request.body, this.session);
    this.undo.pop();
    const decision = this.remember(entry.segmentStartMs, answer);
    const index = this.queue!.items.findIndex((i) => i.startMs === entry.segmentStartMs);
    if (index >= 0) this.selected = index;
    this.show(`Undone: back to ${decision.label}.`);
  }

  private remember(startMs: number, answer: DecisionAnswer): ReviewDecision {
    const d = answer.decision;
    const decision = { label: d.label, reviewer: d.reviewer, comment: d.comment, decidedAtMs: Date.parse(d.decided_at) };
    this.sent.set(startMs, decision);
    return decision;
  }
}
