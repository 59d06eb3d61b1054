import { defineService } from '@polluscope/common';
import { createTimeseriesHandler } from './handler.js';

export const timeseriesPreprocessing = defineService({
  name: 'timeseries-preprocessing',
  createHandler: ({ config }) =>
    createTimeseriesHandler({
      allowedLatenessMs: config.allowedLatenessMs,
      idleTimeoutMs: config.idleTimeoutMs,
      maxFutureMs: config.maxFutureMs,
      retentionMs: config.participantRetentionMs,
    }),
});
