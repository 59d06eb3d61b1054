export * from './geo/haversine-distance.js';
export * from './trajectory/track-point.js';
export * from './trajectory/stay-point-detector.js';
export * from './trajectory/hilbert-density-detector.js';
export * from './episodes/episode.js';
export * from './episodes/build-episode.js';
export * from './episodes/quantile.js';
