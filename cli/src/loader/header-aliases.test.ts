import { describe, expect, it } from 'vitest';
import { InputError } from '../csv-io.js';
import { aliasTableLines, mapHeader } from './header-aliases.js';

describe('mapHeader', () => {
  it('maps our own sensor header one to one', () => {
    const header = ['participant_virtual_id', 'kit_id', 'time', 'pm1', 'pm25', 'pm10', 'no2', 'bc', 'temperature', 'humidity', 'activity', 'event'];
    expect(mapHeader('sensor', header, 'a.csv').fieldIndex).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('maps the original Polluscope names case-insensitively, in any order, ignoring unknown columns', () => {
    const header = [' Timestamp ', 'id_participant', 'PM2.5', 'PM10', 'NO2', 'BC', 'Temperature', 'Humidity', 'id_kit', 'PM1', 'comment'];
    const mapping = mapHeader('sensor', header, 'a.csv');
    expect(mapping.fieldIndex).toEqual([1, 8, 0, 9, 2, 3, 4, 5, 6, 7, -1, -1]);
    expect(mapping.header[0]).toBe('Timestamp');
  });

  it('maps gps aliases', () => {
    expect(mapHeader('gps', ['participant', 'date', 'Latitude', 'LNG', 'tablet'], 'g.csv').fieldIndex).toEqual([0, 4, 1, 2, 3]);
    expect(mapHeader('gps', ['participant_virtual_id', 'time', 'lat', 'longitude'], 'g.csv').fieldIndex).toEqual([0, -1, 1, 2, 3]);
  });

  it('ignores columns of the other kind', () => {
    expect(mapHeader('gps', ['participant', 'time', 'lat', 'lon', 'pm25', 'kit_id'], 'g.csv').fieldIndex).toEqual([0, -1, 1, 2, 3]);
  });

  it('fails on a missing required column, naming the file and the column', () => {
    expect(() => mapHeader('sensor', ['participant', 'pm25'], 'exports/kit3.csv')).toThrow(
      new InputError('exports/kit3.csv', 1, 'time', 'missing column time (accepted names: time, timestamp, date)'),
    );
    expect(() => mapHeader('gps', ['participant', 'time', 'lat'], 'g.csv')).toThrow('g.csv, line 1, column "lon": missing column lon (accepted names: lon, lng, longitude)');
  });

  it('fails when two columns mean the same one', () => {
    expect(() => mapHeader('sensor', ['participant', 'time', 'timestamp'], 's.csv')).toThrow('s.csv, line 1, column "timestamp": columns "time" and "timestamp" both mean time; keep one');
  });
});

describe('aliasTableLines', () => {
  it('lists every gps column with its names and whether it is required', () => {
    expect(aliasTableLines('gps')).toEqual([
      '  participant_virtual_id  participant_virtual_id, participant, id_participant, participant_id (required)',
      '  tablet_id               tablet_id, tablet, id_tablet',
      '  time                    time, timestamp, date (required)',
      '  lat                     lat, latitude (required)',
      '  lon                     lon, lng, longitude (required)',
    ]);
  });
});
