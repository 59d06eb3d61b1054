import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { decision, item, LABELS } from '../review/test-items.js';
import type { ReviewQueue } from '../review/types.js';
import { loginView, reviewView } from './review-view.js';
import { day } from './test-day.js';

const { document } = parseHTML('<!doctype html><html><body></body></html>') as unknown as { document: Document };

const queue: ReviewQueue = {
  participant: 'sim-001',
  day: '2026-01-12',
  timeZone: 'Europe/Paris',
  labels: LABELS,
  items: [item(5, { wrongProbability: 0.8, decisions: [decision('Walk', 300, 'bob')] }), item(0, { wrongProbability: 0.6 })],
};
const options = { document, width: 900, selected: 1, sent: new Map(), reviewer: 'alice', dayHref: '#/participants/sim-001/days/2026-01-12' };

describe('reviewView', () => {
  it('shows progress, the ranked list with the selected segment, and its numbered labels', () => {
    const view = reviewView(queue, day, options);
    const progress = view.querySelector('.progress')!;
    expect([progress.getAttribute('data-decided'), progress.getAttribute('data-total')]).toEqual(['1', '2']);
    expect(progress.textContent).toBe('1 of 2 decided · reviewing as alice');
    const items = [...view.querySelectorAll('.queue-list li')];
    expect(items.map((li) => li.getAttribute('class'))).toEqual(['decided', 'pending']);
    expect(items[1]!.getAttribute('aria-current')).toBe('true');
    const current = view.querySelector('section.review-item')!;
    expect(current.getAttribute('data-start')).toBe(String(queue.items[1]!.startMs));
    expect(current.getAttribute('data-current-label')).toBe('Bureau');
    const buttons = [...current.querySelectorAll('button[data-action="relabel"]')].map((b) => b.textContent);
    expect(buttons.slice(0, 3)).toEqual(['1 · Bureau (50 %)', '2 · Domicile (30 %)', '3 · Walk (10 %)']);
    expect(buttons[9]).toBe(LABELS.filter((l) => !['Bureau', 'Domicile', 'Walk'].includes(l))[6]);
    expect(current.querySelector('[data-chart="bands"] svg, [data-chart="bands"] figure')).not.toBeNull();
    expect(current.querySelector('.decision-history')!.textContent).toBe('No decision yet.');
  });

  it("shows a segment's history newest first, a decision sent but not yet stored marked as such", () => {
    const sent = new Map([[queue.items[0]!.startMs, decision('Bus', 400, 'alice')]]);
    const view = reviewView(queue, day, { ...options, selected: 0, sent });
    const history = [...view.querySelectorAll('.decision-history li')].map((li) => [li.querySelector('strong')!.textContent, li.getAttribute('data-pending')]);
    expect(history).toEqual([
      ['Bus', 'true'],
      ['Walk', 'false'],
    ]);
    expect(view.querySelector('section.review-item')!.getAttribute('data-current-label')).toBe('Bus');
  });

  it('says when the day has nothing flagged', () => {
    const view = reviewView({ ...queue, items: [] }, day, options);
    expect(view.querySelector('.empty-queue')!.textContent).toBe('No segment of this day is flagged for review.');
    expect(view.querySelector('.progress')!.getAttribute('data-total')).toBe('0');
  });
});

describe('loginView', () => {
  it('is a form with a name and a password field, and the message', () => {
    const view = loginView(document, 'Unknown reviewer or wrong password.');
    expect(view.querySelector('form#login input[name="password"]')!.getAttribute('type')).toBe('password');
    expect(view.querySelector('[role="alert"]')!.textContent).toBe('Unknown reviewer or wrong password.');
  });
});
