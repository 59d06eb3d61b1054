/**
 * The Avro contracts (docs/design.md §3.2): every topic of the registry has a schema that parses, uses
 * double (never float) and timestamp-millis, and the records the services build are valid against
 * their topic's schema and survive an encode/decode round trip.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '@polluscope/common';
import { toSegmentRecord } from '../../services/classification-validation/src/handler.js';
import { toSensorCleanRecord } from '../../services/timeseries-preprocessing/src/handler.js';
import { toEpisodeRecord } from '../../services/stop-move-detection/src/handler.js';
import { toGpsDroppedRecord } from '../../services/gps-preprocessing/src/handler.js';
import { computeDailyExposure, fuseTimeline } from '@polluscope/postprocessing/domain';
import { seg } from '../../services/postprocessing/src/domain/test-fixtures.js';

const SCHEMAS = fileURLToPath(new URL('../../schemas/', import.meta.url));
const schemaOf = (file: string) => JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as avro.Schema;
const typeOf = (file: string) => avro.Type.forSchema(schemaOf(file), { wrapUnions: false });

function roundTrip(file: string, record: Record<string, unknown>): unknown {
  const type = typeOf(file);
  const errors: string[] = [];
  const valid = type.isValid(record, { errorHook: (path) => errors.push(path.join('.')) });
  expect(valid, `${file}: invalid fields ${errors.join(', ')}`).toBe(true);
  return type.fromBuffer(type.toBuffer(record));
}

describe('schemas/', () => {
  const files = readdirSync(SCHEMAS).filter((f) => f.endsWith('.avsc'));

  it('has one schema for every topic of the registry, and no other', () => {
    const expected = Object.values(TOPICS).map((t) => t.valueSchema).sort();
    expect(files.sort()).toEqual(expected);
  });

  it.each(files)('%s parses, keys records by participant, and never uses float', (file) => {
    expect(() => typeOf(file)).not.toThrow();
    const text = readFileSync(join(SCHEMAS, file), 'utf8');
    expect(text).not.toMatch(/"float"/);
    expect((schemaOf(file) as { fields: { name: string }[] }).fields.map((f) => f.name)).toContain('participant_virtual_id');
  });
});

describe('records built by the services match their schemas', () => {
  it('sensor.clean', () => {
    const row = {
      timeMs: Date.UTC(2026, 0, 5, 8),
      pm1: 5, pm25: null, pm10: 15, no2: 20, bc: null, temperature: 21.5, humidity: 50,
      imputed_pm1: false, imputed_pm25: false, imputed_pm10: true, imputed_no2: false, imputed_bc: false, imputed_temperature: false, imputed_humidity: false,
      qualityFlags: 'pm25:range', activity: 'Domicile', event: null,
    };
    const record = toSensorCleanRecord('p1', row, 7);
    expect(roundTrip('sensor.clean.avsc', record)).toEqual(record);
  });

  it('activity.segments', () => {
    const record = toSegmentRecord(
      'p1',
      {
        segmentStartMs: Date.UTC(2026, 0, 5, 8),
        segmentEndMs: Date.UTC(2026, 0, 5, 8, 5),
        label: 'Bureau', modelLabel: 'Domicile', rule: 'office-hours', confidence: 0.7,
        probabilities: { Bureau: 0.7, Domicile: 0.3 }, viewsPresent: ['pm25', 'no2'], minutes: 5,
        declaredLabel: 'Bureau', match: true, needsReview: false, reviewReason: null, wrongProbability: 0.04,
      } as Parameters<typeof toSegmentRecord>[1],
      [{ timeMs: Date.UTC(2026, 0, 5, 8), pm1: 1, pm25: 2, pm10: 3, no2: 4, bc: null, temperature: 20, humidity: 40, activity: 'Bureau' }],
      'v2-seed42',
    );
    expect(roundTrip('activity.segments.avsc', record)).toEqual(record);
  });

  it('gps.dropped, with and without a tablet', () => {
    const point = { timeMs: Date.UTC(2026, 0, 5, 8), lat: 49.2, lon: 2.35 };
    for (const record of [toGpsDroppedRecord('p1', { ...point, tabletId: 4 }, 'too-fast'), toGpsDroppedRecord('p1', { ...point, tabletId: null }, 'same-time')]) {
      expect(roundTrip('gps.dropped.avsc', record)).toEqual(record);
    }
  });

  it('gps.dropped has gps.clean\'s fields for the fix itself, the same way, then the reason', () => {
    type Field = { name: string; type: unknown; default?: unknown };
    const fields = (file: string) => (schemaOf(file) as { fields: Field[] }).fields;
    const clean = new Map(fields('gps.clean.avsc').map((f) => [f.name, f]));
    const dropped = fields('gps.dropped.avsc');
    expect(dropped.map((f) => f.name)).toEqual(['participant_virtual_id', 'time', 'tablet_id', 'lat', 'lon', 'reason']);
    for (const field of dropped.filter((f) => f.name !== 'reason')) expect(field, field.name).toEqual(clean.get(field.name));
  });

  it('gps.episodes, a stop and a move', () => {
    const base = { startMs: Date.UTC(2026, 0, 5, 8), endMs: Date.UTC(2026, 0, 5, 8, 10), pointCount: 120, durationS: 600, firstIndex: 0, lastIndex: 119, gap: false };
    const stop = toEpisodeRecord('p1', { ...base, type: 'stop', centroidLat: 48.85, centroidLon: 2.35, radiusM: 20, hilbert: 123 }, null);
    const move = toEpisodeRecord(
      'p1',
      { ...base, type: 'move', leg: 2, gap: true, distanceM: 900, meanSpeedMps: 1.5, p50SpeedMps: 1.4, p95SpeedMps: 2, maxSpeedMps: 2.5 },
      { mode: 'Walk', probability: 0.8 },
    );
    expect(roundTrip('gps.episodes.avsc', stop)).toEqual(stop);
    expect(roundTrip('gps.episodes.avsc', move)).toEqual(move);
    expect([stop.gap, stop.leg_index, move.gap, move.leg_index]).toEqual([false, null, true, 2]);
  });

  it('gps.episodes stays BACKWARD compatible: the new schema reads records written without gap and leg_index', () => {
    const current = schemaOf('gps.episodes.avsc') as { fields: Array<{ name: string }> };
    const previous = { ...current, fields: current.fields.filter((f) => f.name !== 'gap' && f.name !== 'leg_index') };
    const writer = avro.Type.forSchema(previous as avro.Schema, { wrapUnions: false });
    const reader = typeOf('gps.episodes.avsc');
    const old = toEpisodeRecord('p1', { startMs: 0, endMs: 1000, pointCount: 2, durationS: 1, firstIndex: 0, lastIndex: 1, gap: false, type: 'stop', centroidLat: 48.85, centroidLon: 2.35, radiusM: 1, hilbert: null }, null);
    delete old.gap;
    delete old.leg_index;
    const read = reader.fromBuffer(writer.toBuffer(old), reader.createResolver(writer)) as Record<string, unknown>;
    expect([read.gap, read.leg_index]).toEqual([false, null]);
  });
});

describe('postprocessing records match their schemas', () => {
  const timeline = fuseTimeline([seg(0, 'Bus', { minutes: 4, bc_mean: 2000, pm25_mean: 12 }), seg(1, null, { minutes: 2, bc_mean: 900 })], [], []);

  it('activity.timeline', () => {
    for (const entry of timeline) expect(roundTrip('activity.timeline.avsc', { ...entry })).toEqual(entry);
  });

  it('exposure.daily, every row of a day', () => {
    const rows = computeDailyExposure(timeline);
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(roundTrip('exposure.daily.avsc', { ...row })).toEqual(row);
  });
});

describe('schema evolution is BACKWARD compatible (docs/design.md §3.2)', () => {
  const HISTORY = join(SCHEMAS, 'history');
  const previous = readdirSync(HISTORY).filter((f) => f.endsWith('.avsc'));

  it.each(previous)('the current schema reads records written with %s', (file) => {
    const current = typeOf(file.replace(/\.v\d+\.avsc$/, '.avsc'));
    const old = avro.Type.forSchema(JSON.parse(readFileSync(join(HISTORY, file), 'utf8')) as avro.Schema, { wrapUnions: false });
    const resolver = current.createResolver(old);
    const written = old.random();
    const read = current.fromBuffer(old.toBuffer(written), resolver) as Record<string, unknown>;
    for (const field of (current.schema() as { fields: { name: string }[] }).fields) {
      expect(read, field.name).toHaveProperty(field.name);
    }
  });
});
