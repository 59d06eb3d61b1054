/**
 * What each micro-environment does to the kit's readings: the ONE table of ranges the simulator
 * draws from and the tests check against (docs/simulator.md explains every number).
 * Units: PM in µg/m³, NO2 in ppb (1 ppb ≈ 1.88 µg/m³), BC in ng/m³ (AE51 aethalometer), temperature in °C,
 * humidity in % RH. Every range lies inside the instruments' limits (docs/design.md §5.1), and the
 * background never reaches the cleaner's `high` level (PM 300 µg/m³): only events (events.ts) go
 * beyond a range, and only injected faults beyond the instruments' limits.
 */
import type { CanonicalLabel } from '@polluscope/common/domain';

import { SENSOR_VARIABLES, type SensorVariable } from '@polluscope/common';

export { SENSOR_VARIABLES, type SensorVariable };

/** Closed interval `[min, max]` a clean reading of one variable stays in. */
export type ValueRange = readonly [min: number, max: number];

/** How the air of a place mixes with the outdoor air: drives temperature and humidity. */
export type Exposure = 'indoor' | 'outdoor' | 'vehicle' | 'underground';

export interface MicroEnvironmentProfile {
  readonly exposure: Exposure;
  /** Background readings of each variable stay in these ranges (events and faults excluded). */
  readonly ranges: Readonly<Record<SensorVariable, ValueRange>>;
  /** PM1/PM2.5 and PM10/PM2.5 ratios: coarse dust (métro brakes, rails) raises PM10. */
  readonly pm1Ratio: ValueRange;
  readonly pm10Ratio: ValueRange;
}

interface Row {
  exposure: Exposure;
  pm25: ValueRange;
  no2: ValueRange;
  bc: ValueRange;
  temperature: ValueRange;
  humidity: ValueRange;
  pm10Ratio?: ValueRange;
}

const PM1_RATIO: ValueRange = [0.55, 0.9];
const PM10_RATIO: ValueRange = [1.2, 2.0];
const PM_MAX = 300; // the background's PM ceiling: the cleaner's `high` level

const round1 = (x: number): number => Math.round(x * 10) / 10;

function profile(row: Row): MicroEnvironmentProfile {
  const pm10Ratio = row.pm10Ratio ?? PM10_RATIO;
  const [pmMin, pmMax] = row.pm25;
  return Object.freeze({
    exposure: row.exposure,
    pm1Ratio: PM1_RATIO,
    pm10Ratio,
    ranges: Object.freeze({
      pm1: [round1(pmMin * PM1_RATIO[0]), round1(pmMax * PM1_RATIO[1])] as const,
      pm25: row.pm25,
      pm10: [round1(pmMin * pm10Ratio[0]), Math.min(PM_MAX, round1(pmMax * pm10Ratio[1]))] as const,
      no2: row.no2,
      bc: row.bc,
      temperature: row.temperature,
      humidity: row.humidity,
    }),
  });
}

const INDOOR_T: ValueRange = [15, 29];
const OUTDOOR_T: ValueRange = [-10, 38];
const OUTDOOR_RH: ValueRange = [20, 100];

/**
 * Ranges per canonical micro-environment. PM2.5, NO2 and BC are drawn log-uniformly in the lower
 * part of their range and pushed towards the top only by events (cooking, smoking) and noise.
 */
export const MICRO_ENVIRONMENTS: Readonly<Record<CanonicalLabel, MicroEnvironmentProfile>> = Object.freeze({
  // Home: low background, but cooking lifts PM2.5 past 200 and gas hobs lift NO2.
  Domicile: profile({ exposure: 'indoor', pm25: [2, 250], no2: [2, 64], bc: [100, 6000], temperature: INDOOR_T, humidity: [25, 75] }),
  Bureau: profile({ exposure: 'indoor', pm25: [2, 60], no2: [3, 43], bc: [200, 4000], temperature: [17, 28], humidity: [20, 65] }),
  // Restaurant kitchens: high PM and BC from grilling and frying.
  Restaurant: profile({ exposure: 'indoor', pm25: [5, 200], no2: [4, 64], bc: [300, 8000], temperature: INDOOR_T, humidity: [25, 75] }),
  Magasin: profile({ exposure: 'indoor', pm25: [3, 80], no2: [4, 53], bc: [300, 6000], temperature: INDOOR_T, humidity: [20, 70] }),
  // Stations: open to the tracks and the street, diesel trains and brake dust.
  Gare: profile({ exposure: 'vehicle', pm25: [8, 150], no2: [8, 80], bc: [1000, 15000], temperature: [5, 30], humidity: [25, 90], pm10Ratio: [1.3, 2.2] }),
  Indoor: profile({ exposure: 'indoor', pm25: [2, 100], no2: [2, 48], bc: [100, 5000], temperature: INDOOR_T, humidity: [25, 75] }),
  Cinéma: profile({ exposure: 'indoor', pm25: [1, 50], no2: [2, 32], bc: [100, 3000], temperature: [17, 27], humidity: [25, 65] }),
  // Walking along streets: traffic NO2 and BC.
  Walk: profile({ exposure: 'outdoor', pm25: [3, 90], no2: [8, 96], bc: [500, 20000], temperature: OUTDOOR_T, humidity: OUTDOOR_RH }),
  Running: profile({ exposure: 'outdoor', pm25: [2, 70], no2: [4, 74], bc: [300, 12000], temperature: OUTDOOR_T, humidity: OUTDOOR_RH }),
  Vélo: profile({ exposure: 'outdoor', pm25: [3, 90], no2: [8, 106], bc: [600, 25000], temperature: OUTDOOR_T, humidity: OUTDOOR_RH }),
  // Parks: away from traffic, the cleanest air of the day.
  Parc: profile({ exposure: 'outdoor', pm25: [2, 50], no2: [2, 32], bc: [100, 4000], temperature: OUTDOOR_T, humidity: OUTDOOR_RH }),
  Bus: profile({ exposure: 'vehicle', pm25: [5, 100], no2: [11, 117], bc: [1000, 30000], temperature: [5, 32], humidity: [20, 95] }),
  // Paris métro: PM2.5 and BC several times the street's, coarse PM10 from brakes and rails.
  Métro: profile({ exposure: 'underground', pm25: [15, 250], no2: [5, 80], bc: [2000, 40000], temperature: [8, 35], humidity: [20, 80], pm10Ratio: [1.5, 2.6] }),
  Train: profile({ exposure: 'vehicle', pm25: [8, 150], no2: [5, 69], bc: [800, 20000], temperature: [8, 32], humidity: [20, 85], pm10Ratio: [1.3, 2.2] }),
  // In-cabin air follows the exhaust of the car ahead: the highest NO2 and BC.
  Voiture: profile({ exposure: 'vehicle', pm25: [3, 100], no2: [11, 128], bc: [1000, 35000], temperature: [0, 35], humidity: [15, 90] }),
  Motorcycle: profile({ exposure: 'outdoor', pm25: [3, 100], no2: [11, 128], bc: [1000, 35000], temperature: OUTDOOR_T, humidity: OUTDOOR_RH }),
  // Not simulated as a mode (docs/design.md §6 makes it a label); profile of an electric street vehicle, as the bus.
  Tramway: profile({ exposure: 'vehicle', pm25: [5, 100], no2: [8, 96], bc: [800, 20000], temperature: [5, 32], humidity: [20, 95] }),
});

/** Labels whose minutes are stays (the person is stationary); the others are moves. */
export const STOP_LABELS: ReadonlySet<CanonicalLabel> = new Set<CanonicalLabel>([
  'Domicile', 'Bureau', 'Restaurant', 'Magasin', 'Gare', 'Indoor', 'Cinéma', 'Parc',
]);
