import type { ServiceDefinition } from '@polluscope/common';
import { createPostprocessingHandler } from './handler.js';

export const postprocessing: ServiceDefinition = {
  name: 'postprocessing',
  port: 8003,
  extraEnv: ['WAREHOUSE_URL', 'TIME_ZONE'],
  createHandler: ({ config }) =>
    createPostprocessingHandler({ allowedLatenessMs: config.allowedLatenessMs, idleTimeoutMs: config.idleTimeoutMs }),
};
