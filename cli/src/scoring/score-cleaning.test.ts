import { describe, expect, it } from 'vitest';
import { jumpsAboveFloor, scoreCleaning, type FlaggedMinute, type InjectedFault } from './score-cleaning.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0);
const at = (minute: number) => T0 + minute * 60_000;
const minute = (m: number, qualityFlags = ''): FlaggedMinute => ({ participantId: 'p1', timeMs: at(m), qualityFlags });
const fault = (m: number, variable: InjectedFault['variable'], kind: string, aboveFloor?: boolean): InjectedFault => ({ participantId: 'p1', timeMs: at(m), variable, fault: kind, aboveFloor });

describe('scoreCleaning', () => {
  it('counts removals against injected glitches and real-event minutes kept', () => {
    const minutes = [
      minute(0, 'no2:warmup'), // warm-up: neither a removal nor a glitch decision
      minute(1, 'pm25:spike'), // an injected spike removed: true positive
      minute(2, 'bc:range'), // an injected out-of-range value removed: true positive
      minute(3, 'pm10:spike'), // nothing injected, inside a plume: a false removal that loses the minute
      minute(4, 'pm25:high'), // kept and flagged high inside the plume
      minute(5),
    ];
    const faults = [fault(1, 'pm25', 'spike', true), fault(2, 'bc', 'out_of_range', true), fault(5, 'pm1', 'spike', false), fault(5, 'humidity', 'dropout')];
    const events = [{ participantId: 'p1', name: 'Panache', startMs: at(3), endMs: at(5) }];
    const score = scoreCleaning(minutes, faults, events);
    expect(score).toMatchObject({ removals: 3, removalsOfFaults: 2, glitches: 3, glitchesRemoved: 2, glitchesAboveFloor: 2, glitchesAboveFloorRemoved: 2 });
    expect(score.precision).toBeCloseTo(2 / 3, 12);
    expect(score.recall).toBeCloseTo(2 / 3, 12);
    expect(score.recallAboveFloor).toBe(1);
    expect(score).toMatchObject({ eventMinutes: 2, eventMinutesKept: 1, eventMinutesKeptShare: 0.5, highCells: 1, highCellsInEvents: 1 });
    expect(score.byEvent).toEqual({ Panache: { minutes: 2, kept: 1 } });
    expect(score.byVariable.pm1).toMatchObject({ glitches: 1, glitchesRemoved: 0 });
  });

  it('scores 1 when nothing was removed or injected', () => {
    expect(scoreCleaning([minute(0)], [], [])).toMatchObject({ precision: 1, recall: 1, eventMinutesKeptShare: 1 });
  });
});

describe('jumpsAboveFloor', () => {
  const values = new Map<number, number | null>([[at(0), 10], [at(1), null], [at(2), 90], [at(3), 70], [at(5), 12]]);
  it('compares with the nearest reported value within 2 minutes on each side', () => {
    // 90 at minute 2: before 10 (minute 0, minute 1 is empty), after 70: jumps 80 and 20.
    expect(jumpsAboveFloor(values, at(2), 19)).toBe(true);
    expect(jumpsAboveFloor(values, at(2), 25)).toBe(false);
  });
  it('is false without a neighbour on a side', () => {
    // 12 at minute 5: nothing after it.
    expect(jumpsAboveFloor(values, at(5), 1)).toBe(false);
  });
});
