import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { rejectsCell, rejectsHeaderLine, rejectsLine } from './rejects-csv.js';

describe('rejects CSV', () => {
  it('puts line, column and reason before the input header', () => {
    expect(rejectsHeaderLine(['participant', 'Timestamp', 'PM2.5'])).toBe('line,column,reason,participant,Timestamp,PM2.5\n');
  });

  it('writes the original values, quoted when needed', () => {
    expect(rejectsLine(7, { column: 'Timestamp', reason: 'not a time: "soon"' }, ['p1', 'soon', '1,5'])).toBe('7,Timestamp,"not a time: ""soon""",p1,soon,"1,5"\n');
    expect(rejectsLine(9, { column: null, reason: 'expected 3 fields, found 2' }, ['p1', ''])).toBe('9,,"expected 3 fields, found 2",p1,\n');
  });

  it('neutralises cells a spreadsheet would read as a formula: a leading quote, and quotes around', () => {
    expect(rejectsCell("=cmd|' /C calc'!A0")).toBe(`"'=cmd|' /C calc'!A0"`);
    expect(rejectsCell('+1+1')).toBe(`"'+1+1"`);
    expect(rejectsCell('-2.5')).toBe(`"'-2.5"`);
    expect(rejectsCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(rejectsCell('\t=1')).toBe(`"'\t=1"`);
    expect(rejectsCell('\r=1')).toBe(`"'\r=1"`);
    expect(rejectsCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    // A value that starts with ' itself gets one more, so that reading back is always "drop the first '".
    expect(rejectsCell("'=1")).toBe(`"''=1"`);
    for (const harmless of ['p1', '2019-01-01 00:00:00', '1.5', 'a=b', '']) expect(rejectsCell(harmless)).toBe(harmless);
  });

  it('reads back: drop the one leading quote of a cell that starts with one', () => {
    const values = ["=cmd|' /C calc'!A0", '-3', "'quoted", 'plain', '1,5'];
    const text = rejectsHeaderLine(['a', 'b', 'c', 'd', 'e']) + rejectsLine(2, { column: 'a', reason: 'bad' }, values);
    const [, row] = parse(text) as string[][];
    const original = (row ?? []).slice(3).map((cell) => (cell.startsWith("'") ? cell.slice(1) : cell));
    expect(original).toEqual(values);
    // No cell of the file starts with a formula character once parsed.
    for (const cell of row ?? []) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('neutralises header names too', () => {
    expect(rejectsHeaderLine(['participant', '=1+1'])).toBe(`line,column,reason,participant,"'=1+1"\n`);
  });
});
