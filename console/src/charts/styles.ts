/** The console's stylesheet: the pages load it, the report inlines it. */
export const CONSOLE_CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #dde1e8; --accent: #1f4e9c; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fafbfc; }
.top { display: flex; gap: 1.5em; align-items: baseline; padding: 10px 24px; background: #fff; border-bottom: 1px solid var(--line); }
.top strong { color: var(--accent); }
.top a { color: var(--muted); text-decoration: none; }
main { max-width: 1140px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 16px; margin: 0 0 8px; }
.summary, .legend-note, .coverage, figcaption, caption { color: var(--muted); }
.legend-note, figcaption, caption { font-size: 12px; }
a.back { font-size: 13px; color: var(--accent); text-decoration: none; }
.days-nav { font-size: 13px; color: var(--muted); }
.days-nav a { color: var(--accent); }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 14px 16px; margin: 14px 0; break-inside: avoid; }
#series { break-inside: auto; }
figure.chart { margin: 0 0 6px; }
/* Plot wraps a chart with a legend in a figure of its own: no browser margins, or it shrinks. */
figure.chart figure { margin: 0; }
figure.chart svg { overflow: visible; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
thead th { font-weight: 600; color: var(--muted); border-bottom: 2px solid var(--line); }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
table.days { width: 100%; margin-top: 12px; background: #fff; }
table.days th, table.days td:nth-child(2) { white-space: nowrap; }
td.coverage-cell { position: relative; min-width: 220px; }
td.coverage-cell .bar { position: absolute; left: 10px; top: 6px; bottom: 6px; max-width: calc(100% - 20px); background: #c9d7ef; border-radius: 2px; }
td.coverage-cell .bar-label { position: relative; }
.quality-panel { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
caption { text-align: left; padding-bottom: 4px; }
.error { color: #a61b1b; }
.top .who { margin-left: auto; color: var(--muted); }
.top button, .candidates button, form#login button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
.review-link a { color: var(--accent); font-weight: 600; }
.progress { font-weight: 600; }
.shortcuts { font-size: 12px; color: var(--muted); }
.status { min-height: 1.4em; color: var(--accent); }
.review-layout { display: grid; grid-template-columns: 190px 1fr; gap: 16px; align-items: start; }
.queue-list { margin: 14px 0; padding-left: 1.6em; font-size: 13px; }
.queue-list li { padding: 2px 0; }
.queue-list li.decided { color: var(--muted); }
.queue-list li[aria-current] { font-weight: 700; }
.queue-list li[aria-current]::marker { color: var(--accent); }
.review-columns { display: flex; gap: 24px; flex-wrap: wrap; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.candidates ol { list-style: none; padding: 0; margin: 6px 0; columns: 2; }
.candidates li { margin: 2px 0; }
.candidates .comment input { width: 240px; }
.decision-history { font-size: 13px; padding-left: 1.4em; }
.decision-history li[data-pending="true"] { color: var(--muted); }
form#login { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
@media print {
  body { background: #fff; }
  main { padding: 0; max-width: none; }
  .panel { border: none; padding: 0; margin: 10px 0; }
  .top, a.back { display: none; }
}
`;
