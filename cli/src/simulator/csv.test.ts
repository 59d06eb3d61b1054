import { describe, expect, it } from 'vitest';
import { isoTime, textCell } from './csv.js';
import { Random } from './random.js';

describe('isoTime', () => {
  it('equals Date#toISOString, sorted or not', () => {
    const rng = new Random(5);
    const start = Date.UTC(2026, 0, 1);
    const times = Array.from({ length: 2000 }, () => start + Math.floor(rng.next() * 400 * 86_400_000));
    for (const t of [...times, ...times.sort((a, b) => a - b)]) expect(isoTime(t)).toBe(new Date(t).toISOString());
    expect(isoTime(1767592800000)).toBe('2026-01-05T06:00:00.000Z');
  });
});

describe('textCell', () => {
  it('leaves plain labels alone, writes null as empty and quotes when needed', () => {
    expect(textCell('Fenêtre ouverte')).toBe('Fenêtre ouverte');
    expect(textCell(null)).toBe('');
    expect(textCell('a,b')).toBe('"a,b"');
    expect(textCell('say "hi"')).toBe('"say ""hi"""');
  });
});
