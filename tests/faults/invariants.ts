/**
 * What a run's warehouse must hold, computed from its input with the CLI's own functions
 * (docs/design.md §9): every valid sensor row in `sensor_clean` once, equal to `polluscope sensors
 * clean`; every fix the CLI's GPS cleaning keeps in `gps_clean` once; `gps_episodes` equal to
 * `polluscope gps stops`; a timeline row for every segment; and no dead letter the input does not
 * explain. Each check returns the violations it found, as readable lines.
 */
import { cleanSensorSeries, type SensorRow } from '@polluscope/timeseries-preprocessing/domain';
import { cleanGpsPoints, rasterCell, validateGpsRecord } from '@polluscope/gps-preprocessing/domain';
import { defaultStayPointParams } from '@polluscope/stop-move-detection/domain';
import { detectEpisodes, type GpsRow } from '../../cli/src/commands/gps.js';
import { timeOf, type KitData } from './kit-feed.js';
import type { DeadLetter } from './pipeline-run.js';
import type { Row } from './table-diff.js';

const SENSOR_VALUES = ['pm1', 'pm25', 'pm10', 'no2', 'bc', 'temperature', 'humidity'] as const;
const FUTURE_PREFIX = 'future:';
const MAX_LISTED = 5;

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (value: unknown) => (value instanceof Date ? value.getTime() : Number(value));
const orNull = (text: string | undefined) => (text === undefined || text === '' ? null : text);
const numberOrNull = (text: string | undefined) => (text === undefined || text === '' ? null : Number(text));

/** At most a few lines of a list of violations, and how many there are. */
function listed(what: string, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  return [`${what}: ${items.length}`, ...items.slice(0, MAX_LISTED).map((i) => `  ${i}`)];
}

/** One kit's lines as the CLI reads them, under the run's participant id. */
function kitLines(data: KitData, kit: number) {
  const k = data.kits[kit]!;
  return { sensor: k.sensor.flat(), gps: k.gps.flat() };
}

function sensorRows(header: string, lines: readonly string[]): SensorRow[] {
  const columns = header.split(',');
  return lines.map((line) => {
    const values = line.split(',');
    const at = (name: string) => values[columns.indexOf(name)];
    return {
      timeMs: timeOf(line),
      pm1: numberOrNull(at('pm1')),
      pm25: numberOrNull(at('pm25')),
      pm10: numberOrNull(at('pm10')),
      no2: numberOrNull(at('no2')),
      bc: numberOrNull(at('bc')),
      temperature: numberOrNull(at('temperature')),
      humidity: numberOrNull(at('humidity')),
      activity: orNull(at('activity')),
      event: orNull(at('event')),
    };
  });
}

function gpsRows(participant: string, lines: readonly string[]): { valid: GpsRow[]; invalid: number } {
  const valid: GpsRow[] = [];
  let invalid = 0;
  lines.forEach((line, row) => {
    const [, , , lat, lon] = line.split(',');
    const point = { timeMs: timeOf(line), lat: Number(lat), lon: Number(lon) };
    if (validateGpsRecord(point) !== null) invalid++;
    else valid.push({ participant, row, ...point, hilbert: rasterCell(point.lat, point.lon)?.hilbert ?? null });
  });
  return { valid, invalid };
}

const byParticipant = (rows: readonly Row[], participant: string) => rows.filter((r) => r.participant_virtual_id === participant);

/** Participant ids of the run's kits, as the snapshot gives them (prefix taken off). */
const kitIds = (data: KitData) => data.kits.map((k) => k.id.replace(/^sim-/, ''));

/** `sensor_clean` against `polluscope sensors clean` on each kit's rows: same minutes, same values and flags. */
export function checkSensorClean(data: KitData, tables: Map<string, Row[]>): string[] {
  const problems: string[] = [];
  kitIds(data).forEach((id, kit) => {
    const expected = new Map(cleanSensorSeries(sensorRows(data.sensorHeader, kitLines(data, kit).sensor)).map((r) => [r.timeMs, r]));
    const rows = byParticipant(tables.get('sensor_clean') ?? [], id);
    const seen = new Set(rows.map((r) => ms(r.time)));
    problems.push(...listed(`${id}: input minutes missing from sensor_clean`, [...expected.keys()].filter((t) => !seen.has(t)).map(iso)));
    problems.push(...listed(`${id}: sensor_clean minutes not in the input`, [...seen].filter((t) => !expected.has(t)).map(iso)));
    const differing = rows.flatMap((r) => {
      const c = expected.get(ms(r.time));
      if (c === undefined) return [];
      const columns = SENSOR_VALUES.filter((v) => r[v] !== c[v] || r[`imputed_${v}`] !== c[`imputed_${v}`]);
      if ((r.quality_flags ?? '') !== c.qualityFlags) columns.push('quality_flags' as never);
      return columns.length > 0 ? [`${iso(c.timeMs)}: ${columns.join(', ')}`] : [];
    });
    problems.push(...listed(`${id}: sensor_clean rows that differ from \`polluscope sensors clean\``, differing));
  });
  return problems;
}

/** `gps_clean` holds exactly the fixes the CLI's cleaning keeps; `gps_episodes` equal `polluscope gps stops`. */
export function checkGps(data: KitData, tables: Map<string, Row[]>): string[] {
  const problems: string[] = [];
  kitIds(data).forEach((id, kit) => {
    const { valid } = gpsRows(id, kitLines(data, kit).gps);
    const kept = cleanGpsPoints(valid).kept.map((p) => `${iso(p.timeMs)} ${p.lat} ${p.lon}`);
    const clean = byParticipant(tables.get('gps_clean') ?? [], id).map((r) => `${iso(ms(r.time))} ${r.lat} ${r.lon}`);
    const keptSet = new Set(kept);
    const cleanSet = new Set(clean);
    problems.push(...listed(`${id}: kept fixes missing from gps_clean`, kept.filter((k) => !cleanSet.has(k))));
    problems.push(...listed(`${id}: gps_clean rows the CLI does not keep`, clean.filter((c) => !keptSet.has(c))));
    const [found] = detectEpisodes(valid, { method: 'stay-point', stayPoint: defaultStayPointParams, transportModel: null });
    const expected = (found?.episodes ?? []).map((e) => `${e.type} ${iso(e.startMs)} ${iso(e.endMs)} ${e.pointCount}`);
    const episodes = byParticipant(tables.get('gps_episodes') ?? [], id).map(
      (e) => `${e.episode_type} ${iso(ms(e.episode_start))} ${iso(ms(e.episode_end))} ${e.point_count}`,
    );
    if (expected.join('\n') !== episodes.join('\n')) {
      problems.push(`${id}: gps_episodes differ from \`polluscope gps stops\`\n  expected ${expected.join(' | ')}\n  found    ${episodes.join(' | ')}`);
    }
  });
  return problems;
}

/** Every `activity_segments` row has its `activity_timeline` row, and the other way round. */
export function checkTimeline(tables: Map<string, Row[]>): string[] {
  const key = (r: Row) => `${r.participant_virtual_id} ${iso(ms(r.segment_start))}`;
  const segments = new Set((tables.get('activity_segments') ?? []).map(key));
  const timeline = new Set((tables.get('activity_timeline') ?? []).map(key));
  return [
    ...listed('segments without their timeline row', [...segments].filter((k) => !timeline.has(k))),
    ...listed('timeline rows without their segment', [...timeline].filter((k) => !segments.has(k))),
  ];
}

/**
 * The run's dead letters are exactly what its input explains: the one future-stamped sensor row
 * (reason `future: …`, on the sensor stage's topic; again if the source sent it again) and the
 * fixes that fail validation.
 */
export function checkDeadLetters(data: KitData, deadLetters: readonly DeadLetter[], futureParticipant: string): string[] {
  const invalidFixes = data.kits.reduce((n, _k, kit) => n + gpsRows('', kitLines(data, kit).gps).invalid, 0);
  const isFuture = (d: DeadLetter) => d.topic === 'dlq.timeseries-preprocessing' && d.error.startsWith(FUTURE_PREFIX) && d.participant === futureParticipant;
  const isInvalidFix = (d: DeadLetter) => d.topic === 'dlq.gps-preprocessing' && /^(lat|lon|time)\b/.test(d.error);
  const futures = deadLetters.filter(isFuture);
  const fixes = deadLetters.filter(isInvalidFix);
  const unexplained = deadLetters.filter((d) => !isFuture(d) && !isInvalidFix(d));
  const problems = listed('dead letters the input does not explain', unexplained.map((d) => `${d.topic} ${d.participant}: ${d.error}`));
  // Change data capture is at least once: after a kill -9 of Connect the source sends again what it
  // had not committed, so the one row may be dead-lettered more than once, always with its own time.
  const futureRows = new Set(futures.map((d) => /^future: time (\S+)/.exec(d.error)?.[1] ?? d.error));
  if (futures.length === 0 || futureRows.size !== 1) {
    problems.push(`the future-stamped row: ${futures.length} dead letters with reason ${FUTURE_PREFIX} for ${futureParticipant} about ${futureRows.size} rows, expected the one row`);
  }
  if (fixes.length !== invalidFixes) problems.push(`invalid fixes: ${fixes.length} dead letters, ${invalidFixes} in the input`);
  return problems;
}
