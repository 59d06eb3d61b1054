import { describe, expect, it } from 'vitest';
import { mapHeader } from './header-aliases.js';
import {
  Invalid,
  isRejected,
  parseLatitude,
  parseLongitude,
  parseOptionalInteger,
  parseOptionalNumber,
  parseOptionalText,
  parseParticipantId,
  parseTimeCell,
  validateRow,
} from './validate-row.js';

describe('cell parsers', () => {
  it('participant id: trimmed, never empty', () => {
    expect(parseParticipantId(' p-01 ')).toBe('p-01');
    expect(parseParticipantId('  ')).toEqual(new Invalid('empty participant id'));
  });

  it('time: naive is UTC, offsets honoured, nonsense rejected', () => {
    expect(parseTimeCell('2019-12-18 19:37:49')).toBe('2019-12-18T19:37:49.000Z');
    expect(parseTimeCell('2019-12-18T20:37:49+01:00')).toBe('2019-12-18T19:37:49.000Z');
    expect(parseTimeCell('2019-02-31 00:00:00')).toEqual(new Invalid('not a time: "2019-02-31 00:00:00"'));
    expect(parseTimeCell('yesterday')).toEqual(new Invalid('not a time: "yesterday"'));
  });

  it('numbers: decimal text normalised, no-value texts are null, the rest rejected', () => {
    expect(parseOptionalNumber('12.50')).toBe('12.5');
    expect(parseOptionalNumber(' -3e2 ')).toBe('-300');
    expect(parseOptionalNumber('.5')).toBe('0.5');
    for (const text of ['', ' ', 'nan', 'NaN', 'NULL', 'null', 'None', 'NA']) expect(parseOptionalNumber(text)).toBeNull();
    expect(parseOptionalNumber('abc')).toEqual(new Invalid('not a number: "abc"'));
    expect(parseOptionalNumber('0x10')).toEqual(new Invalid('not a number: "0x10"'));
    expect(parseOptionalNumber('Infinity')).toEqual(new Invalid('not a number: "Infinity"'));
    expect(parseOptionalNumber('1e999')).toEqual(new Invalid('not a finite number: "1e999"'));
  });

  it('integer ids: integers in 32 bits or empty', () => {
    expect(parseOptionalInteger('17')).toBe('17');
    expect(parseOptionalInteger('17.0')).toBe('17');
    expect(parseOptionalInteger('')).toBeNull();
    expect(parseOptionalInteger('1.5')).toEqual(new Invalid('not an integer id: "1.5"'));
    expect(parseOptionalInteger('kit7')).toEqual(new Invalid('not an integer id: "kit7"'));
    expect(parseOptionalInteger('2147483648')).toEqual(new Invalid('not an integer id: "2147483648"'));
  });

  it('latitude and longitude: required and within range', () => {
    expect(parseLatitude('-90')).toBe('-90');
    expect(parseLatitude('48.85')).toBe('48.85');
    expect(parseLatitude('200')).toEqual(new Invalid('latitude 200 is outside [-90, 90]'));
    expect(parseLatitude('')).toEqual(new Invalid('latitude is missing'));
    expect(parseLongitude('180')).toBe('180');
    expect(parseLongitude('-180.5')).toEqual(new Invalid('longitude -180.5 is outside [-180, 180]'));
    expect(parseLongitude('east')).toEqual(new Invalid('not a number: "east"'));
  });

  it('text: trimmed, empty or nan is null', () => {
    expect(parseOptionalText(' Bus ')).toBe('Bus');
    expect(parseOptionalText('')).toBeNull();
    expect(parseOptionalText('nan')).toBeNull();
  });
});

describe('validateRow', () => {
  const sensor = mapHeader('sensor', ['participant', 'Timestamp', 'PM2.5', 'kit', 'activity', 'comment'], 's.csv');
  const gps = mapHeader('gps', ['participant', 'time', 'lat', 'lon'], 'g.csv');

  it('returns the cells in COPY column order, absent columns null', () => {
    expect(validateRow(sensor, ['p1', '2019-01-01 00:00:00', '7.25', '3', 'Bus', 'whatever'])).toEqual([
      'p1', '3', '2019-01-01T00:00:00.000Z', null, '7.25', null, null, null, null, null, 'Bus', null,
    ]);
    expect(validateRow(gps, ['p1', '2019-01-01T00:00:00Z', '48.8', '2.3'])).toEqual(['p1', null, '2019-01-01T00:00:00.000Z', '48.8', '2.3']);
  });

  it('rejects with the file\'s column name and the reason', () => {
    expect(validateRow(sensor, ['p1', 'soon', '1', '3', '', ''])).toEqual({ column: 'Timestamp', reason: 'not a time: "soon"' });
    expect(validateRow(sensor, ['p1', '2019-01-01 00:00:00', 'x', '3', '', ''])).toEqual({ column: 'PM2.5', reason: 'not a number: "x"' });
    expect(validateRow(sensor, ['', '2019-01-01 00:00:00', '1', '3', '', ''])).toEqual({ column: 'participant', reason: 'empty participant id' });
    expect(validateRow(gps, ['p1', '2019-01-01 00:00:00', '200', '2'])).toEqual({ column: 'lat', reason: 'latitude 200 is outside [-90, 90]' });
  });

  it('rejects a line with the wrong number of fields', () => {
    expect(validateRow(gps, ['p1', '2019-01-01 00:00:00', '48'])).toEqual({ column: null, reason: 'expected 4 fields, found 3' });
  });

  it('tells rejections from rows', () => {
    expect(isRejected(validateRow(gps, ['p1', 'x', '1', '2']))).toBe(true);
    expect(isRejected(validateRow(gps, ['p1', '2019-01-01 00:00:00', '1', '2']))).toBe(false);
  });
});
