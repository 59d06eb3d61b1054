/**
 * `polluscope timeline` and `polluscope exposure` (docs/design.md §5.5, §8): the fused timeline and the
 * daily exposure on CSV files, for reproducible studies, calling the functions postprocessing
 * calls (fuseTimeline, measureTimeline + computeDailyExposure). Column names are the warehouse's
 * (activity_segments, gps_episodes, activity_timeline, exposure_daily), so a table exported from
 * the warehouse is an input as it is; the names `polluscope classify` and `gps stops --episodes`
 * write (label, start, end) are accepted too.
 */
import type { Command } from 'commander';
import { normaliseLabel } from '@polluscope/common/domain';
import {
  computeDailyExposure,
  defaultTimelineFusionParams,
  fuseTimeline,
  INTEGRATED_POLLUTANTS,
  measureTimeline,
  unmeasuredEntry,
  POLLUTANTS,
  validateReviewLabel,
  type ActivitySegmentRecord,
  type ActivityTimelineRecord,
  type ExposureDailyRecord,
  type GpsEpisodeRecord,
  type ReviewDecisionRecord,
  type SensorMinuteRecord,
  type TimelineFusionParams,
} from '@polluscope/postprocessing/domain';
import { formatTime, InputError, numberAt, optionalNumberAt, readCsv, requireColumns, timeAt, writeCsvAtomic, type CsvRow, type CsvTable } from '../csv-io.js';
import { addReviewOptions, reviewParams, type ReviewOptions } from './review-flags.js';
import { checkTimeZone, readCleanMinutes } from './sensors.js';

const PARTICIPANT = 'participant_virtual_id';
const MEANS = POLLUTANTS.map((p) => `${p}_mean` as const);

/** Columns of `timeline` output, as activity_timeline. */
export const TIMELINE_COLUMNS = [
  PARTICIPANT,
  'segment_start',
  'segment_end',
  'minutes',
  'final_label',
  'label_group',
  'source',
  'confidence',
  'declared_label',
  'match',
  'episode_ids',
  ...MEANS,
  'needs_review',
  'review_reason',
  'review_wrong_probability',
] as const;

/** Columns of `exposure` output, as exposure_daily. */
export const EXPOSURE_COLUMNS = [
  PARTICIPANT,
  'day',
  'micro_environment',
  'minutes',
  ...MEANS,
  ...INTEGRATED_POLLUTANTS.map((p) => `${p}_time_integrated_concentration` as const),
  ...INTEGRATED_POLLUTANTS.map((p) => `${p}_share` as const),
  'day_measured_minutes',
  'day_labelled_minutes',
  'day_length_minutes',
] as const;

/** The first of `names` the file has, or an InputError naming them all. */
function columnOf(table: CsvTable, names: readonly string[]): string {
  const found = names.find((n) => table.header.includes(n));
  if (found === undefined) throw new InputError(table.file, 1, names[0] ?? null, `missing column: ${names.join(' or ')}`);
  return found;
}

function participantAt(table: CsvTable, row: CsvRow): string {
  const id = (row.values[PARTICIPANT] ?? '').trim();
  if (id === '') throw new InputError(table.file, row.line, PARTICIPANT, 'empty participant id');
  return id;
}

function textAt(row: CsvRow, column: string): string | null {
  const value = (row.values[column] ?? '').trim();
  return value === '' ? null : value;
}

/** A column that may be absent: its number, or null. */
function optionalColumnNumber(table: CsvTable, row: CsvRow, column: string): number | null {
  return table.header.includes(column) ? optionalNumberAt(table, row, column) : null;
}

function endAfterStart(table: CsvTable, row: CsvRow, startMs: number, endMs: number, column: string): void {
  if (endMs < startMs) throw new InputError(table.file, row.line, column, 'ends before it starts');
}

/** Segments (activity_segments, or `polluscope classify` output) with their source rows. */
export function readSegments(table: CsvTable): { record: ActivitySegmentRecord; source: CsvRow }[] {
  requireColumns(table, [PARTICIPANT, 'segment_start', 'segment_end', 'minutes']);
  const labelColumn = columnOf(table, ['predicted_label', 'label']);
  return table.rows.map((row) => {
    const segmentStart = timeAt(table, row, 'segment_start');
    const segmentEnd = timeAt(table, row, 'segment_end');
    endAfterStart(table, row, segmentStart, segmentEnd, 'segment_end');
    const minutes = numberAt(table, row, 'minutes');
    if (!(minutes >= 0 && minutes <= (segmentEnd - segmentStart) / 60_000)) {
      throw new InputError(table.file, row.line, 'minutes', `must lie between 0 and the segment's length, got ${minutes}`);
    }
    const record: ActivitySegmentRecord = {
      participant_virtual_id: participantAt(table, row),
      segment_start: segmentStart,
      segment_end: segmentEnd,
      minutes,
      predicted_label: textAt(row, labelColumn),
      confidence: optionalColumnNumber(table, row, 'confidence'),
      declared_label: textAt(row, 'declared_label'),
      ...(Object.fromEntries(MEANS.map((m) => [m, optionalColumnNumber(table, row, m)])) as Pick<ActivitySegmentRecord, (typeof MEANS)[number]>),
    };
    return { record, source: row };
  });
}

/** Episodes (gps_episodes, or `gps stops --episodes` output). */
export function readEpisodes(table: CsvTable): GpsEpisodeRecord[] {
  requireColumns(table, [PARTICIPANT, 'episode_type']);
  const startColumn = columnOf(table, ['episode_start', 'start']);
  const endColumn = columnOf(table, ['episode_end', 'end']);
  return table.rows.map((row) => {
    const type = textAt(row, 'episode_type');
    if (type !== 'stop' && type !== 'move') throw new InputError(table.file, row.line, 'episode_type', `must be stop or move, got "${type ?? ''}"`);
    const start = timeAt(table, row, startColumn);
    const end = timeAt(table, row, endColumn);
    endAfterStart(table, row, start, end, endColumn);
    return {
      participant_virtual_id: participantAt(table, row),
      episode_start: start,
      episode_end: end,
      episode_type: type,
      transport_mode: textAt(row, 'transport_mode'),
      transport_probability: optionalColumnNumber(table, row, 'transport_probability'),
    };
  });
}

/**
 * Review decisions (review_decisions, the whole history or review_decisions_latest): per segment the
 * greatest decided_at wins; without decided_at, a later row wins over an earlier one.
 */
export function readDecisions(table: CsvTable): ReviewDecisionRecord[] {
  requireColumns(table, [PARTICIPANT, 'segment_start', 'label']);
  return table.rows.map((row) => {
    const label = validateReviewLabel(row.values['label'] ?? '');
    if (!label.ok) throw new InputError(table.file, row.line, 'label', label.reason);
    return {
      participant_virtual_id: participantAt(table, row),
      segment_start: timeAt(table, row, 'segment_start'),
      label: label.label,
      reviewer: textAt(row, 'reviewer'),
      comment: textAt(row, 'comment'),
      decided_at: table.header.includes('decided_at') ? timeAt(table, row, 'decided_at') : 0,
    };
  });
}

function groupByParticipant<T extends { readonly participant_virtual_id: string }>(records: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const record of records) groups.set(record.participant_virtual_id, [...(groups.get(record.participant_virtual_id) ?? []), record]);
  return groups;
}

/** Segments + episodes (+ decisions) → timeline entries, per participant, in participant then time order. */
export function timelineOf(
  segments: readonly ActivitySegmentRecord[],
  episodes: readonly GpsEpisodeRecord[],
  decisions: readonly ReviewDecisionRecord[],
  params: TimelineFusionParams = defaultTimelineFusionParams,
): ActivityTimelineRecord[] {
  const episodesOf = groupByParticipant(episodes);
  const decisionsOf = groupByParticipant(decisions);
  const participants = [...groupByParticipant(segments)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return participants.flatMap(([participant, mine]) =>
    fuseTimeline(mine, episodesOf.get(participant) ?? [], decisionsOf.get(participant) ?? [], params),
  );
}

/** A timeline entry as a CSV row: times ISO-8601, nulls empty. */
export function timelineRow(entry: ActivityTimelineRecord): Record<string, unknown> {
  return { ...entry, segment_start: formatTime(entry.segment_start), segment_end: formatTime(entry.segment_end) };
}

interface TimelineOptions extends ReviewOptions {
  segments: string;
  episodes: string;
  decisions?: string;
  output: string;
  timeZone: string;
}

async function timelineCommand(options: TimelineOptions): Promise<void> {
  checkTimeZone(options.timeZone);
  const { candidate, budget } = reviewParams(options);
  const params: TimelineFusionParams = { ...defaultTimelineFusionParams, review: { ...candidate, ...budget, timeZone: options.timeZone } };
  const segmentTable = await readCsv(options.segments);
  const segments = readSegments(segmentTable);
  const episodes = readEpisodes(await readCsv(options.episodes));
  const decisions = options.decisions ? readDecisions(await readCsv(options.decisions)) : [];
  const entries = timelineOf(
    segments.map((s) => s.record),
    episodes,
    decisions,
    params,
  );
  // Unknown columns of the segments file pass through beside the timeline's (the last row per key, as fusion keeps).
  const sourceOf = new Map(segments.map((s) => [JSON.stringify([s.record.participant_virtual_id, s.record.segment_start]), s.source.values]));
  const passThrough = segmentTable.header.filter((c) => !(TIMELINE_COLUMNS as readonly string[]).includes(c));
  const rows = entries.map((e) => ({ ...sourceOf.get(JSON.stringify([e.participant_virtual_id, e.segment_start])), ...timelineRow(e) }));
  await writeCsvAtomic(options.output, [...TIMELINE_COLUMNS, ...passThrough], rows);
  const bySource = new Map<string, number>();
  for (const e of entries) bySource.set(e.source, (bySource.get(e.source) ?? 0) + 1);
  const flagged = entries.filter((e) => e.needs_review).length;
  console.log(`${options.output}: ${entries.length} timeline segments (${[...bySource].map(([s, n]) => `${n} ${s}`).join(', ')}), ${flagged} flagged for review`);
}

/** Timeline entries (activity_timeline, or `timeline` output) as exposure reads them; counts labels outside docs/design.md §6. */
export function readTimelineLabels(table: CsvTable): { entries: ActivityTimelineRecord[]; unknownSpellings: number } {
  requireColumns(table, [PARTICIPANT, 'segment_start', 'segment_end', 'final_label']);
  let unknownSpellings = 0;
  const entries = table.rows.map((row) => {
    const start = timeAt(table, row, 'segment_start');
    const end = timeAt(table, row, 'segment_end');
    endAfterStart(table, row, start, end, 'segment_end');
    const text = textAt(row, 'final_label');
    const label = normaliseLabel(text);
    if (text !== null && label === null && !['unknown', 'inconnu', 'nan', 'null', 'none'].includes(text.toLowerCase())) unknownSpellings += 1;
    // Minutes and means come from the sensor minutes (measureTimeline); the rest is not read.
    return unmeasuredEntry(participantAt(table, row), start, end, label);
  });
  return { entries, unknownSpellings };
}

/** Clean sensor minutes as exposure reads them. */
async function readSensorMinutes(file: string): Promise<SensorMinuteRecord[]> {
  return (await readCleanMinutes(file)).flatMap(({ participantId, rows }) =>
    rows.map((r) => ({ participant_virtual_id: participantId, time: r.timeMs, ...(Object.fromEntries(POLLUTANTS.map((p) => [p, r[p]])) as Record<(typeof POLLUTANTS)[number], number | null>) })),
  );
}

/** An exposure row as a CSV row: the day as YYYY-MM-DD. */
export function exposureRow(row: ExposureDailyRecord): Record<string, unknown> {
  return { ...row, day: new Date(row.day * 86_400_000).toISOString().slice(0, 10) };
}

async function exposureCommand(options: { timeline: string; sensors: string; output: string; timeZone: string }): Promise<void> {
  checkTimeZone(options.timeZone);
  const { entries, unknownSpellings } = readTimelineLabels(await readCsv(options.timeline));
  const minutes = await readSensorMinutes(options.sensors);
  const measured = measureTimeline(entries, minutes);
  const rows = computeDailyExposure(measured, { timeZone: options.timeZone });
  await writeCsvAtomic(options.output, EXPOSURE_COLUMNS, rows.map(exposureRow));
  const days = new Set(rows.map((r) => `${r.participant_virtual_id} ${r.day}`)).size;
  const inTimeline = new Set(entries.map((e) => JSON.stringify([e.participant_virtual_id, e.segment_start])));
  const outside = measured.filter((e) => !inTimeline.has(JSON.stringify([e.participant_virtual_id, e.segment_start])));
  console.log(`${options.output}: ${rows.length} rows, ${days} participant-day(s), ${minutes.length} sensor minutes`);
  if (outside.length > 0) console.log(`note: ${outside.reduce((n, e) => n + e.minutes, 0)} sensor minutes lie in no timeline segment: counted as unknown`);
  if (unknownSpellings > 0) console.log(`note: ${unknownSpellings} timeline segment(s) have a final_label outside docs/design.md §6: counted as unknown`);
}

/** Registers `timeline` and `exposure`. */
export function registerTimelineCommands(program: Command): void {
  const timeline = program
    .command('timeline')
    .description('fuse 5-minute segments with GPS episodes (and review decisions) into the activity timeline (docs/design.md §5.5)')
    .requiredOption('--segments <file>', `segments CSV: ${PARTICIPANT}, segment_start, segment_end, minutes, predicted_label (or label), confidence, declared_label, <variable>_mean`)
    .requiredOption('--episodes <file>', `episodes CSV: ${PARTICIPANT}, episode_start (or start), episode_end (or end), episode_type, transport_mode, transport_probability`)
    .option('--decisions <file>', `review decisions CSV: ${PARTICIPANT}, segment_start, label [, decided_at]`)
    .requiredOption('--output <file>', 'timeline CSV, one row per segment, columns of activity_timeline, then the segments file\u2019s other columns')
    .option('--time-zone <zone>', 'participants\u2019 IANA time zone: the local days of the review budget', 'Europe/Paris');
  addReviewOptions(timeline).action(timelineCommand);
  program
    .command('exposure')
    .description('daily exposure per micro-environment, with coverage, from a timeline and clean sensor minutes (docs/design.md §5.5)')
    .requiredOption('--timeline <file>', `timeline CSV: ${PARTICIPANT}, segment_start, segment_end, final_label`)
    .requiredOption('--sensors <file>', 'clean sensor minutes CSV (`sensors clean` output; a raw file is cleaned first)')
    .requiredOption('--output <file>', 'exposure CSV, columns of exposure_daily: every micro-environment and unknown per participant-day')
    .option('--time-zone <zone>', 'participants\u2019 IANA time zone: the local days', 'Europe/Paris')
    .action(exposureCommand);
}
