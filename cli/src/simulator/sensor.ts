/**
 * Clean sensor readings, minute by minute: a level per variable drawn for each stay or trip from
 * its micro-environment's range, autocorrelated noise on top (AR(1), not white noise), events,
 * and outdoor temperature and humidity following the season and the hour.
 */
import { MICRO_ENVIRONMENTS, type SensorVariable, type ValueRange } from './environments.js';
import { EVENT_CEILINGS, type PlannedEvent } from './events.js';
import { feltFactor, type ExposureWeights, type PollutantFactors } from './daily-background.js';
import { ar1Step, type Random } from './random.js';
import type { SummerParams } from './settings.js';
import type { TimelineSegment } from './timeline.js';

export interface SensorModelParams {
  /** Where in its range (0 = min, 1 = max, log scale) a segment's level is drawn. */
  readonly levelQuantiles: readonly [low: number, high: number];
  /** Std of the multiplicative log-noise on PM, NO2 and BC. */
  readonly logNoiseStd: number;
  /** Minute-to-minute autocorrelation of the noise. */
  readonly noisePhi: number;
  /** Std of temperature (°C) and humidity (% RH) noise. */
  readonly temperatureNoiseC: number;
  readonly humidityNoisePct: number;
}

export const defaultSensorModelParams: SensorModelParams = Object.freeze({
  levelQuantiles: [0.15, 0.6] as const,
  logNoiseStd: 0.25,
  noisePhi: 0.85,
  temperatureNoiseC: 0.6,
  humidityNoisePct: 3,
});

/** Paris monthly means (Météo-France 1991–2020 normals, rounded): air temperature °C, RH %. */
const MONTHLY_TEMPERATURE_C = [5.0, 5.7, 8.9, 11.6, 15.4, 18.6, 20.8, 20.6, 17.1, 13.1, 8.5, 5.6] as const;
const MONTHLY_HUMIDITY_PCT = [86, 81, 76, 71, 72, 70, 68, 71, 76, 83, 87, 88] as const;

/** The optional settings that change the air (settings.ts); null fields are off. */
export interface SensorAirSettings {
  /** Outdoor background factors per day index (`dailyBackground`). */
  readonly daily: readonly PollutantFactors[] | null;
  readonly summer: SummerParams | null;
  /** How much of an outdoor factor reaches each kind of place. */
  readonly exposureWeight: ExposureWeights;
}

/** One minute's clean values, in the order of SENSOR_VARIABLES. */
export type SensorValues = Record<SensorVariable, number>;

const clamp = (x: number, r: ValueRange): number => Math.min(r[1], Math.max(r[0], x));
const logLevel = (r: ValueRange, u: number): number => r[0] * Math.pow(r[1] / r[0], u);
const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Generates clean values; call `valuesAt` with non-decreasing minutes. */
export class CleanSensorModel {
  private segment: TimelineSegment | null = null;
  private uPm = 0;
  private uNo2 = 0;
  private uBc = 0;
  private indoorT = 21;
  private indoorRh = 45;
  private zPm = 0;
  private zNo2 = 0;
  private zBc = 0;
  private zT = 0;
  private zRh = 0;
  private zRatio = 0;
  private dayKey = -1;
  private dayAnomalyC = 0;
  private eventIndex = 0;

  constructor(
    private readonly params: SensorModelParams,
    private readonly events: readonly PlannedEvent[],
    private readonly rng: Random,
    private readonly air: SensorAirSettings | null = null,
  ) {}

  private enter(segment: TimelineSegment): void {
    const [lo, hi] = this.params.levelQuantiles;
    // Traffic drives PM, NO2 and BC together: share part of the draw.
    const common = this.rng.uniform(lo, hi);
    this.uPm = 0.5 * common + 0.5 * this.rng.uniform(lo, hi);
    this.uNo2 = 0.5 * common + 0.5 * this.rng.uniform(lo, hi);
    this.uBc = 0.5 * common + 0.5 * this.rng.uniform(lo, hi);
    const summer = this.air?.summer ?? null;
    this.indoorT = summer === null ? this.rng.uniform(19.5, 23.5) : this.rng.uniform(...summer.indoorTemperatureC);
    this.indoorRh = this.rng.uniform(35, 55);
    this.segment = segment;
  }

  /**
   * Clean values for the minute starting at `timeMs` in `segment`; `localMonth` (1–12) and
   * `localHour` drive the outdoor weather.
   */
  valuesAt(segment: TimelineSegment, timeMs: number, localMonth: number, localHour: number, dayIndex: number): SensorValues {
    if (segment !== this.segment) this.enter(segment);
    if (dayIndex !== this.dayKey) {
      this.dayKey = dayIndex;
      this.dayAnomalyC = 2.5 * this.rng.normal();
    }
    const p = this.params;
    const env = MICRO_ENVIRONMENTS[segment.air ?? segment.label];
    const r = env.ranges;
    this.zPm = ar1Step(this.zPm, p.noisePhi, this.rng);
    this.zNo2 = ar1Step(this.zNo2, p.noisePhi, this.rng);
    this.zBc = ar1Step(this.zBc, p.noisePhi, this.rng);
    this.zT = ar1Step(this.zT, p.noisePhi, this.rng);
    this.zRh = ar1Step(this.zRh, p.noisePhi, this.rng);
    this.zRatio = ar1Step(this.zRatio, 0.95, this.rng);

    let pmFactor = 1;
    let bcFactor = 1;
    let no2Scale = 1;
    let no2Add = 0;
    let tAdd = 0;
    let rhAdd = 0;
    while (this.eventIndex < this.events.length && (this.events[this.eventIndex] as PlannedEvent).endMs <= timeMs) this.eventIndex++;
    for (let i = this.eventIndex; i < this.events.length; i++) {
      const e = this.events[i] as PlannedEvent;
      if (e.startMs > timeMs) break;
      if (e.endMs <= timeMs) continue;
      pmFactor *= e.pmFactor;
      bcFactor *= e.bcFactor;
      no2Add += e.no2AddPpb;
      tAdd += e.temperatureAddC;
      rhAdd += e.humidityAddPct;
    }

    const sd = p.logNoiseStd;
    // The background stays in the micro-environment's range; events act on top of it, up to the
    // instruments' ceilings, so real peaks (cooking, tunnels) leave the range as they do in life.
    const pm25Background = clamp(logLevel(r.pm25, this.uPm) * Math.exp(sd * this.zPm), r.pm25);
    const ratio01 = 0.5 + 0.5 * Math.tanh(this.zRatio);
    const pm1Background = clamp(pm25Background * (env.pm1Ratio[0] + (env.pm1Ratio[1] - env.pm1Ratio[0]) * ratio01), r.pm1);
    const pm10Background = clamp(pm25Background * (env.pm10Ratio[0] + (env.pm10Ratio[1] - env.pm10Ratio[0]) * (1 - ratio01)), r.pm10);
    if (this.air !== null) {
      // Outdoor air of the day and season, felt in proportion to the place's exposure; may leave the range.
      const outdoor = this.outdoorFactors(dayIndex);
      const w = this.air.exposureWeight[env.exposure];
      pmFactor *= feltFactor(outdoor.pm, w);
      bcFactor *= feltFactor(outdoor.bc, w);
      no2Scale = feltFactor(outdoor.no2, w);
    }
    const pm25 = Math.min(EVENT_CEILINGS.pm, pm25Background * pmFactor);
    const pm1 = Math.min(EVENT_CEILINGS.pm, pm1Background * pmFactor);
    const pm10 = Math.min(EVENT_CEILINGS.pm, pm10Background * pmFactor);
    const no2 = Math.min(EVENT_CEILINGS.no2Ppb, clamp(logLevel(r.no2, this.uNo2) * Math.exp(sd * this.zNo2), r.no2) * no2Scale + no2Add);
    const bc = Math.min(EVENT_CEILINGS.bc, clamp(logLevel(r.bc, this.uBc) * Math.exp(sd * this.zBc), r.bc) * bcFactor);

    const diurnal = Math.cos((2 * Math.PI * (localHour - 15)) / 24); // warmest at 15:00
    const month = localMonth - 1;
    const outdoorT = (MONTHLY_TEMPERATURE_C[month] ?? 12) + this.dayAnomalyC + 4 * diurnal;
    const outdoorRh = (MONTHLY_HUMIDITY_PCT[month] ?? 78) - 12 * diurnal;
    const indoorMix = this.air?.summer?.indoorOutdoorMix ?? 0.05;
    const mix = env.exposure === 'outdoor' ? 1 : env.exposure === 'vehicle' ? 0.4 : env.exposure === 'underground' ? 0.3 : indoorMix;
    // The métro keeps its own warmth all year; cabins and rooms are heated or cooled.
    const insideT = env.exposure === 'underground' ? this.indoorT + 3 : this.indoorT;
    const temperature = clamp((1 - mix) * insideT + mix * outdoorT + p.temperatureNoiseC * this.zT + tAdd, r.temperature);
    const humidity = clamp((1 - mix) * this.indoorRh + mix * outdoorRh + p.humidityNoisePct * this.zRh + rhAdd, r.humidity);

    return {
      pm1: round(pm1, 1),
      pm25: round(pm25, 1),
      pm10: round(pm10, 1),
      no2: round(no2, 1),
      bc: Math.round(bc),
      temperature: round(temperature, 1),
      humidity: round(humidity, 1),
    };
  }

  private outdoorFactors(dayIndex: number): PollutantFactors {
    const day = this.air?.daily?.[dayIndex] ?? { pm: 1, no2: 1, bc: 1 };
    const season = this.air?.summer?.outdoorFactor ?? { pm: 1, no2: 1, bc: 1 };
    return { pm: day.pm * season.pm, no2: day.no2 * season.no2, bc: day.bc * season.bc };
  }
}
