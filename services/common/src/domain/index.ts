export * from './labels.js';
export * from './geo/haversine-distance.js';
