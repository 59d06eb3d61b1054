import { describe, expect, it } from 'vitest';
import { gpsCsvLine } from './csv.js';
import type { GpsFix } from './gps.js';
import { gpsCsvBytes } from './gps-csv-bytes.js';
import { Random } from './random.js';

describe('gpsCsvBytes', () => {
  it('writes exactly the bytes of gpsCsvLine', () => {
    const rng = new Random(8);
    const fixes: GpsFix[] = [];
    let t = Date.UTC(2026, 0, 5, 5, 59, 58, 500);
    for (let i = 0; i < 5000; i++) {
      t += rng.int(1, 9000);
      const lat = Math.round(rng.uniform(-90, 90) * 1e7) / 1e7;
      const lon = Math.round(rng.uniform(-180, 180) * 1e7) / 1e7;
      fixes.push({ participantId: i < 2500 ? 'sim-001' : 'sim-002', tabletId: i < 2500 ? 5001 : 5002, timeMs: t, lat, lon, outlier: false });
    }
    // Round values and trailing zeros: 48.85 must stay "48.85", 2 must stay "2".
    fixes.push({ participantId: 'sim-003', tabletId: 7, timeMs: t + 1000, lat: 48.85, lon: 2, outlier: false });
    fixes.push({ participantId: 'sim-003', tabletId: 7, timeMs: t + 2000, lat: -0.5, lon: 2.1000001, outlier: false });
    expect(new TextDecoder().decode(gpsCsvBytes(fixes))).toBe(fixes.map(gpsCsvLine).join(''));
  });

  it('writes nothing for no fixes', () => {
    expect(gpsCsvBytes([])).toHaveLength(0);
  });
});
