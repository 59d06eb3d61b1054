import type { ServiceDefinition } from '@polluscope/common';
import { createTimeseriesHandler } from './handler.js';

export const timeseriesPreprocessing: ServiceDefinition = {
  name: 'timeseries-preprocessing',
  createHandler: ({ config }) =>
    createTimeseriesHandler({
      allowedLatenessMs: config.allowedLatenessMs,
      idleTimeoutMs: config.idleTimeoutMs,
      maxFutureMs: config.maxFutureMs,
    }),
};
