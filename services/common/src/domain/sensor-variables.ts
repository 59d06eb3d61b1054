/**
 * The seven measurements of a Polluscope sensor kit (docs/design.md §1, §3.1), in the column order of
 * the raw database: PM1, PM2.5, PM10 (µg/m³), NO2 (ppb), black carbon (ng/m³), temperature (°C),
 * relative humidity (%).
 */
export const SENSOR_VARIABLES = ['pm1', 'pm25', 'pm10', 'no2', 'bc', 'temperature', 'humidity'] as const;

export type SensorVariable = (typeof SENSOR_VARIABLES)[number];
