/**
 * `polluscope sensors score --input <simulation dir>`: cleans the simulated sensor.csv with the
 * same functions as `sensors clean` and the service, then scores the result against
 * truth_faults.csv and truth_events.csv (docs/design.md §5.1).
 */
import { join } from 'node:path';
import { defaultCleaningParams, SENSOR_VARIABLES, type CleaningParams, type SensorRow, type SensorVariable } from '@polluscope/timeseries-preprocessing/domain';
import { InputError, readCsv, requireColumns, timeAt } from '../csv-io.js';
import { jumpsAboveFloor, scoreCleaning, type CleaningScore, type FlaggedMinute, type InjectedFault, type RealEvent } from '../scoring/score-cleaning.js';
import { cleanParticipants, readSensorRows } from './sensors.js';

const PARTICIPANT = 'participant_virtual_id';

async function readFaults(file: string): Promise<InjectedFault[]> {
  const table = await readCsv(file);
  requireColumns(table, [PARTICIPANT, 'time', 'variable', 'fault']);
  return table.rows.map((row) => {
    const variable = row.values['variable'] ?? '';
    if (!(SENSOR_VARIABLES as readonly string[]).includes(variable)) throw new InputError(file, row.line, 'variable', `unknown variable "${variable}"`);
    return { participantId: row.values[PARTICIPANT] ?? '', timeMs: timeAt(table, row, 'time'), variable: variable as SensorVariable, fault: row.values['fault'] ?? '' };
  });
}

async function readEvents(file: string): Promise<RealEvent[]> {
  const table = await readCsv(file);
  requireColumns(table, [PARTICIPANT, 'start', 'end', 'event']);
  return table.rows.map((row) => ({
    participantId: row.values[PARTICIPANT] ?? '',
    name: row.values['event'] ?? '',
    startMs: timeAt(table, row, 'start'),
    endMs: timeAt(table, row, 'end'),
  }));
}

const percent = (x: number) => `${(100 * x).toFixed(2)} %`;
const ratio = (x: number) => x.toFixed(3);

/** The lines `sensors score` prints. */
export function formatCleaningScore(score: CleaningScore): string {
  const lines = [
    `removals (range, spike): ${score.removals}, of injected faults ${score.removalsOfFaults} → precision ${ratio(score.precision)}`,
    `injected glitches (spike, out_of_range): ${score.glitches}, removed ${score.glitchesRemoved} → recall ${ratio(score.recall)}`,
    `  of which jump over the floor to both neighbours: ${score.glitchesAboveFloor}, removed ${score.glitchesAboveFloorRemoved} → recall ${ratio(score.recallAboveFloor)}`,
    `real-event minutes kept whole: ${score.eventMinutesKept} of ${score.eventMinutes} (${percent(score.eventMinutesKeptShare)})`,
    `values kept and flagged high: ${score.highCells} (${score.highCellsInEvents} in real events)`,
    'variable      removals  of faults  glitches   removed  > floor   removed',
    ...SENSOR_VARIABLES.map((v) => {
      const c = score.byVariable[v];
      return `${v.padEnd(12)} ${[c.removals, c.removalsOfFaults, c.glitches, c.glitchesRemoved, c.glitchesAboveFloor, c.glitchesAboveFloorRemoved].map((n) => String(n).padStart(9)).join(' ')}`;
    }),
    'event            minutes      kept',
    ...Object.entries(score.byEvent)
      .sort((a, b) => b[1].minutes - a[1].minutes)
      .map(([name, t]) => `${name.padEnd(15)} ${String(t.minutes).padStart(8)} ${String(t.kept).padStart(9)}`),
  ];
  return lines.join('\n');
}

/** Sets `aboveFloor` on each glitch from the raw values around it (the floors of the glitch rule). */
function markGlitchesAboveFloor(
  faults: InjectedFault[],
  groups: readonly { participantId: string; rows: readonly SensorRow[] }[],
  floors: Readonly<Record<SensorVariable, number>>,
): void {
  const rowsOf = new Map(groups.map((g) => [g.participantId, g.rows]));
  const series = new Map<string, Map<number, number | null>>();
  for (const [i, f] of faults.entries()) {
    if (f.fault !== 'spike' && f.fault !== 'out_of_range') continue;
    const key = `${f.participantId}\u0000${f.variable}`;
    let valueAt = series.get(key);
    if (valueAt === undefined) {
      valueAt = new Map((rowsOf.get(f.participantId) ?? []).map((r) => [r.timeMs, r[f.variable]]));
      series.set(key, valueAt);
    }
    faults[i] = { ...f, aboveFloor: jumpsAboveFloor(valueAt, f.timeMs, floors[f.variable]) };
  }
}

/**
 * `--min-jump humidity=5,bc=1000` → the default cleaning parameters with those glitch floors: the
 * floor of a rise; temperature and humidity have one floor for rises and drops, so theirs moves too.
 */
export function cleaningParamsWithFloors(text: string | undefined): CleaningParams {
  if (text === undefined) return defaultCleaningParams;
  const minJump = { ...defaultCleaningParams.spike.minJump };
  const minDrop = { ...defaultCleaningParams.spike.minDrop };
  for (const part of text.split(',')) {
    const [variable, value] = part.split('=').map((x) => x.trim());
    const floor = Number(value);
    if (!(SENSOR_VARIABLES as readonly string[]).includes(variable ?? '') || value === undefined || value === '' || !(floor >= 0)) {
      throw new InputError('--min-jump', null, null, `expected variable=value with a known variable and a value ≥ 0, got "${part}"`);
    }
    minJump[variable as SensorVariable] = floor;
    if (!defaultCleaningParams.spike.pollutants.includes(variable as SensorVariable)) minDrop[variable as SensorVariable] = floor;
  }
  return { ...defaultCleaningParams, spike: { ...defaultCleaningParams.spike, minJump, minDrop } };
}

export async function scoreCommand(options: { input: string; minJump?: string }): Promise<void> {
  const params = cleaningParamsWithFloors(options.minJump);
  const sensors = await readCsv(join(options.input, 'sensor.csv'));
  const faults = await readFaults(join(options.input, 'truth_faults.csv'));
  const events = await readEvents(join(options.input, 'truth_events.csv'));
  const groups = readSensorRows(sensors);
  markGlitchesAboveFloor(faults, groups, params.spike.minJump);
  const cleaned = cleanParticipants(groups, params);
  const minutes: FlaggedMinute[] = cleaned.flatMap(({ participantId, rows }) => rows.map(({ clean }) => ({ participantId, timeMs: clean.timeMs, qualityFlags: clean.qualityFlags })));
  const floors = options.minJump === undefined ? 'default floors' : `floors ${SENSOR_VARIABLES.map((v) => `${v}=${params.spike.minJump[v]}`).join(',')}`;
  console.log(`cleaning of ${options.input} (${floors}): ${cleaned.length} participant(s), ${minutes.length} minutes`);
  console.log(formatCleaningScore(scoreCleaning(minutes, faults, events)));
}
