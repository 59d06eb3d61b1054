import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../main.js';
import { cleaningParamsWithFloors } from './sensors-score.js';

let dir: string;
let printed: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'polluscope-score-'));
  printed = [];
  vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => buildProgram().exitOverride().parseAsync(['node', 'polluscope', ...args]);
const HEADER = 'participant_virtual_id,kit_id,time,pm1,pm25,pm10,no2,bc,temperature,humidity,activity,event';

describe('polluscope sensors score', () => {
  it('cleans sensor.csv and scores it against the truth files', async () => {
    // Minute 5: an injected PM2.5 glitch. Minute 8: a passing bus on every channel (a real event).
    const rows = Array.from({ length: 12 }, (_, m) => {
      const time = `2026-01-05T08:${String(m).padStart(2, '0')}:00Z`;
      const [pm1, pm25, pm10, bc] = m === 5 ? [6, 90, 15, 1000] : m === 8 ? [60, 90, 130, 9000] : [6, 10, 15, 1000];
      return `p1,7,${time},${pm1},${pm25},${pm10},20,${bc},21,45,Walk,`;
    });
    await writeFile(join(dir, 'sensor.csv'), [HEADER, ...rows, ''].join('\n'));
    await writeFile(join(dir, 'truth_faults.csv'), 'participant_virtual_id,time,variable,fault\np1,2026-01-05T08:05:00Z,pm25,spike\n');
    await writeFile(join(dir, 'truth_events.csv'), 'participant_virtual_id,start,end,event\np1,2026-01-05T08:08:00Z,2026-01-05T08:09:00Z,Panache\n');
    await run('sensors', 'score', '--input', dir);
    const text = printed.join('\n');
    expect(text).toContain('removals (range, spike): 1, of injected faults 1 → precision 1.000');
    expect(text).toContain('injected glitches (spike, out_of_range): 1, removed 1 → recall 1.000');
    expect(text).toContain('of which jump over the floor to both neighbours: 1, removed 1 → recall 1.000');
    expect(text).toContain('real-event minutes kept whole: 1 of 1 (100.00 %)');
  });

  it('--min-jump moves the floor of a rise, and of a drop only for temperature and humidity', () => {
    const { minJump, minDrop } = cleaningParamsWithFloors('pm25=25,humidity=15').spike;
    expect([minJump.pm25, minDrop.pm25, minJump.humidity, minDrop.humidity, minJump.pm1]).toEqual([25, 25, 15, 15, 10]);
    expect(cleaningParamsWithFloors('pm25=3').spike.minDrop.pm25).toBe(25);
  });
});
