/**
 * The participant-day view as one self-contained HTML file: the page's charts rendered in Node
 * (Plot with linkedom's document), the stylesheet inlined, no script and nothing fetched.
 */
import { parseHTML } from 'linkedom';
import { dayView } from '../charts/day-view.js';
import { CONSOLE_CSS } from '../charts/styles.js';
import type { ParticipantDay } from '../day/types.js';

export interface DayReportOptions {
  /** Content width in pixels (A4 portrait prints about 1000 px wide at 96 dpi with small margins). */
  readonly width?: number;
  /** Shown in the footer; the caller's clock, so the function stays pure. */
  readonly generatedAt?: Date;
}

export function dayReportHtml(day: ParticipantDay, options: DayReportOptions = {}): string {
  const { document } = parseHTML('<!doctype html><html lang="en"><head></head><body></body></html>');
  const doc = document as unknown as Document;
  const head = doc.head;
  const meta = doc.createElement('meta');
  meta.setAttribute('charset', 'utf-8');
  const title = doc.createElement('title');
  title.textContent = `Polluscope · ${day.participant} · ${day.day}`;
  const style = doc.createElement('style');
  style.textContent = CONSOLE_CSS;
  head.append(meta, title, style);
  const main = doc.createElement('main');
  main.append(dayView(day, { document: doc, width: options.width ?? 1000 }));
  const footer = doc.createElement('p');
  footer.setAttribute('class', 'legend-note');
  footer.textContent = `Polluscope warehouse report${options.generatedAt ? `, generated ${options.generatedAt.toISOString()}` : ''}.`;
  main.append(footer);
  doc.body.append(main);
  return document.toString();
}
