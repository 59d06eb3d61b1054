import { normaliseLabel } from '@polluscope/common/domain';
import { describe, expect, it } from 'vitest';
import { simulationCsvTexts } from './csv.js';
import type { DeclarationChange } from './declarations.js';
import { MICRO_ENVIRONMENTS, SENSOR_VARIABLES, STOP_LABELS } from './environments.js';
import { EVENT_EFFECTS } from './events.js';
import { insideGrid } from './geo.js';
import { defaultSimulationParams, type SimulationParams } from './params.js';
import { GPS_POSITION_COLUMNS, gpsPositionRow, SENSOR_MEASUREMENT_COLUMNS, sensorMeasurementRow, simulateRawRows } from './rawdata.js';
import { planParticipant, simulate, type SimulationChunk, type TruthMinute } from './simulate.js';
import type { TimelineSegment } from './timeline.js';

const MIN = 60_000;
const small: SimulationParams = { ...defaultSimulationParams, participants: 2, days: 2, seed: 7, gpsRateHz: 0.1 };
// A week of 6 people, GPS thinned to every 20 s: enough segments for rates, fast enough for a unit test.
const week: SimulationParams = { ...defaultSimulationParams, participants: 5, days: 7, seed: 11, gpsRateHz: 0.05 };
const chunks: SimulationChunk[] = [...simulate(week)];

describe('simulate: determinism', () => {
  it('gives identical bytes for the same seed and different bytes for another', () => {
    const a = simulationCsvTexts(simulate(small));
    const b = simulationCsvTexts(simulate(small));
    const c = simulationCsvTexts(simulate({ ...small, seed: 8 }));
    expect(b).toEqual(a);
    expect(c.sensor).not.toBe(a.sensor);
    expect(c.gps).not.toBe(a.gps);
    expect(c.truthMinutes).not.toBe(a.truthMinutes);
  });

  it('keeps the sensor file unchanged when only the GPS rate changes (independent streams)', () => {
    const a = simulationCsvTexts(simulate(small));
    const b = simulationCsvTexts(simulate({ ...small, gpsRateHz: 0.25 }));
    expect(b.sensor).toBe(a.sensor);
    expect(b.truthMinutes).toBe(a.truthMinutes);
    expect(b.gps.length).toBeGreaterThan(2 * a.gps.length);
  });
});

describe('simulate: ground truth', () => {
  it('has one truth minute for every minute of every day, contiguous, stops flagged', () => {
    let wrong = 0;
    for (const c of chunks) {
      expect(c.truthMinutes).toHaveLength((c.day.endMs - c.day.startMs) / MIN);
      c.truthMinutes.forEach((m, i) => {
        if (m.timeMs !== c.day.startMs + i * MIN || m.isStop !== STOP_LABELS.has(m.microEnvironment)) wrong++;
      });
    }
    expect(wrong).toBe(0);
  });

  it('lists stops whose minutes are stop minutes of the same label, at places inside the grid', () => {
    const truth = truthByParticipant();
    let stops = 0;
    let wrong = 0;
    for (const c of chunks) {
      for (const s of c.truthStops) {
        stops++;
        if (!insideGrid(s) || s.endMs - s.startMs < MIN) wrong++;
        const minutes = truth.get(s.participantId) as Map<number, TruthMinute>;
        for (let t = s.startMs; t < s.endMs; t += MIN) {
          const m = minutes.get(t) as TruthMinute;
          if (!m.isStop || m.microEnvironment !== s.label) wrong++;
        }
      }
    }
    expect(wrong).toBe(0);
    expect(stops).toBeGreaterThan(5 * 7 * 4);
  });

  it('covers the routine: commutes, offices, lunches, evenings and several transport modes', () => {
    const labels = new Set(chunks.flatMap((c) => c.truthMinutes.map((m) => m.microEnvironment)));
    for (const l of ['Domicile', 'Bureau', 'Restaurant', 'Walk', 'Métro']) expect(labels).toContain(l);
    expect(labels.size).toBeGreaterThanOrEqual(10);
  });
});

function truthByParticipant(): Map<string, Map<number, TruthMinute>> {
  const byId = new Map<string, Map<number, TruthMinute>>();
  for (const c of chunks) {
    const m = byId.get(c.participant.id) ?? new Map<number, TruthMinute>();
    for (const t of c.truthMinutes) m.set(t.timeMs, t);
    byId.set(c.participant.id, m);
  }
  return byId;
}

describe('simulate: sensor minutes', () => {
  const truth = truthByParticipant();

  it('writes one row per minute while the kit is on, and restarts the NO2 warm-up after each power-on', () => {
    let wrong = 0;
    let sessions = 0;
    let previousId = '';
    let previous = -Infinity;
    let sinceOn = 0;
    for (const c of chunks) {
      if (c.participant.id !== previousId) previous = -Infinity;
      previousId = c.participant.id;
      for (const r of c.sensor) {
        if (r.timeMs % MIN !== 0 || r.timeMs <= previous) wrong++;
        // The kit's off periods last ≥ 15 min, so any gap starts a new session.
        if (r.timeMs - previous > MIN) {
          sinceOn = 0;
          sessions++;
        }
        if (r.faults.some((f) => f.kind === 'warm_up') !== sinceOn < 3) wrong++;
        sinceOn++;
        previous = r.timeMs;
      }
      expect(c.sensor.length).toBeGreaterThan(600);
    }
    expect(wrong).toBe(0);
    expect(sessions).toBeGreaterThan(5 * 4);
  });

  it('keeps every background value inside its micro-environment’s documented range; events and faults are counted apart', () => {
    const faults = { dropout: 0, spike: 0, out_of_range: 0, warm_up: 0 };
    const inEvent = new Set(chunks.flatMap((c) => c.truthEvents.flatMap((e) => Array.from({ length: (e.endMs - e.startMs) / MIN }, (_, i) => `${e.participantId} ${e.startMs + i * MIN}`))));
    let cells = 0;
    let outside = 0;
    for (const c of chunks) {
      const minutes = truth.get(c.participant.id) as Map<number, TruthMinute>;
      for (const r of c.sensor) {
        const env = MICRO_ENVIRONMENTS[(minutes.get(r.timeMs) as TruthMinute).microEnvironment];
        for (const f of r.faults) faults[f.kind]++;
        const duringEvent = inEvent.has(`${r.participantId} ${r.timeMs}`);
        for (const v of SENSOR_VARIABLES) {
          if (r.faults.some((f) => f.variable === v)) continue;
          // Events raise concentrations beyond the range (cooking, tunnels); weather stays in it.
          if (duringEvent && v !== 'temperature' && v !== 'humidity') continue;
          cells++;
          const value = r[v];
          const [min, max] = env.ranges[v];
          if (value === null || value < min || value > max) outside++;
        }
      }
    }
    expect(outside).toBe(0);
    expect(cells).toBeGreaterThan(100_000);
    for (const kind of Object.keys(faults) as (keyof typeof faults)[]) expect(faults[kind]).toBeGreaterThan(0);
  });

  it('lists real pollution events inside their places; only noted ones reach the event column', () => {
    const counts = new Map<string, number>();
    let wrong = 0;
    let above300 = 0;
    for (const c of chunks) {
      const minutes = truth.get(c.participant.id) as Map<number, TruthMinute>;
      const sensorAt = new Map(c.sensor.map((r) => [r.timeMs, r]));
      for (const e of c.truthEvents) {
        counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
        const effect = EVENT_EFFECTS[e.name];
        if (!effect.where.includes((minutes.get(e.startMs) as TruthMinute).microEnvironment)) wrong++;
        const declaredAt = sensorAt.get(e.startMs)?.event;
        if (declaredAt !== undefined && !effect.declared && declaredAt === e.name) wrong++;
        for (let t = e.startMs; t < e.endMs; t += MIN) if ((sensorAt.get(t)?.pm25 ?? 0) > 300) above300++;
      }
    }
    expect(wrong).toBe(0);
    for (const name of ['Cuisine', 'Panache', 'Tunnel', 'Quai']) expect(counts.get(name), name).toBeGreaterThan(0);
    // Cooking and smoke can exceed the PM background ceiling: the cleaner must keep them.
    expect(above300).toBeGreaterThan(0);
  });

  it('writes missing values as empty cells and never a zero standing for one', () => {
    const text = simulationCsvTexts(simulate(small)).sensor;
    const lines = text.trimEnd().split('\n').slice(1);
    let empty = 0;
    let malformed = 0;
    for (const line of lines) {
      const cells = line.split(',');
      if (cells.length !== 12) malformed++;
      // Temperature may truly be 0 °C in winter; every other measured variable stays > 0.
      for (const i of [3, 4, 5, 6, 7, 9]) if (Number(cells[i]) === 0 && cells[i] !== '') malformed++;
      empty += cells.slice(3, 10).filter((x) => x === '').length;
    }
    expect(malformed).toBe(0);
    expect(empty).toBeGreaterThan(0);
    let dropoutsWithValue = 0;
    for (const c of chunks) for (const r of c.sensor) for (const f of r.faults) if (f.kind === 'dropout' && r[f.variable] !== null) dropoutsWithValue++;
    expect(dropoutsWithValue).toBe(0);
  });

  it('drifts slowly (autocorrelated) instead of jumping like white noise', () => {
    const minutes = truth.get('sim-001') as Map<number, TruthMinute>;
    const xs: number[] = [];
    for (const c of chunks.filter((k) => k.participant.id === 'sim-001')) {
      for (const r of c.sensor) {
        if ((minutes.get(r.timeMs) as TruthMinute).microEnvironment === 'Bureau' && r.faults.length === 0 && r.pm25 !== null) xs.push(Math.log(r.pm25));
      }
    }
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    let num = 0;
    let den = 0;
    for (let i = 1; i < xs.length; i++) num += ((xs[i] as number) - mean) * ((xs[i - 1] as number) - mean);
    for (const x of xs) den += (x - mean) ** 2;
    expect(xs.length).toBeGreaterThan(500);
    expect(num / den).toBeGreaterThan(0.6);
  });
});

describe('simulate: declarations', () => {
  const truth = truthByParticipant();

  it('explains every disagreement between declaration and truth by a documented error', () => {
    let unexplained = 0;
    let late = 0;
    for (const id of truth.keys()) {
      const changes: DeclarationChange[] = chunks.filter((c) => c.participant.id === id).flatMap((c) => c.declarations);
      const minutes = truth.get(id) as Map<number, TruthMinute>;
      let k = 0;
      for (const c of chunks.filter((x) => x.participant.id === id)) {
        for (const r of c.sensor) {
          // The segment this minute belongs to is the last one whose true start is ≤ the minute.
          while (k + 1 < changes.length && (changes[k + 1] as DeclarationChange).timeMs - (changes[k + 1] as DeclarationChange).delayMin * MIN <= r.timeMs) k++;
          const own = changes[k] as DeclarationChange;
          const trueLabel = (minutes.get(r.timeMs) as TruthMinute).microEnvironment;
          if (r.timeMs < own.timeMs) {
            late++;
            // Late: the tablet still shows the previous segment's label.
            if (r.activity !== (k > 0 ? (changes[k - 1] as DeclarationChange).label : null)) unexplained++;
          } else if (own.kind === 'missing') {
            if (r.activity !== null) unexplained++;
          } else if (r.activity !== own.label || (normaliseLabel(r.activity) === trueLabel) !== (own.kind !== 'wrong')) {
            unexplained++;
          }
        }
      }
    }
    expect(unexplained).toBe(0);
    expect(late).toBeGreaterThan(0);
  });

  it('agrees with the truth on about 86 % of the declared-or-not minutes (documented band 75–95 %)', () => {
    let on = 0;
    let agree = 0;
    for (const c of chunks) {
      const minutes = truth.get(c.participant.id) as Map<number, TruthMinute>;
      for (const r of c.sensor) {
        on++;
        if (normaliseLabel(r.activity) === (minutes.get(r.timeMs) as TruthMinute).microEnvironment) agree++;
      }
    }
    // Minute-weighted, so a few long nights dominate: a wide band, see docs/simulator.md.
    expect(agree / on).toBeGreaterThan(0.75);
    expect(agree / on).toBeLessThan(0.95);
  });
});

describe('simulate: GPS', () => {
  it('stays inside the grid, in time order, with gaps and a few outliers', () => {
    let fixes = 0;
    let outliers = 0;
    let gaps = 0;
    let wrong = 0;
    for (const c of chunks) {
      let previous = -Infinity;
      for (const f of c.gps) {
        if (!insideGrid(f) || f.timeMs <= previous) wrong++;
        if (f.timeMs - previous > 5 * MIN && previous > 0) gaps++;
        previous = f.timeMs;
        fixes++;
        if (f.outlier) outliers++;
      }
    }
    expect(wrong).toBe(0);
    expect(fixes).toBeGreaterThan(5 * 7 * 1000);
    expect(gaps).toBeGreaterThan(5 * 7);
    expect(outliers).toBeGreaterThan(0);
  });
});

describe('simulateRawRows', () => {
  it('yields rows in the column order of sensor_measurements and gps_positions', () => {
    const [first] = simulateRawRows(small);
    const chunk = simulate(small).next().value as SimulationChunk;
    expect(SENSOR_MEASUREMENT_COLUMNS).toHaveLength(12);
    expect(GPS_POSITION_COLUMNS).toEqual(['participant_virtual_id', 'tablet_id', 'time', 'lat', 'lon']);
    expect(first?.sensorMeasurements[0]).toEqual(sensorMeasurementRow(chunk.sensor[0] as never));
    const row = first?.gpsPositions[0] ?? [];
    const fix = chunk.gps[0];
    expect(row).toEqual([fix?.participantId, fix?.tabletId, new Date(fix?.timeMs ?? 0).toISOString(), fix?.lat, fix?.lon]);
    expect(gpsPositionRow(fix as never)).toEqual(row);
  });
});

describe('planParticipant', () => {
  it('plans a gap-free timeline with one declaration per segment, the same person in any run size', () => {
    const days = chunks.filter((c) => c.participant.id === 'sim-001').map((c) => c.day);
    const plan = planParticipant(week, 0, days);
    expect(plan.declarations).toHaveLength(plan.segments.length);
    plan.segments.forEach((s, i) => {
      if (i > 0) expect(s.startMs).toBe((plan.segments[i - 1] as TimelineSegment).endMs);
    });
    expect((plan.segments[0] as TimelineSegment).startMs).toBe(days[0]?.startMs);
    expect((plan.segments[plan.segments.length - 1] as TimelineSegment).endMs).toBe(days[days.length - 1]?.endMs);
    expect(planParticipant({ ...week, participants: 40 }, 0, days)).toEqual(plan);
  });
});

describe('simulate: calendar and places', () => {
  it('follows the local clock across the spring daylight-saving change (a 23-hour day)', () => {
    const dst = [...simulate({ ...defaultSimulationParams, participants: 1, days: 2, seed: 5, startDate: '2026-03-28', gpsRateHz: 0.05 })];
    expect(dst.map((c) => c.truthMinutes.length)).toEqual([1440, 1380]);
    // Local midnight is 23:00Z before the change and 22:00Z after it.
    expect(dst.map((c) => [new Date(c.day.startMs).toISOString(), new Date(c.day.endMs).toISOString()])).toEqual([
      ['2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z'],
      ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ]);
  });

  it('puts most homes and offices in Paris and its inner suburbs', () => {
    const inParis = (p: { lat: number; lon: number }): boolean => p.lat >= 48.75 && p.lat <= 48.95 && p.lon >= 2.2 && p.lon <= 2.5;
    const plans = Array.from({ length: 200 }, (_, i) => planParticipant({ ...week, participants: 200 }, i, chunks.slice(0, 1).map((c) => c.day)));
    const homes = plans.filter((p) => inParis(p.profile.home)).length;
    const offices = plans.filter((p) => inParis(p.profile.office)).length;
    expect(homes / 200).toBeGreaterThan(0.75);
    expect(offices / 200).toBeGreaterThan(0.8);
    expect(plans.every((p) => insideGrid(p.profile.home) && insideGrid(p.profile.office))).toBe(true);
  });
});
