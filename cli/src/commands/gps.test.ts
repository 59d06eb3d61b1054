import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputError, readCsv } from '../csv-io.js';
import { TOPICS, type OutputRecord } from '@polluscope/common';
import { createGpsHandler } from '@polluscope/gps-preprocessing';
import { buildTransportSamples, cleanGpsTable, readGpsRows, readTruthMinutes, registerGpsCommands } from './gps.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gps-cli-'));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  registerGpsCommands(program);
  await program.parseAsync(['gps', ...args], { from: 'user' });
}

const lines = async (file: string): Promise<string[]> => (await readFile(file, 'utf8')).trim().split('\n');

// Metres east/north of (48.8, 2.3) to degrees.
const M_PER_DEG_LAT = (6_371_000 * Math.PI) / 180;
const lat = (yM: number): string => (48.8 + yM / M_PER_DEG_LAT).toFixed(7);
const lon = (xM: number): string => (2.3 + xM / (M_PER_DEG_LAT * Math.cos((48.8 * Math.PI) / 180))).toFixed(7);
const time = (tS: number): string => new Date(Date.UTC(2019, 11, 18, 10, 0, tS)).toISOString().replace('T', ' ').slice(0, 19);

describe('gps clean', () => {
  // A walk north at 1 m/s, a fix every 10 s; at 25 s a fix 5 km east (720 km/h); at 40 s the fix repeated.
  const header = 'participant_virtual_id,tablet_id,time,lat,lon';
  const walk = [0, 10, 20, 30, 40].map((t) => `p1,4,${time(t)},${lat(t)},${lon(0)}`);
  const jump = `p1,4,${time(25)},${lat(25)},${lon(5000)}`;
  const input = [header, walk[0], walk[1], walk[2], jump, walk[3], walk[4], walk[4]].join('\n');

  it('writes the kept fixes as gps_clean rows and the jump and the repeat, with their reasons, as gps_dropped rows', async () => {
    await writeFile(join(dir, 'in.csv'), input);
    await run('clean', '--input', join(dir, 'in.csv'), '--output', join(dir, 'kept.csv'), '--dropped', join(dir, 'dropped.csv'));
    const kept = await lines(join(dir, 'kept.csv'));
    expect(kept[0]).toBe('participant_virtual_id,time,tablet_id,lat,lon,col,row,hilbert,speed_mps');
    expect(kept.slice(1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual(
      [0, 10, 20, 30, 40].map((t) => `p1,${new Date(Date.UTC(2019, 11, 18, 10, 0, t)).toISOString()},4,${Number(lat(t))},${Number(lon(0))}`),
    );
    expect(kept.slice(2).every((l) => Math.abs(Number(l.split(',')[8]) - 1) < 1e-3)).toBe(true);
    expect(await lines(join(dir, 'dropped.csv'))).toEqual([
      'participant_virtual_id,time,tablet_id,lat,lon,reason',
      `p1,2019-12-18T10:00:25.000Z,4,${Number(lat(25))},${Number(lon(5000))},too-fast`,
      `p1,2019-12-18T10:00:40.000Z,4,${Number(lat(40))},${Number(lon(0))},duplicate`,
    ]);
    expect(console.log).toHaveBeenCalledWith(`${join(dir, 'kept.csv')}: 5 fixes kept, 2 dropped (duplicate 1, too-fast 1)`);
  });

  it('gives the records gps-preprocessing sends to gps.clean and gps.dropped for the same fixes', async () => {
    await writeFile(join(dir, 'in.csv'), input);
    const table = await readCsv(join(dir, 'in.csv'));
    const cli = cleanGpsTable(table);
    expect([cli.kept.length, cli.dropped.length]).toEqual([5, 2]);
    const handler = createGpsHandler({ allowedLatenessMs: 0, idleTimeoutMs: 1 });
    const records = table.rows.map((r, offset) => ({
      topic: TOPICS.rawGps.name,
      partition: 0,
      offset,
      key: 'p1',
      value: { participant_virtual_id: 'p1', tablet_id: 4, time: new Date(`${r.values.time!.replace(' ', 'T')}Z`).toISOString(), lat: Number(r.values.lat), lon: Number(r.values.lon) },
    }));
    const outputs = [...(handler.process(records, 0, () => undefined) as OutputRecord[]), ...handler.flushIdle(10)];
    const asRows = (topic: string) =>
      outputs.filter((o) => o.topic.name === topic).map((o) => {
        const value = o.value as Record<string, unknown>;
        return { ...value, time: new Date(value.time as number).toISOString() };
      });
    expect(cli.kept).toEqual(asRows(TOPICS.gpsClean.name));
    expect(cli.dropped).toEqual(asRows(TOPICS.gpsDropped.name));
  });

  it('writes no dropped file without --dropped, and an empty tablet_id without the column', async () => {
    await writeFile(join(dir, 'in.csv'), ['time,lat,lon', `${time(0)},${lat(0)},${lon(0)}`, `${time(1)},${lat(0)},${lon(5000)}`].join('\n'));
    await run('clean', '--input', join(dir, 'in.csv'), '--output', join(dir, 'kept.csv'));
    expect((await lines(join(dir, 'kept.csv')))[1]).toMatch(new RegExp(`^,2019-12-18T10:00:00.000Z,,${Number(lat(0))},`));
    expect(existsSync(join(dir, 'dropped.csv'))).toBe(false);
  });
});

describe('gps rasterise', () => {
  it('adds col, row, hilbert, overwrites an existing hilbert column and keeps other columns and order', async () => {
    const input = join(dir, 'in.csv');
    await writeFile(
      input,
      [
        'participant_virtual_id,time,lon,lat,hilbert,note',
        '9999941,2019-12-18 19:37:50,2.1316921,48.8023231,0,b',
        '9999941,2019-12-18 19:37:49,2.04901166666667,48.7629166666667,0,a',
        '9999941,2019-12-18 19:37:51,5.3698,43.2965,0,marseille',
      ].join('\n'),
    );
    await run('rasterise', '--input', input, '--output', join(dir, 'out.csv'));
    expect(await lines(join(dir, 'out.csv'))).toEqual([
      'participant_virtual_id,time,lon,lat,hilbert,note,col,row',
      '9999941,2019-12-18 19:37:50,2.1316921,48.8023231,8068821,b,1351,2088',
      '9999941,2019-12-18 19:37:49,2.04901166666667,48.7629166666667,3121649,a,1229,2000',
      '9999941,2019-12-18 19:37:51,5.3698,43.2965,,marseille,,',
    ]);
  });

  it('names the file, line and column of a bad latitude and writes nothing', async () => {
    const input = join(dir, 'in.csv');
    await writeFile(input, 'time,lat,lon\n2019-12-18 19:37:49,48.8,2.3\n2019-12-18 19:37:50,91.5,2.3\n');
    const out = join(dir, 'out.csv');
    const error = await run('rasterise', '--input', input, '--output', out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${input}, line 3, column "lat": lat outside [-90, 90]`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('gps stops', () => {
  // Every 30 s: moving east, a 2-minute stop at x = 600 m, moving again. Rows written shuffled.
  const track: Array<[number, number, number]> = [
    [0, 0, 0],
    [300, 0, 30],
    [600, 0, 60],
    [610, 0, 90],
    [600, 10, 120],
    [605, 5, 150],
    [600, 0, 180],
    [900, 0, 210],
    [1200, 0, 240],
  ];
  const order = [4, 0, 8, 2, 6, 1, 5, 3, 7];

  async function writeTrack(extraRow = ''): Promise<string> {
    const input = join(dir, 'track.csv');
    const rows = order.map((k) => {
      const [x, y, t] = track[k]!;
      return `p1,${time(t)},${lon(x)},${lat(y)},r${k}`;
    });
    await writeFile(input, ['participant_virtual_id,time,lon,lat,ref', ...rows, extraRow].join('\n'));
    return input;
  }

  it('labels every row with its episode, in input order, and writes the episodes', async () => {
    const input = await writeTrack();
    await run('stops', '--input', input, '--output', join(dir, 'out.csv'), '--episodes', join(dir, 'episodes.csv'));
    const out = await lines(join(dir, 'out.csv'));
    expect(out[0]).toBe('participant_virtual_id,time,lon,lat,ref,episode_type,episode_id');
    // Points 0-1 move 1, points 2-6 stop 2, points 7-8 move 3.
    const expected = ['stop,2', 'move,1', 'move,3', 'stop,2', 'stop,2', 'move,1', 'stop,2', 'stop,2', 'move,3'];
    expect(out.slice(1).map((l) => l.split(',').slice(4).join(','))).toEqual(order.map((k, i) => `r${k},${expected[i]}`));
    const episodes = await readCsv(join(dir, 'episodes.csv'));
    expect(episodes.rows.map((r) => [r.values.episode_id, r.values.episode_type, r.values.start, r.values.duration_s, r.values.point_count])).toEqual([
      ['1', 'move', '2019-12-18T10:00:00.000Z', '30', '2'],
      ['2', 'stop', '2019-12-18T10:01:00.000Z', '120', '5'],
      ['3', 'move', '2019-12-18T10:03:30.000Z', '30', '2'],
    ]);
    expect(Number(episodes.rows[1]!.values.radius_m)).toBeCloseTo(Math.sqrt(58), 2);
  });

  it('honours --min-duration', async () => {
    const input = await writeTrack();
    await run('stops', '--input', input, '--output', join(dir, 'out.csv'), '--min-duration', '150');
    const out = await lines(join(dir, 'out.csv'));
    expect(new Set(out.slice(1).map((l) => l.split(',').at(-2)))).toEqual(new Set(['move']));
  });

  it('honours --min-points', async () => {
    const input = await writeTrack();
    await run('stops', '--input', input, '--output', join(dir, 'out.csv'), '--min-points', '6');
    const out = await lines(join(dir, 'out.csv'));
    expect(new Set(out.slice(1).map((l) => l.split(',').at(-2)))).toEqual(new Set(['move']));
  });

  it('honours --max-gap and --max-stop-gap: fixes 30 s apart, both limits 20 s, no stop forms and all fixes are one move', async () => {
    const input = await writeTrack();
    await run('stops', '--input', input, '--output', join(dir, 'out.csv'), '--episodes', join(dir, 'episodes.csv'), '--max-gap', '20', '--max-stop-gap', '20');
    const out = await lines(join(dir, 'out.csv'));
    expect(out.slice(1).map((l) => l.split(',').slice(4).join(','))).toEqual(order.map((k) => `r${k},move,1`));
    const episodes = await readCsv(join(dir, 'episodes.csv'));
    expect(episodes.rows.map((r) => [r.values.episode_id, r.values.episode_type, r.values.start, r.values.end, r.values.point_count])).toEqual([
      ['1', 'move', '2019-12-18T10:00:00.000Z', '2019-12-18T10:04:00.000Z', '9'],
    ]);
  });

  it('spans a gap at one place with one stop (--max-gap 20 s, --max-stop-gap default 12 h), flagged gap', async () => {
    const input = await writeTrack();
    await run('stops', '--input', input, '--output', join(dir, 'out.csv'), '--episodes', join(dir, 'episodes.csv'), '--max-gap', '20');
    const episodes = await readCsv(join(dir, 'episodes.csv'));
    expect(episodes.rows.map((r) => [r.values.episode_type, r.values.start, r.values.point_count, r.values.gap, r.values.leg_index])).toEqual([
      ['move', '2019-12-18T10:00:00.000Z', '2', 'true', '1'],
      ['stop', '2019-12-18T10:01:00.000Z', '5', 'true', ''],
      ['move', '2019-12-18T10:03:30.000Z', '2', 'true', '1'],
    ]);
  });

  it('derives the jitter and excursion limits from --max-diameter: with 3 m, a walk away at 5 m/s ends the stop', async () => {
    const input = join(dir, 'walk.csv');
    const fixes: Array<[number, number, number]> = [[0, 0, 0], [1, 0, 1], [0, 1, 2], [1, 1, 3], ...[1, 2, 3, 4, 5, 6].map((k): [number, number, number] => [1 + 5 * k, 1, 3 + k])];
    await writeFile(input, ['participant_virtual_id,time,lon,lat', ...fixes.map(([x, y, t]) => `p1,${time(t)},${lon(x)},${lat(y)}`)].join('\n'));
    await run('stops', '--input', input, '--output', join(dir, 'out.csv'), '--episodes', join(dir, 'episodes.csv'), '--max-diameter', '3', '--min-duration', '2');
    const episodes = await readCsv(join(dir, 'episodes.csv'));
    expect(episodes.rows.map((r) => [r.values.episode_type, r.values.duration_s, r.values.point_count])).toEqual([
      ['stop', '3', '4'],
      ['move', '5', '6'],
    ]);
    await run('stops', '--input', input, '--output', join(dir, 'out.csv'), '--episodes', join(dir, 'episodes.csv'), '--max-diameter', '3', '--min-duration', '2', '--max-jitter', '100', '--max-excursion', '200');
    expect((await readCsv(join(dir, 'episodes.csv'))).rows.map((r) => [r.values.episode_type, r.values.point_count])).toEqual([['stop', '10']]);
  });

  it('honours --max-move-gap: with fixes 30 s apart and both limits at 20 s, every fix is its own move', async () => {
    const input = await writeTrack();
    await run('stops', '--input', input, '--output', join(dir, 'out.csv'), '--max-gap', '20', '--max-move-gap', '20');
    const out = await lines(join(dir, 'out.csv'));
    expect(out.slice(1).map((l) => l.split(',').slice(4).join(','))).toEqual(order.map((k) => `r${k},move,${k + 1}`));
  });

  it('ends a move at a gap longer than --max-move-gap (default 1 h), not at a shorter one', async () => {
    // Moving east every 30 s, then 2 h without a fix, then moving on.
    const input = join(dir, 'gap.csv');
    const fixes: Array<[number, number]> = [
      [0, 0],
      [300, 30],
      [600, 60],
      [900, 7260],
      [1200, 7290],
    ];
    await writeFile(input, ['participant_virtual_id,time,lon,lat', ...fixes.map(([x, t]) => `p1,${time(t)},${lon(x)},${lat(0)}`)].join('\n'));
    const labels = async (...extra: string[]): Promise<string[]> => {
      await run('stops', '--input', input, '--output', join(dir, 'out.csv'), ...extra);
      return (await lines(join(dir, 'out.csv'))).slice(1).map((l) => l.split(',').slice(4).join(','));
    };
    expect(await labels()).toEqual(['move,1', 'move,1', 'move,1', 'move,2', 'move,2']);
    expect(await labels('--max-move-gap', '7200')).toEqual(['move,1', 'move,1', 'move,1', 'move,1', 'move,1']);
  });

  it('rejects a --max-move-gap below --max-gap and writes nothing', async () => {
    const input = await writeTrack();
    const out = join(dir, 'out.csv');
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(run('stops', '--input', input, '--output', out, '--max-gap', '600', '--max-move-gap', '300')).rejects.toThrow(
      'error: --max-move-gap (300 s) must be at least --max-gap (600 s)',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('labels a duplicate row like the point it duplicates', async () => {
    const [x, y, t] = track[3]!;
    const input = await writeTrack(`p1,${time(t)},${lon(x)},${lat(y)},dup`);
    await run('stops', '--input', input, '--output', join(dir, 'out.csv'));
    expect((await lines(join(dir, 'out.csv'))).at(-1)).toMatch(/,dup,stop,2$/);
  });

  it('names the file, line and column of a bad time and writes nothing', async () => {
    const input = await writeTrack('p1,yesterday,2.3,48.8,bad');
    const out = join(dir, 'out.csv');
    const error = await run('stops', '--input', input, '--output', out).catch((e: unknown) => e);
    expect((error as InputError).message).toBe(`${input}, line 11, column "time": not a time: "yesterday"`);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects an unknown method', async () => {
    const input = await writeTrack();
    await expect(run('stops', '--input', input, '--output', join(dir, 'o.csv'), '--method', 'magic')).rejects.toThrow(/magic/);
  });
});

describe('buildTransportSamples', () => {
  it('labels a move with the majority of its minutes (aliases normalised) and skips stops', async () => {
    // 3 minutes still, 5 minutes walking east at 1.5 m/s, 5 minutes still; one fix every 10 s.
    const gps = ['participant_virtual_id,time,lat,lon'];
    for (let t = 0; t < 780; t += 10) {
      const x = t < 180 ? 0 : t < 480 ? (t - 180) * 1.5 : 450;
      gps.push(`p1,${time(t)},${lat(0)},${lon(x)}`);
    }
    const minutes = ['participant_virtual_id,time,micro_environment', ...[...Array(3).fill('Domicile'), ...Array(5).fill('Rue'), ...Array(5).fill('Bureau')].map((l, m) => `p1,${time(m * 60)},${l}`)];
    await writeFile(join(dir, 'gps.csv'), gps.join('\n'));
    await writeFile(join(dir, 'truth.csv'), minutes.join('\n'));
    const samples = buildTransportSamples(readGpsRows(await readCsv(join(dir, 'gps.csv'))), readTruthMinutes(await readCsv(join(dir, 'truth.csv'))));
    expect(samples.map((s) => [s.participantId, s.label])).toEqual([['p1', 'Walk']]);
  });
});

const FIXTURE = fileURLToPath(new URL('../../../../shared/fixtures/polluscope-moves-9999941.csv', import.meta.url));

describe.skipIf(!existsSync(FIXTURE))(`gps commands on the real fixture ${FIXTURE}`, () => {
  it.each(['stay-point', 'hilbert-density'])('stops --method %s reads it as it is and labels every row', async (method) => {
    const out = join(dir, 'out.csv');
    await run('stops', '--input', FIXTURE, '--output', out, '--method', method);
    const table = await readCsv(out);
    expect(table.header).toEqual(['participant_virtual_id', 'time', 'lon', 'lat', 'hilbert', 'activity', 'stop', '_activity_', '_stops_', 'episode_type', 'episode_id']);
    expect(table.rows).toHaveLength(9798);
    expect(new Set(table.rows.map((r) => r.values.episode_type))).toEqual(new Set(['stop', 'move']));
  });
});
