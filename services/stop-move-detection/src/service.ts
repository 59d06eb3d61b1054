import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { Counter } from 'prom-client';
import { defineService, DEFAULT_MODELS_DIR, PipelineError, watchModelFile } from '@polluscope/common';
import { defaultStayPointParams, parseTransportModel } from './domain/index.js';
import { createStopMoveHandler } from './handler.js';

const d = defaultStayPointParams;

export const stopMoveDetection = defineService({
  name: 'stop-move-detection',
  // The stay-point detector's parameters (DESIGN.md §5.4), one setting each.
  settings: Type.Object({
    MODEL_PATH: Type.Optional(Type.String({ minLength: 1, description: 'transport model; default models/transport-model.json' })),
    STOP_MAX_DIAMETER_M: Type.Number({ default: d.maxDiameterM, exclusiveMinimum: 0, description: 'm' }),
    STOP_MIN_DURATION_S: Type.Number({ default: d.minDurationS, exclusiveMinimum: 0, description: 's' }),
    STOP_MIN_POINTS: Type.Integer({ default: d.minPoints, minimum: 1 }),
    STOP_MAX_GAP_S: Type.Number({ default: d.maxGapS, exclusiveMinimum: 0, description: 's' }),
    MOVE_MAX_GAP_S: Type.Number({ default: d.maxMoveGapS, exclusiveMinimum: 0, description: 's' }),
    STOP_MAX_JITTER_M: Type.Number({ default: d.maxJitterM, minimum: 0, description: 'm' }),
    STOP_MAX_EXCURSION_M: Type.Number({ default: d.maxExcursionM, minimum: 0, description: 'm' }),
    STOP_MAX_EXCURSION_S: Type.Number({ default: d.maxExcursionS, minimum: 0, description: 's' }),
    STOP_MAX_OUTLIER_POINTS: Type.Integer({ default: d.maxOutlierPoints, minimum: 0 }),
  }),
  createHandler: ({ config, logger, metrics }) => {
    const s = config.settings;
    if (s.MOVE_MAX_GAP_S < s.STOP_MAX_GAP_S) {
      throw new PipelineError('CONFIG_INVALID', `MOVE_MAX_GAP_S: must be at least STOP_MAX_GAP_S (${s.STOP_MAX_GAP_S}), got "${s.MOVE_MAX_GAP_S}"`, { setting: 'MOVE_MAX_GAP_S' });
    }
    const model = watchModelFile(s.MODEL_PATH ?? join(DEFAULT_MODELS_DIR, 'transport-model.json'), parseTransportModel, logger);
    const rejected = new Counter({
      name: 'polluscope_gps_points_out_of_order_total',
      help: 'Points not later than one already processed for the participant (not used for detection)',
      registers: [metrics.registry],
    });
    return createStopMoveHandler({
      allowedLatenessMs: config.allowedLatenessMs,
      idleTimeoutMs: config.idleTimeoutMs,
      retentionMs: config.participantRetentionMs,
      stayPoint: {
        maxDiameterM: s.STOP_MAX_DIAMETER_M,
        minDurationS: s.STOP_MIN_DURATION_S,
        minPoints: s.STOP_MIN_POINTS,
        maxGapS: s.STOP_MAX_GAP_S,
        maxMoveGapS: s.MOVE_MAX_GAP_S,
        maxJitterM: s.STOP_MAX_JITTER_M,
        maxExcursionM: s.STOP_MAX_EXCURSION_M,
        maxExcursionS: s.STOP_MAX_EXCURSION_S,
        maxOutlierPoints: s.STOP_MAX_OUTLIER_POINTS,
      },
      transportModel: () => model.current(),
      onRejected: (count) => rejected.inc(count),
    });
  },
});
