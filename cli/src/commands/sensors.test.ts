import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../csv-io.js';
import { buildProgram } from '../main.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'polluscope-sensors-'));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => buildProgram().exitOverride().parseAsync(['node', 'polluscope', ...args]);
const HEADER = 'participant_virtual_id,kit_id,time,pm1,pm25,pm10,no2,bc,temperature,humidity,activity,event';

describe('polluscope sensors clean', () => {
  it('writes cleaned values, imputation flags and quality flags, passing other columns through', async () => {
    const input = join(dir, 'in.csv');
    await writeFile(input, [
      HEADER,
      'p1,7,2024-03-05 08:00:00,1,2,3,30,500,20,50,Rue,',
      'p1,7,2024-03-05 08:01:00,1,2,3,31,500,80,50,Rue,start',
      'p1,7,2024-03-05 08:02:00,1,2,3,32,500,20,50,Rue,',
      'p1,7,2024-03-05 08:03:00,1,2,3,33,500,21,nan,Rue,',
    ].join('\n'));
    const output = join(dir, 'out.csv');
    await run('sensors', 'clean', '--input', input, '--output', output);
    const lines = (await readFile(output, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(`${HEADER},imputed_pm1,imputed_pm25,imputed_pm10,imputed_no2,imputed_bc,imputed_temperature,imputed_humidity,quality_flags`);
    // Minute 1: NO2 warm-up (imputed from 33), temperature out of range (imputed from 20, 20, 21).
    expect(lines[2]).toBe(`p1,7,2024-03-05T08:01:00.000Z,1,2,3,33,500,${61 / 3},50,Rue,start,false,false,false,true,false,true,false,no2:warmup;temperature:range`);
    expect(lines[4]).toBe('p1,7,2024-03-05T08:03:00.000Z,1,2,3,33,500,21,50,Rue,,false,false,false,false,false,false,true,');
  });

  it('names file, line and column of a bad cell and writes nothing', async () => {
    const input = join(dir, 'bad.csv');
    await writeFile(input, [HEADER, 'p1,7,2024-03-05 08:00:00,1,2,3,30,500,20,50,,', 'p1,7,2024-03-05 08:01:00,1,2,x3,30,500,20,50,,'].join('\n'));
    const output = join(dir, 'out.csv');
    const error = await run('sensors', 'clean', '--input', input, '--output', output).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ file: input, line: 3, column: 'pm10' });
    expect(existsSync(output)).toBe(false);
  });

  it('rejects an unparseable time', async () => {
    const input = join(dir, 'bad-time.csv');
    await writeFile(input, [HEADER, 'p1,7,yesterday,1,2,3,30,500,20,50,,'].join('\n'));
    await expect(run('sensors', 'clean', '--input', input, '--output', join(dir, 'o.csv'))).rejects.toMatchObject({ line: 2, column: 'time' });
  });
});

/** Two participants, each with 24 five-minute segments alternating a warm clean home and a cold NO2-heavy bus. */
function studyCsv(): { sensors: string; labels: string } {
  const sensors = [HEADER];
  const labels = ['participant_virtual_id,time,micro_environment'];
  for (const p of ['p1', 'p2', 'p3']) {
    for (let m = 0; m < 120; m++) {
      const bus = Math.floor(m / 5) % 2 === 1;
      const time = new Date(Date.UTC(2024, 2, 9, 10, m)).toISOString(); // Saturday: office rules do not apply
      const wiggle = (m * 7) % 3;
      sensors.push(`${p},1,${time},5,${bus ? 30 + wiggle : 8 + wiggle},12,${bus ? 70 + wiggle : 12 + wiggle},,${bus ? 9 + wiggle / 10 : 21 + wiggle / 10},50,${bus ? 'Bus' : 'Domicile'},`);
      labels.push(`${p},${time},${bus ? 'Bus' : 'Domicile'}`);
    }
  }
  return { sensors: sensors.join('\n'), labels: labels.join('\n') };
}

describe('polluscope train and classify', () => {
  // Trains four models (three cross-validation folds and the final one): more than the default 5 s on a busy machine.
  it('trains a model, prints its cross-validation and classifies segments with it', async () => {
    const { sensors, labels } = studyCsv();
    await writeFile(join(dir, 'sensor.csv'), sensors);
    await writeFile(join(dir, 'truth.csv'), labels);
    const model = join(dir, 'model.json');
    await run('train', '--sensors', join(dir, 'sensor.csv'), '--labels', join(dir, 'truth.csv'), '--output', model, '--seed', '5', '--folds', '3');
    const printed = vi.mocked(console.log).mock.calls.map((c) => String(c[0])).join('\n');
    expect(printed).toContain('leave-participants-out cross-validation, forests alone (3 folds, 72 segments)');
    expect(printed).toContain('leave-participants-out cross-validation, with the time-of-day rules (3 folds, 72 segments)');
    expect(printed).toContain('accuracy 1.000  macro-F1 1.000');
    expect(printed).toContain('Bus          1.000     1.000     1.000        36');
    const json = JSON.parse(await readFile(model, 'utf8'));
    expect(json).toMatchObject({ format: 'polluscope-activity-model', version: 2, seed: 5, labels: ['Domicile', 'Bus'] });
    expect(json.evaluation).toMatchObject({ folds: 3, samples: 72, accuracy: 1, confusion: [[36, 0], [0, 36]], withRules: { accuracy: 1 } });

    const output = join(dir, 'segments.csv');
    await run('classify', '--input', join(dir, 'sensor.csv'), '--output', output, '--model', model);
    const lines = (await readFile(output, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('participant_virtual_id,segment_start,segment_end,label,model_label,rule,confidence,probabilities,views_present,minutes,declared_label,match,needs_review,review_reason,review_wrong_probability');
    expect(lines).toHaveLength(73);
    expect(lines[2]).toMatch(/^p1,2024-03-09T10:05:00.000Z,2024-03-09T10:10:00.000Z,Bus,Bus,,[0-9.]+,"\{""Domicile"":[0-9.]+,""Bus"":[0-9.]+\}",temperature;humidity;no2;pm1;pm25;pm10,5,Bus,true,false,,[0-9.]+$/);
  }, 30_000);

  it('trains without cross-validation (--folds 0) and never reads the ignored features', async () => {
    const { sensors, labels } = studyCsv();
    await writeFile(join(dir, 'sensor.csv'), sensors);
    await writeFile(join(dir, 'truth.csv'), labels);
    const model = join(dir, 'model.json');
    await run('train', '--sensors', join(dir, 'sensor.csv'), '--labels', join(dir, 'truth.csv'), '--output', model, '--folds', '0', '--ignore-features', 'temperature_mean,weekend', '--meta-class-weight-exponent', '0.5');
    const printed = vi.mocked(console.log).mock.calls.map((c) => String(c[0])).join('\n');
    expect(printed).not.toContain('cross-validation');
    const json = JSON.parse(await readFile(model, 'utf8'));
    expect(json).toMatchObject({ evaluation: null, ignoredFeatures: ['temperature_mean', 'weekend'], metaForestParams: { classWeightExponent: 0.5 }, forestParams: { classWeightExponent: 0.5 } });
    await expect(run('train', '--sensors', join(dir, 'sensor.csv'), '--labels', join(dir, 'truth.csv'), '--output', model, '--ignore-features', 'wind_mean')).rejects.toMatchObject({ file: '--ignore-features' });
    await expect(run('train', '--sensors', join(dir, 'sensor.csv'), '--labels', join(dir, 'truth.csv'), '--output', model, '--folds', '1')).rejects.toMatchObject({ file: '--folds' });
    await expect(run('train', '--output', model)).rejects.toMatchObject({ file: 'train' });
  }, 30_000);

  it('refuses a file that is not a model', async () => {
    await writeFile(join(dir, 'sensor.csv'), studyCsv().sensors);
    await writeFile(join(dir, 'model.json'), '{"format":"other"}');
    await expect(run('classify', '--input', join(dir, 'sensor.csv'), '--output', join(dir, 'o.csv'), '--model', join(dir, 'model.json'))).rejects.toMatchObject({
      file: join(dir, 'model.json'),
    });
  });

  it('refuses a rules threshold that is neither a confidence nor "always", naming the option', async () => {
    await writeFile(join(dir, 'sensor.csv'), studyCsv().sensors);
    await expect(
      run('classify', '--input', join(dir, 'sensor.csv'), '--output', join(dir, 'o.csv'), '--rules-below-confidence', 'sometimes'),
    ).rejects.toMatchObject({ file: '--rules-below-confidence', message: expect.stringContaining('"sometimes"') });
  });
});
