import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { InputError } from '../csv-io.js';
import { buildProgram } from '../main.js';
import { defaultSimulationParams } from '../simulator/index.js';
import { simulationParamsFromOptions, writeSimulation } from './simulate.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'polluscope-simulate-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const options = { participants: '2', days: '1', seed: '7', out: '', start: '2026-01-05', gpsRateHz: '0.2', timeZone: 'Europe/Paris' };

describe('polluscope simulate', () => {
  it('writes the six CSV files with their headers and no temporary file left', async () => {
    const out = await tempDir();
    await buildProgram().exitOverride().parseAsync(['node', 'polluscope', 'simulate', '--participants', '2', '--days', '1', '--seed', '7', '--out', out, '--gps-rate-hz', '0.2'].map(String));
    expect((await readdir(out)).sort()).toEqual(['gps.csv', 'sensor.csv', 'truth_events.csv', 'truth_faults.csv', 'truth_minutes.csv', 'truth_stops.csv']);
    const firstLine = async (name: string): Promise<string> => (await readFile(join(out, name), 'utf8')).split('\n')[0] ?? '';
    expect(await firstLine('sensor.csv')).toBe('participant_virtual_id,kit_id,time,pm1,pm25,pm10,no2,bc,temperature,humidity,activity,event');
    expect(await firstLine('gps.csv')).toBe('participant_virtual_id,tablet_id,time,lat,lon');
    expect(await firstLine('truth_minutes.csv')).toBe('participant_virtual_id,time,micro_environment,is_stop');
    expect(await firstLine('truth_stops.csv')).toBe('participant_virtual_id,start,end,label,lat,lon');
    expect(await firstLine('truth_events.csv')).toBe('participant_virtual_id,start,end,event');
    const minutes = (await readFile(join(out, 'truth_minutes.csv'), 'utf8')).trimEnd().split('\n');
    expect(minutes).toHaveLength(1 + 2 * 1440);
    expect(minutes[1]).toMatch(/^sim-001,2026-01-04T23:00:00\.000Z,Domicile,true$/);
  });

  it('writes the same bytes for the same seed', async () => {
    const params = simulationParamsFromOptions(options);
    const [a, b] = [await tempDir(), await tempDir()];
    const summary = await writeSimulation(params, a);
    await writeSimulation(params, b);
    for (const name of ['sensor.csv', 'gps.csv', 'truth_minutes.csv', 'truth_stops.csv', 'truth_faults.csv', 'truth_events.csv']) {
      const [bytesA, bytesB] = [await readFile(join(a, name)), await readFile(join(b, name))];
      expect(bytesB.equals(bytesA)).toBe(true);
    }
    expect(summary.rows.truthMinutes).toBe(2 * 1440);
    expect(summary.rows.sensor).toBeGreaterThan(1000);
  });

  it('turns options into parameters and rejects bad ones naming the option', () => {
    expect(simulationParamsFromOptions(options)).toMatchObject({ participants: 2, days: 1, seed: 7, gpsRateHz: 0.2, startDate: '2026-01-05' });
    expect(simulationParamsFromOptions(options).declarations).toBe(defaultSimulationParams.declarations);
    expect(() => simulationParamsFromOptions({ ...options, participants: 'two' })).toThrow(InputError);
    expect(() => simulationParamsFromOptions({ ...options, participants: 'two' })).toThrow(/--participants/);
    expect(() => simulationParamsFromOptions({ ...options, days: '0' })).toThrow(/days/);
    expect(() => simulationParamsFromOptions({ ...options, gpsRateHz: '-1' })).toThrow(/gpsRateHz/);
    expect(() => simulationParamsFromOptions({ ...options, timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
    expect(() => simulationParamsFromOptions({ ...options, start: '05/01/2026' })).toThrow(/startDate/);
  });

  it('switches on the named settings, all of them with "all", and names a bad one', () => {
    expect(simulationParamsFromOptions(options).settings).toBe(defaultSimulationParams.settings);
    const some = simulationParamsFromOptions({ ...options, settings: 'kit-bias, rail' }).settings;
    expect(some.kitBias).not.toBeNull();
    expect(some.rail).not.toBeNull();
    expect(some.summer).toBeNull();
    expect(Object.values(simulationParamsFromOptions({ ...options, settings: 'all' }).settings).every((v) => v !== null)).toBe(true);
    expect(() => simulationParamsFromOptions({ ...options, settings: 'kit-bias,wind' })).toThrow(/unknown setting "wind"/);
  });

  it('prints one line per file with its row count', async () => {
    const out = await tempDir();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await buildProgram().exitOverride().parseAsync(['node', 'polluscope', 'simulate', '--participants', '1', '--days', '1', '--seed', '1', '--out', out, '--gps-rate-hz', '0.1']);
      expect(log.mock.calls.map((c) => String(c[0]))).toEqual(expect.arrayContaining([expect.stringMatching(/truth_minutes\.csv: 1440 rows$/)]));
    } finally {
      log.mockRestore();
    }
  });
});
