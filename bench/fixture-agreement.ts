/**
 * Agreement of the two stop detectors with the original pipeline on the real fixture
 * (../shared/fixtures/polluscope-moves-9999941.csv), per point:
 * - with the original's `_stops_` (0 = stop): accuracy, precision and recall of "stop";
 * - with the volunteer's declarations as the original defined them (`_activity_` 0 = declared
 *   indoor): precision and recall of "stop" for "declared indoor".
 * Points go through the same cleaning, rasterisation and detectors as `polluscope gps stops`;
 * rows dropped by the cleaner take the episode of the latest start not after them.
 *
 * Run: npx tsx bench/fixture-agreement.ts [fixture.csv]
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cleanGpsPoints, rasterCell } from '../services/gps-preprocessing/src/domain/index.js';
import {
  defaultHilbertDensityParams,
  defaultStayPointParams,
  detectHilbertDensityStops,
  detectStayPoints,
  type Episode,
  type TrackPoint,
} from '../services/stop-move-detection/src/domain/index.js';
import { numberAt, readCsv, timeAt } from '../cli/src/csv-io.js';

// The fixture beside the repository, or the file given as first argument (a worktree lies deeper).
const FIXTURE = process.argv[2] ?? fileURLToPath(new URL('../../shared/fixtures/polluscope-moves-9999941.csv', import.meta.url));

interface Row extends TrackPoint {
  readonly row: number;
}

function stopFlags(rows: readonly Row[], kept: readonly Row[], episodes: readonly Episode[]): boolean[] {
  const flags = new Array<boolean>(rows.length).fill(false);
  const labelled = new Set<number>();
  for (const e of episodes) {
    for (let i = e.firstIndex; i <= e.lastIndex; i++) {
      flags[kept[i]!.row] = e.type === 'stop';
      labelled.add(kept[i]!.row);
    }
  }
  for (const r of rows) {
    if (labelled.has(r.row)) continue;
    let best: Episode | undefined;
    for (const e of episodes) if (e.startMs <= r.timeMs) best = e;
    flags[r.row] = (best ?? episodes[0])?.type === 'stop';
  }
  return flags;
}

function scores(predicted: readonly boolean[], truth: readonly boolean[]): { accuracy: number; precision: number; recall: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let same = 0;
  predicted.forEach((p, i) => {
    const t = truth[i]!;
    if (p === t) same++;
    if (p && t) tp++;
    if (p && !t) fp++;
    if (!p && t) fn++;
  });
  return { accuracy: same / truth.length, precision: tp / (tp + fp || 1), recall: tp / (tp + fn || 1) };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

function durations(episodes: readonly Episode[]): string {
  const d = episodes.filter((e) => e.type === 'stop').map((e) => e.durationS).sort((a, b) => a - b);
  if (d.length === 0) return 'none';
  const total = d.reduce((a, b) => a + b, 0);
  const median = d.length % 2 ? d[(d.length - 1) / 2]! : (d[d.length / 2 - 1]! + d[d.length / 2]!) / 2;
  return `total ${(total / 60).toFixed(1)} min, min ${d[0]} s, median ${median} s, max ${d.at(-1)} s`;
}

function pointCounts(episodes: readonly Episode[]): string {
  const n = episodes.filter((e) => e.type === 'stop').map((e) => e.pointCount).sort((a, b) => a - b);
  if (n.length === 0) return 'none';
  return `min ${n[0]}, median ${n[Math.floor((n.length - 1) / 2)]}, max ${n.at(-1)}`;
}

async function main(): Promise<void> {
  if (!existsSync(FIXTURE)) {
    console.log(`skipped: fixture not found at ${FIXTURE}`);
    return;
  }
  const table = await readCsv(FIXTURE);
  const rows: Row[] = table.rows.map((r, row) => {
    const lat = numberAt(table, r, 'lat');
    const lon = numberAt(table, r, 'lon');
    return { row, timeMs: timeAt(table, r, 'time'), lat, lon, hilbert: rasterCell(lat, lon)?.hilbert ?? null };
  });
  const originalStop = table.rows.map((r) => r.values._stops_ === '0');
  const declaredIndoor = table.rows.map((r) => r.values._activity_ === '0');
  const kept = cleanGpsPoints(rows).kept;
  console.log(`fixture: ${rows.length} rows, ${kept.length} kept by the cleaner; original: ${originalStop.filter(Boolean).length} stop points, ${declaredIndoor.filter(Boolean).length} declared-indoor points`);

  const baseline = scores(originalStop, declaredIndoor);
  console.log(`original hilbert-density (its _stops_) vs declared indoor: precision ${pct(baseline.precision)}, recall ${pct(baseline.recall)}`);

  const detectors: Array<[string, Episode[]]> = [
    [`stay-point (${JSON.stringify(defaultStayPointParams)})`, detectStayPoints(kept)],
    [`hilbert-density (${defaultHilbertDensityParams.minPointsPerCell} points/cell/day)`, detectHilbertDensityStops(kept)],
  ];
  for (const [name, episodes] of detectors) {
    const flags = stopFlags(rows, kept, episodes);
    const vsOriginal = scores(flags, originalStop);
    const vsDeclared = scores(flags, declaredIndoor);
    console.log(`\n${name}`);
    console.log(`  stops: ${episodes.filter((e) => e.type === 'stop').length}, moves: ${episodes.filter((e) => e.type === 'move').length}; stop durations: ${durations(episodes)}`);
    console.log(`  points per stop: ${pointCounts(episodes)}; stop points: ${flags.filter(Boolean).length}`);
    console.log(`  vs original _stops_: accuracy ${pct(vsOriginal.accuracy)}, stop precision ${pct(vsOriginal.precision)}, stop recall ${pct(vsOriginal.recall)}`);
    console.log(`  vs declared indoor (_activity_ = 0): precision ${pct(vsDeclared.precision)}, recall ${pct(vsDeclared.recall)}`);
  }
}

await main();
