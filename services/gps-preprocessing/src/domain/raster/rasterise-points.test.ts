import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rasterCell, rasterisePoints } from './rasterise-points.js';

// Grid vectors of docs/design.md §5.3.3: (lat, lon) → col, row → d.
const VECTORS: Array<[number, number, number, number, number]> = [
  [48.7629166666667, 2.04901166666667, 1229, 2000, 3121649],
  [48.762935, 2.04977166666667, 1230, 2000, 3121662],
  [48.76293, 2.050145, 1231, 2000, 3121663],
  [48.8023231, 2.1316921, 1351, 2088, 8068821],
  [48.78797, 2.132422, 1352, 2056, 8065152],
];

describe('rasterCell', () => {
  it.each(VECTORS)('(%f, %f) → col %i, row %i, hilbert %i', (lat, lon, col, row, hilbert) => {
    expect(rasterCell(lat, lon)).toEqual({ col, row, hilbert });
  });

  it('is null outside the grid (Marseille)', () => {
    expect(rasterCell(43.2965, 5.3698)).toBeNull();
  });
});

describe('rasterisePoints', () => {
  it('fills typed arrays, -1 outside', () => {
    const lats = Float64Array.from([...VECTORS.map((v) => v[0]), 43.2965]);
    const lons = Float64Array.from([...VECTORS.map((v) => v[1]), 5.3698]);
    const out = rasterisePoints(lats, lons);
    expect([...out.col]).toEqual([1229, 1230, 1231, 1351, 1352, -1]);
    expect([...out.row]).toEqual([2000, 2000, 2000, 2088, 2056, -1]);
    expect([...out.hilbert]).toEqual([3121649, 3121662, 3121663, 8068821, 8065152, -1]);
  });
});

const FIXTURE = fileURLToPath(new URL('../../../../../../shared/fixtures/polluscope-moves-9999941.csv', import.meta.url));

describe.skipIf(!existsSync(FIXTURE))(`original hilbert column of ${FIXTURE}`, () => {
  it('is reproduced for every point off row and column 0', () => {
    const lines = readFileSync(FIXTURE, 'utf8').trim().split(/\r?\n/);
    const header = lines[0]!.split(',');
    const iLat = header.indexOf('lat');
    const iLon = header.indexOf('lon');
    const iHil = header.indexOf('hilbert');
    let compared = 0;
    const mismatches: string[] = [];
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      const lat = Number(cells[iLat]);
      const lon = Number(cells[iLon]);
      const cell = rasterCell(lat, lon);
      if (cell === null || cell.col === 0 || cell.row === 0) continue;
      compared++;
      if (cell.hilbert !== Number(cells[iHil])) mismatches.push(line);
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(9000);
  });
});
