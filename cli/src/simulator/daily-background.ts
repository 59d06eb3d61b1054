/**
 * Day-to-day outdoor background (settings.ts, `dailyBackground`): one multiplicative factor per
 * pollutant and date, shared by every participant (the weather is the city's), and how much of an
 * outdoor factor reaches each kind of place.
 */
import type { Exposure } from './environments.js';
import type { KitGains } from './kit-response.js';
import type { DailyBackgroundParams } from './settings.js';
import { deriveSeed, Random } from './random.js';

/** Per-pollutant factors of one day (or season): PM (all sizes), NO2, BC. */
export type PollutantFactors = KitGains;

/** A seed namespace for the dates' draws, apart from every participant's streams. */
const DAILY_STREAM = 0x0da1;

/**
 * The factors of days 0…`days − 1` of a run: log-normal with the given std, correlated across
 * pollutants through a common draw, the same for every participant.
 *
 * @example dailyBackgroundFactors(p, 42, 3)[1].no2 // e.g. 1.21
 */
export function dailyBackgroundFactors(params: DailyBackgroundParams, seed: number, days: number): PollutantFactors[] {
  const shared = Math.sqrt(params.correlation);
  const own = Math.sqrt(1 - params.correlation);
  const out: PollutantFactors[] = [];
  for (let d = 0; d < days; d++) {
    const rng = new Random(deriveSeed(seed, DAILY_STREAM, d));
    const common = rng.normal();
    const draw = (std: number) => Math.exp(std * (shared * common + own * rng.normal()));
    out.push({ pm: draw(params.logStd.pm), no2: draw(params.logStd.no2), bc: draw(params.logStd.bc) });
  }
  return out;
}

/**
 * The share of an outdoor factor felt at a place: `factor ^ weight` (weight 1 outdoors, less
 * indoors where only infiltrated air changes).
 *
 * @example feltFactor(2, 0.5) // 1.414
 */
export function feltFactor(factor: number, weight: number): number {
  return Math.pow(factor, weight);
}

export type ExposureWeights = Readonly<Record<Exposure, number>>;
