import { describe, expect, it } from 'vitest';
import { batchCsv, csvCell, csvLine } from './batch-csv.js';

describe('csvCell', () => {
  it('writes null as an empty cell and quotes only when needed', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell('')).toBe('""');
    expect(csvCell('Bus')).toBe('Bus');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });
});

describe('csvLine', () => {
  it('joins the cells', () => {
    expect(csvLine(['p1', null, '2019-01-01T00:00:00.000Z', '1.5'])).toBe('p1,,2019-01-01T00:00:00.000Z,1.5');
  });
});

describe('batchCsv', () => {
  it('writes the header in COPY column order and one line per row', () => {
    expect(batchCsv('gps', [['p1', '4', '2019-01-01T00:00:00.000Z', '48.8', '2.3'], ['p,2', null, '2019-01-01T00:00:01.000Z', '-1', '0']])).toBe(
      'participant_virtual_id,tablet_id,time,lat,lon\np1,4,2019-01-01T00:00:00.000Z,48.8,2.3\n"p,2",,2019-01-01T00:00:01.000Z,-1,0\n',
    );
  });

  it('writes only the header for no rows', () => {
    expect(batchCsv('sensor', [])).toBe('participant_virtual_id,kit_id,time,pm1,pm25,pm10,no2,bc,temperature,humidity,activity,event\n');
  });
});
