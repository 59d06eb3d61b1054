import { describe, expect, it } from 'vitest';
import { rejectsHeaderLine, rejectsLine } from './rejects-csv.js';

describe('rejects CSV', () => {
  it('puts line, column and reason before the input header', () => {
    expect(rejectsHeaderLine(['participant', 'Timestamp', 'PM2.5'])).toBe('line,column,reason,participant,Timestamp,PM2.5\n');
  });

  it('writes the original values, quoted when needed', () => {
    expect(rejectsLine(7, { column: 'Timestamp', reason: 'not a time: "soon"' }, ['p1', 'soon', '1,5'])).toBe('7,Timestamp,"not a time: ""soon""",p1,soon,"1,5"\n');
    expect(rejectsLine(9, { column: null, reason: 'expected 3 fields, found 2' }, ['p1', ''])).toBe('9,,"expected 3 fields, found 2",p1,\n');
  });
});
