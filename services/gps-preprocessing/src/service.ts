import { Counter } from 'prom-client';
import { defineService } from '@polluscope/common';
import { createGpsHandler } from './handler.js';

export const gpsPreprocessing = defineService({
  name: 'gps-preprocessing',
  createHandler: ({ config, metrics }) => {
    const dropped = new Counter({
      name: 'polluscope_gps_points_dropped_total',
      help: 'GPS points removed by cleaning, by reason (duplicate, same-time, too-fast, late)',
      labelNames: ['reason'],
      registers: [metrics.registry],
    });
    return createGpsHandler({
      allowedLatenessMs: config.allowedLatenessMs,
      idleTimeoutMs: config.idleTimeoutMs,
      maxFutureMs: config.maxFutureMs,
      retentionMs: config.participantRetentionMs,
      onDropped: (reason, count) => dropped.inc({ reason }, count),
    });
  },
});
