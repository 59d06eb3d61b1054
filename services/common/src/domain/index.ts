export * from './labels.js';
export * from './geo/haversine-distance.js';
export * from './sensor-variables.js';
export * from './event-time.js';
export * from './seeded-random.js';
export * from './mean-of-present.js';
export * from './review/review-candidate.js';
export * from './review/select-review-flags.js';
