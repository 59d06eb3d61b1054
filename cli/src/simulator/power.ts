/**
 * When the kit and the tablet are switched off: charging at night, flat batteries or
 * forgetfulness during the day. Every off period lasts long enough (≥ 15 min) to start a new
 * sensor session afterwards (docs/design.md §5.1: a session starts after a gap of more than 10 min).
 */
import type { ParticipantProfile } from './participants.js';
import type { Random } from './random.js';
import type { SimulatedDay } from './timeline.js';
import { localTimeToUtcMs } from './time-zone.js';

export interface DevicePowerParams {
  /** Probability that the device is charged (off) during a night. */
  readonly nightOffShare: number;
  /** Probability of one extra off period during a day, and its length in minutes. */
  readonly dayOffShare: number;
  readonly dayOffMinutes: readonly [min: number, max: number];
}

export interface PowerParams {
  readonly kit: DevicePowerParams;
  readonly tablet: DevicePowerParams;
}

export const defaultPowerParams: PowerParams = Object.freeze({
  kit: { nightOffShare: 0.7, dayOffShare: 0.15, dayOffMinutes: [15, 90] as const },
  tablet: { nightOffShare: 0.8, dayOffShare: 0.25, dayOffMinutes: [15, 60] as const },
});

/** Half-open UTC interval [startMs, endMs). */
export interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

const MIN_OFF_MS = 15 * 60_000;

/**
 * Off periods of one device over the simulated days, sorted and disjoint. The device is off
 * before the first morning: the simulation starts with a power-on.
 */
export function planPowerOff(
  profile: ParticipantProfile,
  days: readonly SimulatedDay[],
  timeZone: string,
  params: DevicePowerParams,
  rng: Random,
): Interval[] {
  const raw: Interval[] = [];
  for (const day of days) {
    const weekend = day.weekday === 0 || day.weekday === 6;
    const wake = profile.wakeMin + (weekend ? rng.int(60, 150) : rng.int(-20, 20));
    const previous = days[day.index - 1];
    if (previous === undefined) {
      raw.push({ startMs: day.startMs, endMs: localTimeToUtcMs(timeZone, day.date, wake) });
    } else if (rng.chance(params.nightOffShare)) {
      const bed = profile.bedMin + rng.int(-30, 60);
      raw.push({ startMs: localTimeToUtcMs(timeZone, previous.date, bed), endMs: localTimeToUtcMs(timeZone, day.date, wake) });
    }
    if (rng.chance(params.dayOffShare)) {
      const start = rng.int(9 * 60, 20 * 60);
      const length = rng.int(params.dayOffMinutes[0], params.dayOffMinutes[1]);
      raw.push({ startMs: localTimeToUtcMs(timeZone, day.date, start), endMs: localTimeToUtcMs(timeZone, day.date, start + length) });
    }
  }
  raw.sort((a, b) => a.startMs - b.startMs);
  const merged: Interval[] = [];
  for (const off of raw) {
    if (off.endMs - off.startMs < MIN_OFF_MS) continue;
    const last = merged[merged.length - 1];
    // Off periods closer than 15 min merge: a session must not be shorter than its warm-up gap.
    if (last !== undefined && off.startMs <= last.endMs + MIN_OFF_MS) {
      merged[merged.length - 1] = { startMs: last.startMs, endMs: Math.max(last.endMs, off.endMs) };
    } else {
      merged.push(off);
    }
  }
  return merged;
}

/** Walks forward through sorted off intervals: `isOn` must be asked with non-decreasing times. */
export class PowerCursor {
  private i = 0;
  constructor(private readonly off: readonly Interval[]) {}

  isOn(timeMs: number): boolean {
    let current = this.off[this.i];
    while (current !== undefined && current.endMs <= timeMs) current = this.off[++this.i];
    return current === undefined || timeMs < current.startMs;
  }
}
