export * as domain from './domain/index.js';
export { createTimeseriesHandler, toSensorCleanRecord } from './handler.js';
export { timeseriesPreprocessing } from './service.js';
