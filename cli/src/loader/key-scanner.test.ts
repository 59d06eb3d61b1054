import { describe, expect, it } from 'vitest';
import { KeyScanner } from './key-scanner.js';

const T0 = Date.UTC(2019, 0, 1);

/** Scans the pieces of text and returns [participant, seconds after T0, line] per line read. */
function scan(pieces: readonly string[]): { keys: [string, number, number][]; accepted: boolean } {
  const keys: [string, number, number][] = [];
  const scanner = new KeyScanner('gps', 'g.csv', (participant, timeMs, line) => keys.push([participant, (timeMs - T0) / 1000, line]));
  const accepted = pieces.every((piece) => scanner.push(piece));
  if (accepted) scanner.end();
  return { keys, accepted };
}

describe('KeyScanner', () => {
  it('reads the participant and time columns found by header name, with line numbers', () => {
    const text = 'lat,Timestamp,lon,id_participant\n48.1,2019-01-01 00:00:10,2.1,p1\n48.2,2019-01-01T00:00:05Z,2.2, p2 \n';
    expect(scan([text])).toEqual({ keys: [['p1', 10, 2], ['p2', 5, 3]], accepted: true });
  });

  it('joins lines cut between pieces, reads a last line without a break, CRLF, a BOM and empty lines', () => {
    const { keys } = scan(['\uFEFFparticipant,time,lat,lon\r\np1,2019-01-01 0', '0:00:01,1,2\r\n\r\np1,2019-01-01 00:00:02,1,2']);
    expect(keys).toEqual([['p1', 1, 2], ['p1', 2, 4]]);
  });

  it('skips lines whose participant or time loading would reject, and lines too short to hold them', () => {
    const text = 'participant,time,lat,lon\np1\n,2019-01-01 00:00:02,1,2\np1,yesterday,1,2\np1,2019-01-01 00:00:04,1,2\n';
    expect(scan([text]).keys).toEqual([['p1', 4, 5]]);
  });

  it('refuses text with quotes, which needs a full CSV parse', () => {
    expect(scan(['participant,time,lat,lon\n', '"p,1",2019-01-01 00:00:01,1,2\n'])).toEqual({ keys: [], accepted: false });
  });

  it('gives up on a line growing past its limit, so that an endless line is never held whole', () => {
    const keys: unknown[] = [];
    const scanner = new KeyScanner('gps', 'g.csv', (...key) => keys.push(key), 40);
    expect(scanner.push('participant,time,lat,lon\np1,2019-01-01 00:00:01,1,2\np1,')).toBe(true);
    expect(scanner.push('2019-01-01 00:00:02,1,2'.repeat(3))).toBe(false);
  });

  it('fails on a header without a required column, naming the file', () => {
    expect(() => scan(['participant,lat,lon\n'])).toThrow('g.csv, line 1, column "time": missing column time');
  });
});
