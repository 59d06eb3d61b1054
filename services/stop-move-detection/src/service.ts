import { join } from 'node:path';
import { Counter } from 'prom-client';
import { DEFAULT_MODELS_DIR, watchModelFile, type ServiceDefinition } from '@polluscope/common';
import { parseTransportModel } from './domain/index.js';
import { createStopMoveHandler } from './handler.js';

export const stopMoveDetection: ServiceDefinition = {
  name: 'stop-move-detection',
  extraEnv: ['MODEL_PATH'],
  createHandler: ({ config, logger, metrics }) => {
    const model = watchModelFile(config.extra.MODEL_PATH ?? join(DEFAULT_MODELS_DIR, 'transport-model.json'), parseTransportModel, logger);
    const rejected = new Counter({
      name: 'polluscope_gps_points_out_of_order_total',
      help: 'Points not later than one already processed for the participant (not used for detection)',
      registers: [metrics.registry],
    });
    return createStopMoveHandler({
      allowedLatenessMs: config.allowedLatenessMs,
      idleTimeoutMs: config.idleTimeoutMs,
      transportModel: () => model.current(),
      onRejected: (count) => rejected.inc(count),
    });
  },
};
