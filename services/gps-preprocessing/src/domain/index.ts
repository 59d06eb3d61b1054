export { EARTH_RADIUS_M, haversineDistanceM } from '@polluscope/common/domain';
export * from './cleaning/gps-point.js';
export * from './cleaning/validate-gps-record.js';
export * from './cleaning/clean-gps-points.js';
export * from './cleaning/step-speed.js';
export * from './raster/raster-grid.js';
export * from './raster/hilbert.js';
export * from './raster/rasterise-points.js';
