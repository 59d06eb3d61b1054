import { describe, expect, it } from 'vitest';
import { statementLine, statementsBetween, type StatementStats } from '../../bench/pipeline/statement-stats.js';

const statement = (id: string, calls: number, execMs: number, rows = calls): StatementStats => ({ id, role: 'polluscope_sink_points', query: `q${id}`, calls, rows, execMs });

describe('statementsBetween', () => {
  it('gives what each statement cost between the readings, the costliest first, with its share', () => {
    const before = [statement('upsert', 100, 50), statement('count', 10, 5), statement('idle', 4, 1)];
    const after = [statement('upsert', 300, 250), statement('count', 40, 55), statement('idle', 4, 1), statement('copy', 2, 100, 50_000)];
    const costs = statementsBetween(before, after);
    expect(costs.map((c) => [c.id, c.calls, c.execMs, c.rows])).toEqual([
      ['upsert', 200, 200, 200],
      ['copy', 2, 100, 50_000],
      ['count', 30, 50, 30],
    ]);
    expect(costs.map((c) => c.share)).toEqual([200 / 350, 100 / 350, 50 / 350]);
  });

  it('counts a statement reset or evicted between the readings from zero', () => {
    const costs = statementsBetween([statement('upsert', 500, 900)], [statement('upsert', 20, 30)]);
    expect(costs).toEqual([{ ...statement('upsert', 20, 30), share: 1 }]);
  });
});

describe('statementLine', () => {
  it('puts a statement on one line and cuts it to the width', () => {
    expect(statementLine('INSERT INTO gps_clean\n   (a, b)\tVALUES ($1, $2)')).toBe('INSERT INTO gps_clean (a, b) VALUES ($1, $2)');
    expect(statementLine('SELECT 1234567890', 10)).toBe('SELECT 12…');
  });
});
