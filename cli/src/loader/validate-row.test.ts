import { describe, expect, it } from 'vitest';
import { parseTimeMs } from '../csv-io.js';
import { mapHeader } from './header-aliases.js';
import {
  Invalid,
  isRejected,
  MAX_TEXT_CHARS,
  parseLatitude,
  parseLongitude,
  parseOptionalInteger,
  parseOptionalNumber,
  parseOptionalText,
  parseParticipantId,
  parseTimeCell,
  strayQuoteReason,
  validateRow,
} from './validate-row.js';

describe('cell parsers', () => {
  it('participant id: trimmed, never empty', () => {
    expect(parseParticipantId(' p-01 ')).toBe('p-01');
    expect(parseParticipantId('  ')).toEqual(new Invalid('empty participant id'));
  });

  it('time: naive is UTC, offsets honoured, nonsense rejected', () => {
    expect(parseTimeCell('2019-12-18 19:37:49')).toBe(Date.UTC(2019, 11, 18, 19, 37, 49));
    expect(parseTimeCell('2019-12-18T20:37:49+01:00')).toBe(Date.UTC(2019, 11, 18, 19, 37, 49));
    expect(parseTimeCell('2019-02-31 00:00:00')).toEqual(new Invalid('not a time: "2019-02-31 00:00:00"'));
    expect(parseTimeCell('yesterday')).toEqual(new Invalid('not a time: "yesterday"'));
  });

  it('time: the digit-by-digit reading of plain times agrees with parseTimeMs', () => {
    const texts = [
      '2019-12-18 19:37:49', '2019-12-18T19:37:49', '2020-02-29 23:59:59', '2000-02-29 00:00:00', '1900-02-29 00:00:00',
      '2019-02-29 00:00:00', '2019-04-31 12:00:00', '2019-13-01 00:00:00', '2019-00-10 00:00:00', '2019-01-00 00:00:00',
      '2019-01-01 24:00:00', '2019-01-01 10:60:00', '2019-01-01 10:00:60', '0019-01-01 00:00:00', '0000-02-29 00:00:00',
      '2019-01-01 00:00:0x', '2019/01/01 00:00:00', '2019-01-01_00:00:00', ' 2019-01-01 00:00:00', '2019-01-01 00:00:00 ',
      '2019-01-01 00:00', '2019-01-01 00:00:00.5', '2019-01-01T00:00:00Z', '2019-01-01T01:00:00+01:00',
    ];
    for (const text of texts) {
      const ms = parseTimeMs(text);
      expect(parseTimeCell(text), text).toEqual(ms === null ? new Invalid(`not a time: "${text}"`) : ms);
    }
  });

  it('numbers: decimal text read as numbers, no-value texts are null, the rest rejected', () => {
    expect(parseOptionalNumber('12.50')).toBe(12.5);
    expect(parseOptionalNumber(' -3e2 ')).toBe(-300);
    expect(parseOptionalNumber('.5')).toBe(0.5);
    expect(parseOptionalNumber('+7.')).toBe(7);
    for (const text of ['', ' ', 'nan', 'NaN', 'NULL', 'null', 'None', 'NA']) expect(parseOptionalNumber(text)).toBeNull();
    expect(parseOptionalNumber('abc')).toEqual(new Invalid('not a number: "abc"'));
    expect(parseOptionalNumber('0x10')).toEqual(new Invalid('not a number: "0x10"'));
    expect(parseOptionalNumber('Infinity')).toEqual(new Invalid('not a number: "Infinity"'));
    expect(parseOptionalNumber('1e999')).toEqual(new Invalid('not a finite number: "1e999"'));
    // Forms Number() reads and PostgreSQL would not.
    for (const text of ['0X1F', '0o17', '0b11', '-0x10', '1_000', '.', '+', '1e', 'e5', '1 2']) {
      expect(parseOptionalNumber(text), text).toEqual(new Invalid(`not a number: "${text}"`));
    }
    expect(parseOptionalNumber('0e5')).toBe(0);
    expect(parseOptionalNumber('5.e3')).toBe(5000);
    expect(parseOptionalNumber('-.5')).toBe(-0.5);
    expect(parseOptionalNumber('null')).toBeNull();
    expect(parseOptionalNumber('n1')).toEqual(new Invalid('not a number: "n1"'));
  });

  it('integer ids: integers in 32 bits or empty', () => {
    expect(parseOptionalInteger('17')).toBe(17);
    expect(parseOptionalInteger('17.0')).toBe(17);
    expect(parseOptionalInteger('-2147483648')).toBe(-2147483648);
    expect(parseOptionalInteger('')).toBeNull();
    expect(parseOptionalInteger('1.5')).toEqual(new Invalid('not an integer id: "1.5"'));
    expect(parseOptionalInteger('kit7')).toEqual(new Invalid('not an integer id: "kit7"'));
    expect(parseOptionalInteger('2147483648')).toEqual(new Invalid('not an integer id: "2147483648"'));
    expect(parseOptionalInteger('0x10')).toEqual(new Invalid('not an integer id: "0x10"'));
  });

  it('latitude and longitude: required and within range', () => {
    expect(parseLatitude('-90')).toBe(-90);
    expect(parseLatitude('48.85')).toBe(48.85);
    expect(parseLatitude('200')).toEqual(new Invalid('latitude 200 is outside [-90, 90]'));
    expect(parseLatitude('')).toEqual(new Invalid('latitude is missing'));
    expect(parseLongitude('180')).toBe(180);
    expect(parseLongitude('-180.5')).toEqual(new Invalid('longitude -180.5 is outside [-180, 180]'));
    expect(parseLongitude('east')).toEqual(new Invalid('not a number: "east"'));
  });

  it('text: trimmed, empty or nan is null', () => {
    expect(parseOptionalText(' Bus ')).toBe('Bus');
    expect(parseOptionalText('')).toBeNull();
    expect(parseOptionalText('nan')).toBeNull();
  });

  it('texts: at most MAX_TEXT_CHARS characters once trimmed', () => {
    expect(parseParticipantId('p'.repeat(200))).toBe('p'.repeat(200));
    expect(parseParticipantId(` ${'p'.repeat(200)} `)).toBe('p'.repeat(200));
    expect(parseParticipantId('p'.repeat(201))).toEqual(new Invalid('participant id of 201 characters, more than 200'));
    expect(parseOptionalText('a'.repeat(MAX_TEXT_CHARS.label))).toBe('a'.repeat(256));
    expect(parseOptionalText('a'.repeat(257))).toEqual(new Invalid('text of 257 characters, more than 256'));
  });

  it('texts: a NUL byte is refused with where it is (PostgreSQL would fail the whole batch)', () => {
    expect(parseParticipantId('p\u00001')).toEqual(new Invalid('contains a NUL byte (character 2)'));
    expect(parseOptionalText('Bus\u0000')).toEqual(new Invalid('contains a NUL byte (character 4)'));
  });
});

describe('validateRow', () => {
  const sensor = mapHeader('sensor', ['participant', 'Timestamp', 'PM2.5', 'kit', 'activity', 'comment'], 's.csv');
  const gps = mapHeader('gps', ['participant', 'time', 'lat', 'lon'], 'g.csv');

  it('returns the cells in COPY column order, absent columns null', () => {
    const newYear = Date.UTC(2019, 0, 1);
    expect(validateRow(sensor, ['p1', '2019-01-01 00:00:00', '7.25', '3', 'Bus', 'whatever'])).toEqual([
      'p1', 3, newYear, null, 7.25, null, null, null, null, null, 'Bus', null,
    ]);
    expect(validateRow(gps, ['p1', '2019-01-01T00:00:00Z', '48.8', '2.3'])).toEqual(['p1', null, newYear, 48.8, 2.3]);
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

  it('names the column holding a NUL, without quoting the NUL itself, whatever its type', () => {
    expect(validateRow(gps, ['p1', '2019-01-01 00:00:00', '48\u0000', '2'])).toEqual({ column: 'lat', reason: 'contains a NUL byte (character 3)' });
    expect(validateRow(sensor, ['p1', '2019-01-01 00:00:00', '1', '3', '\u0000Bus', ''])).toEqual({ column: 'activity', reason: 'contains a NUL byte (character 1)' });
    // Columns that are not loaded may hold anything.
    expect(isRejected(validateRow(sensor, ['p1', '2019-01-01 00:00:00', '1', '3', 'Bus', 'a\u0000b']))).toBe(false);
  });

  it('takes a multi-line record for a stray quote when it would be rejected', () => {
    expect(strayQuoteReason(null, ['a', 'b'])).toBeNull();
    expect(strayQuoteReason(gps, ['p1', '2019-01-01 00:00:00', '48', '2'])).toBeNull();
    expect(strayQuoteReason(gps, ['p1', '2019-01-01 00:00:00,48,2\np2'])).toBe(
      'a quote on this line opens a field that runs over the next lines (as one record: expected 4 fields, found 2); the line is skipped and the next ones are read',
    );
    expect(strayQuoteReason(gps, ['p1', '2019\n', '48', '2'])).toMatch(/as one record: not a time: "2019\\n"\)/);
  });

  it('tells rejections from rows', () => {
    expect(isRejected(validateRow(gps, ['p1', 'x', '1', '2']))).toBe(true);
    expect(isRejected(validateRow(gps, ['p1', '2019-01-01 00:00:00', '1', '2']))).toBe(false);
  });
});
