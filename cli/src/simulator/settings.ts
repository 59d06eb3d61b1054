/**
 * Optional realism settings of the simulator (docs/simulator.md, "Settings"): kit bias, sensor
 * lag, day-to-day outdoor background, summer, road types and RER/Transilien. Every setting is off
 * (null) by default, and a run without settings gives the bytes it gave before they existed
 * (default-output.test.ts): the shipped models, the demo and the integration tests depend on them.
 */
import type { ValueRange } from './environments.js';
import type { ModeMotion } from './speeds.js';

/** A per-kit multiplicative gain per pollutant (calibration error of low-cost sensors). */
export interface KitBiasParams {
  /** Gain drawn once per kit and pollutant (PM1, PM2.5 and PM10 share one optical sensor, one gain). */
  readonly gain: ValueRange;
}

/** The kit's readings follow the air with a first-order lag (sensor response, sampling lines). */
export interface SensorLagParams {
  /** Time constant drawn once per kit, minutes: 63 % of a step after this long. */
  readonly timeConstantMin: ValueRange;
}

/** Outdoor background that changes from day to day (weather), shared by everyone on a date. */
export interface DailyBackgroundParams {
  /** Std of the day's log factor per pollutant. */
  readonly logStd: { readonly pm: number; readonly no2: number; readonly bc: number };
  /** Correlation of the pollutants' daily factors (stagnant days raise them together). */
  readonly correlation: number;
  /** Exponent of the factor per exposure: how much of the outdoor change reaches the place. */
  readonly exposureWeight: { readonly indoor: number; readonly outdoor: number; readonly vehicle: number; readonly underground: number };
}

/** Summer: outdoor levels, warm rooms with open windows, daylight evenings, holidays. */
export interface SummerParams {
  /** Outdoor pollutant level factor against winter (applied with the exposure weights). */
  readonly outdoorFactor: { readonly pm: number; readonly no2: number; readonly bc: number };
  /** Indoor set point range, °C (no heating). */
  readonly indoorTemperatureC: ValueRange;
  /** Share of outdoor air in indoor temperature and humidity (windows open). */
  readonly indoorOutdoorMix: number;
  /** Probability per day of airing the home. */
  readonly windowOpenShare: number;
  /** Probability of an evening outing on a working day, and the latest end of the day's outings (local minutes). */
  readonly eveningOutingShare: number;
  readonly latestOutingMin: number;
  /** Share of working days spent on holiday (planned as a weekend day). */
  readonly holidayShare: number;
}

/** Car trips on the ring road or a motorway, buses in traffic. */
export interface RoadParams {
  /** Car trips longer than this take a fast road between two street legs, metres. */
  readonly minFastRoadTripM: number;
  /** Length of each street leg at either end of a fast-road trip, metres. */
  readonly streetLegM: ValueRange;
  /** Probability that the fast road is congested at peak hours (07–10, 16:30–19:30 local) and off-peak. */
  readonly congestedPeakShare: number;
  readonly congestedOffPeakShare: number;
  readonly ringRoad: { readonly free: ModeMotion; readonly congested: ModeMotion };
  readonly motorway: { readonly free: ModeMotion; readonly congested: ModeMotion };
  /** Buses in Paris traffic: lower speeds, more halts. */
  readonly bus: ModeMotion;
}

/** RER and Transilien lines beside the Métro. All rail trips are labelled Train. */
export interface RailParams {
  /** Share of Métro commuters living at least `minRerCommuteM` from the office who take the RER. */
  readonly rerShare: number;
  readonly minRerCommuteM: number;
  /** Share of suburban train commuters riding the RER (through Paris, underground) instead of a Transilien to a terminus. */
  readonly suburbanRerShare: number;
  /** The RER underground in Paris (no GPS, Métro air), on the surface outside, and the Transilien. */
  readonly rerUnderground: ModeMotion;
  readonly rerSurface: ModeMotion;
  readonly transilien: ModeMotion;
}

export interface SimulatorSettings {
  readonly kitBias: KitBiasParams | null;
  readonly sensorLag: SensorLagParams | null;
  readonly dailyBackground: DailyBackgroundParams | null;
  readonly summer: SummerParams | null;
  readonly roads: RoadParams | null;
  readonly rail: RailParams | null;
}

/** No setting: the simulator as it was. */
export const noSimulatorSettings: SimulatorSettings = Object.freeze({
  kitBias: null,
  sensorLag: null,
  dailyBackground: null,
  summer: null,
  roads: null,
  rail: null,
});

/** The values a setting takes when switched on (docs/simulator.md gives the source of each). */
export const defaultSettingValues: { readonly [K in keyof SimulatorSettings]: NonNullable<SimulatorSettings[K]> } = Object.freeze({
  kitBias: { gain: [0.7, 1.3] as const },
  sensorLag: { timeConstantMin: [1, 2] as const },
  dailyBackground: {
    logStd: { pm: 0.45, no2: 0.3, bc: 0.4 },
    correlation: 0.6,
    exposureWeight: { indoor: 0.6, outdoor: 1, vehicle: 0.9, underground: 0.5 },
  },
  summer: {
    outdoorFactor: { pm: 0.8, no2: 0.65, bc: 0.6 },
    indoorTemperatureC: [23, 27] as const,
    indoorOutdoorMix: 0.25,
    windowOpenShare: 0.8,
    eveningOutingShare: 0.5,
    latestOutingMin: 23 * 60 + 30,
    holidayShare: 0.25,
  },
  roads: {
    minFastRoadTripM: 6000,
    streetLegM: [800, 2500] as const,
    congestedPeakShare: 0.6,
    congestedOffPeakShare: 0.15,
    ringRoad: {
      free: { speedMps: [13, 19], speedJitter: 0.12, meanHaltIntervalS: 0, haltS: [0, 0] },
      congested: { speedMps: [3, 8], speedJitter: 0.45, meanHaltIntervalS: 60, haltS: [10, 40] },
    },
    motorway: {
      free: { speedMps: [25, 35], speedJitter: 0.08, meanHaltIntervalS: 0, haltS: [0, 0] },
      congested: { speedMps: [6, 14], speedJitter: 0.4, meanHaltIntervalS: 120, haltS: [10, 40] },
    },
    bus: { speedMps: [2.5, 4.5], speedJitter: 0.35, meanHaltIntervalS: 60, haltS: [15, 60] },
  },
  rail: {
    rerShare: 0.4,
    minRerCommuteM: 5000,
    suburbanRerShare: 0.5,
    rerUnderground: { speedMps: [8, 12], speedJitter: 0.2, meanHaltIntervalS: 110, haltS: [30, 60] },
    rerSurface: { speedMps: [12, 18], speedJitter: 0.15, meanHaltIntervalS: 160, haltS: [30, 60] },
    transilien: { speedMps: [13, 20], speedJitter: 0.15, meanHaltIntervalS: 200, haltS: [30, 60] },
  },
});

/** Names of the settings on the command line, each switching on its `defaultSettingValues`. */
export const SETTING_NAMES = ['kit-bias', 'sensor-lag', 'daily-background', 'summer', 'roads', 'rail'] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

const KEY_OF: Readonly<Record<SettingName, keyof SimulatorSettings>> = Object.freeze({
  'kit-bias': 'kitBias',
  'sensor-lag': 'sensorLag',
  'daily-background': 'dailyBackground',
  summer: 'summer',
  roads: 'roads',
  rail: 'rail',
});

/**
 * The settings switched on by name, with their default values; throws a RangeError on an unknown name.
 *
 * @example settingsFromNames(['kit-bias', 'summer']).kitBias // { gain: [0.7, 1.3] }
 */
export function settingsFromNames(names: readonly string[]): SimulatorSettings {
  const settings: Record<keyof SimulatorSettings, unknown> = { ...noSimulatorSettings };
  for (const name of names) {
    const key = KEY_OF[name as SettingName];
    if (key === undefined) throw new RangeError(`unknown setting "${name}"; known: ${SETTING_NAMES.join(', ')}`);
    settings[key] = defaultSettingValues[key];
  }
  return settings as unknown as SimulatorSettings;
}

/** Paris inside the boulevard périphérique (bounding box): where the RER runs underground. */
export const PARIS_INTRA_MUROS = Object.freeze({ latMin: 48.816, latMax: 48.902, lonMin: 2.225, lonMax: 2.47 });

export function insideParis(p: { readonly lat: number; readonly lon: number }): boolean {
  const b = PARIS_INTRA_MUROS;
  return p.lat >= b.latMin && p.lat <= b.latMax && p.lon >= b.lonMin && p.lon <= b.lonMax;
}
