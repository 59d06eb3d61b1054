import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { CANONICAL_LABELS } from '@polluscope/common/domain';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputError, readCsv } from '../csv-io.js';
import { registerTimelineCommands } from './timeline.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'timeline-cli-'));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  registerTimelineCommands(program);
  await program.parseAsync(args, { from: 'user' });
}

async function file(name: string, lines: readonly string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

const lines = async (path: string): Promise<string[]> => (await readFile(path, 'utf8')).trim().split('\n');

/** The rows of a CSV file the CLI wrote, by column name. */
async function rows(path: string): Promise<Record<string, string>[]> {
  return (await readCsv(path)).rows.map((r) => r.values);
}

// Home (Domicile, then a Bureau the sensors misread), a walk; the stop covers 08:00–08:09, the walk 08:09:30–08:20.
const SEGMENTS = [
  'participant_virtual_id,segment_start,segment_end,minutes,label,confidence,declared_label,note',
  'p1,2024-03-05 08:00:00,2024-03-05 08:05:00,5,Domicile,0.7,,a',
  'p1,2024-03-05 08:05:00,2024-03-05 08:10:00,4,Bureau,0.6,,b',
  'p1,2024-03-05 08:10:00,2024-03-05 08:15:00,5,Bureau,0.8,Rue,c',
  'p1,2024-03-05 08:15:00,2024-03-05 08:20:00,3,Bureau,0.7,,d',
];
const EPISODES = [
  'participant_virtual_id,episode_id,episode_type,start,end,transport_mode,transport_probability',
  'p1,1,stop,2024-03-05 08:00:00,2024-03-05 08:09:00,,',
  'p1,2,move,2024-03-05 08:09:30,2024-03-05 08:20:00,Walk,0.9',
];

describe('polluscope timeline', () => {
  it('fuses segments with episodes: the stop’s majority (a tie goes to the label seen first), the confident walk', async () => {
    const out = join(dir, 'timeline.csv');
    await run('timeline', '--segments', await file('segments.csv', SEGMENTS), '--episodes', await file('episodes.csv', EPISODES), '--output', out);
    expect((await lines(out))[0]).toBe(
      'participant_virtual_id,segment_start,segment_end,minutes,final_label,label_group,source,confidence,declared_label,match,episode_ids,pm1_mean,pm25_mean,pm10_mean,no2_mean,bc_mean,temperature_mean,humidity_mean,needs_review,review_reason,review_wrong_probability,label,note',
    );
    expect((await rows(out)).map((r) => [r.segment_start, r.minutes, r.final_label, r.label_group, r.source, r.confidence, r.declared_label, r.match, r.note])).toEqual([
      ['2024-03-05T08:00:00.000Z', '5', 'Domicile', 'indoor', 'stop', '0.5', '', '', 'a'],
      ['2024-03-05T08:05:00.000Z', '4', 'Domicile', 'indoor', 'stop', '0.5', '', '', 'b'],
      ['2024-03-05T08:10:00.000Z', '5', 'Walk', 'outdoor', 'gps', '0.9', 'Walk', 'true', 'c'],
      ['2024-03-05T08:15:00.000Z', '3', 'Walk', 'outdoor', 'gps', '0.9', '', '', 'd'],
    ]);
  });

  it('applies review decisions, the latest per segment', async () => {
    const decisions = await file('decisions.csv', [
      'participant_virtual_id,segment_start,label,decided_at',
      'p1,2024-03-05 08:15:00,Métro,2024-03-06 10:00:00',
      'p1,2024-03-05 08:15:00,Bus,2024-03-06 09:00:00',
    ]);
    const out = join(dir, 'timeline.csv');
    await run('timeline', '--segments', await file('segments.csv', SEGMENTS), '--episodes', await file('episodes.csv', EPISODES), '--decisions', decisions, '--output', out);
    expect((await rows(out)).at(-1)).toMatchObject({ final_label: 'Métro', source: 'review', confidence: '1' });
  });

  it('names the file, line and column of a bad cell and writes nothing', async () => {
    const segments = await file('segments.csv', [...SEGMENTS.slice(0, 2), 'p1,2024-03-05 08:05:00,2024-03-05 08:10:00,7,Bureau,0.6,,b']);
    const out = join(dir, 'timeline.csv');
    const error = await run('timeline', '--segments', segments, '--episodes', await file('episodes.csv', EPISODES), '--output', out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`${segments}, line 3, column "minutes": must lie between 0 and the segment's length, got 7`);
    expect(existsSync(out)).toBe(false);
  });

  it('says which column is missing', async () => {
    const episodes = await file('episodes.csv', ['participant_virtual_id,episode_type,end', 'p1,stop,2024-03-05 08:09:00']);
    const error = await run('timeline', '--segments', await file('segments.csv', SEGMENTS), '--episodes', episodes, '--output', join(dir, 'o.csv')).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${episodes}, line 1, column "episode_start": missing column: episode_start or start`);
  });
});

// Cleaned minutes (quality_flags present): two at home, one on the bus, one in no timeline segment.
const SENSORS = [
  'participant_virtual_id,time,pm25,bc,quality_flags',
  'p1,2024-03-05 08:00:00,10,1000,',
  'p1,2024-03-05 08:01:00,20,1000,',
  'p1,2024-03-05 08:05:00,30,4000,',
  'p1,2024-03-05 08:12:00,50,,',
];
const TIMELINE = [
  'participant_virtual_id,segment_start,segment_end,final_label',
  'p1,2024-03-05T08:00:00Z,2024-03-05T08:05:00Z,Domicile',
  'p1,2024-03-05T08:05:00Z,2024-03-05T08:10:00Z,Bus',
];

describe('polluscope exposure', () => {
  it('measures each segment from the sensor minutes, counts unlabelled minutes as unknown, and gives coverage', async () => {
    const out = join(dir, 'exposure.csv');
    await run('exposure', '--timeline', await file('timeline.csv', TIMELINE), '--sensors', await file('sensors.csv', SENSORS), '--output', out);
    const all = await rows(out);
    expect(all).toHaveLength(CANONICAL_LABELS.length + 1); // every canonical micro-environment and unknown
    const visited = all.filter((r) => r.minutes !== '0');
    expect(visited.map((r) => [r.day, r.micro_environment, r.minutes, r.pm25_mean, r.pm25_time_integrated_concentration, r.bc_time_integrated_concentration, r.bc_share])).toEqual([
      ['2024-03-05', 'Bus', '1', '30', '30', '4000', String(4000 / 6000)],
      ['2024-03-05', 'Domicile', '2', '15', '30', '2000', String(2000 / 6000)],
      ['2024-03-05', 'unknown', '1', '50', '50', '', ''],
    ]);
    expect(visited.map((r) => Number(r.pm25_share))).toEqual([30 / 110, 30 / 110, 50 / 110]);
    expect(new Set(all.map((r) => `${r.day_measured_minutes} ${r.day_labelled_minutes} ${r.day_length_minutes}`))).toEqual(new Set(['4 3 1440']));
    expect(all.find((r) => r.micro_environment === 'Walk')).toMatchObject({ minutes: '0', pm25_mean: '', pm25_time_integrated_concentration: '0', pm25_share: '0' });
    expect(Object.keys(all[0]!).filter((c) => c.startsWith('temperature') || c.startsWith('humidity'))).toEqual(['temperature_mean', 'humidity_mean']);
  });

  it('reads the output of `timeline` as its timeline', async () => {
    const timeline = join(dir, 'timeline.csv');
    await run('timeline', '--segments', await file('segments.csv', SEGMENTS), '--episodes', await file('episodes.csv', EPISODES), '--output', timeline);
    const sensors = await file('sensors.csv', ['participant_virtual_id,time,bc,quality_flags', ...[0, 1, 7, 11, 16].map((m) => `p1,2024-03-05 08:${String(m).padStart(2, '0')}:00,${100 * (m + 1)},`)]);
    const out = join(dir, 'exposure.csv');
    await run('exposure', '--timeline', timeline, '--sensors', sensors, '--output', out);
    // Domicile: minutes 0, 1, 7 (bc 100, 200, 800); Walk: 11, 16 (1200, 1700).
    expect((await rows(out)).filter((r) => r.minutes !== '0').map((r) => [r.micro_environment, r.minutes, r.bc_time_integrated_concentration, r.bc_mean])).toEqual([
      ['Domicile', '3', '1100', String(1100 / 3)],
      ['Walk', '2', '2900', '1450'],
    ]);
  });

  it('names the file, line and column of a bad time and writes nothing', async () => {
    const timeline = await file('timeline.csv', [...TIMELINE, 'p1,yesterday,2024-03-05T08:15:00Z,Walk']);
    const out = join(dir, 'exposure.csv');
    const error = await run('exposure', '--timeline', timeline, '--sensors', await file('sensors.csv', SENSORS), '--output', out).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${timeline}, line 4, column "segment_start": not a time: "yesterday"`);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an unknown time zone', async () => {
    const error = await run('exposure', '--timeline', await file('t.csv', TIMELINE), '--sensors', await file('s.csv', SENSORS), '--output', join(dir, 'o.csv'), '--time-zone', 'Mars/Olympus').catch((e: unknown) => e);
    expect((error as Error).message).toContain('--time-zone');
  });
});
