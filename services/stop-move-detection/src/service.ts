import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Counter } from 'prom-client';
import { defineService, DEFAULT_MODELS_DIR, PipelineError, watchModelFile } from '@polluscope/common';
import { defaultStayPointParams, parseTransportModel, type StayPointParams } from './domain/index.js';
import { createStopMoveHandler, minParticipantRetentionMs } from './handler.js';

const d = defaultStayPointParams;

const SETTINGS = Type.Object({
    MODEL_PATH: Type.Optional(Type.String({ minLength: 1, description: 'transport model; default models/transport-model.json' })),
    STOP_MAX_DIAMETER_M: Type.Number({ default: d.maxDiameterM, exclusiveMinimum: 0, description: 'm' }),
    STOP_MIN_DURATION_S: Type.Number({ default: d.minDurationS, exclusiveMinimum: 0, description: 's' }),
    STOP_MIN_POINTS: Type.Integer({ default: d.minPoints, minimum: 1 }),
    STOP_MAX_GAP_S: Type.Number({ default: d.maxGapS, exclusiveMinimum: 0, description: 's' }),
    MOVE_MAX_GAP_S: Type.Number({ default: d.maxMoveGapS, exclusiveMinimum: 0, description: 's' }),
    STOP_MAX_STOP_GAP_S: Type.Number({ default: d.maxStopGapS, exclusiveMinimum: 0, description: 's' }),
    STOP_MAX_JITTER_M: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'm; default STOP_MAX_DIAMETER_M' })),
    STOP_MAX_EXCURSION_M: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'm; default 2 × STOP_MAX_DIAMETER_M' })),
    STOP_MAX_EXCURSION_S: Type.Number({ default: d.maxExcursionS, minimum: 0, description: 's' }),
    STOP_MAX_OUTLIER_POINTS: Type.Integer({ default: d.maxOutlierPoints, minimum: 0 }),
    MOVE_LEG_SPEED_MPS: Type.Number({ default: d.legSpeedMps, exclusiveMinimum: 0, description: 'm/s' }),
    MOVE_MIN_LEG_DURATION_S: Type.Number({ default: d.minLegDurationS, minimum: 0, description: 's' }),
});

/**
 * The detector's parameters and the participant retention from the settings, checked: the gap
 * limits' order, and a retention long enough for a stop to span a night without fix
 * ({@link minParticipantRetentionMs}; the default when PARTICIPANT_RETENTION_MS is unset).
 */
export function stopMoveParams(s: Static<typeof SETTINGS>, participantRetentionMs: number | undefined): { stayPoint: StayPointParams; retentionMs: number } {
  if (s.MOVE_MAX_GAP_S < s.STOP_MAX_GAP_S) {
    throw new PipelineError('CONFIG_INVALID', `MOVE_MAX_GAP_S: must be at least STOP_MAX_GAP_S (${s.STOP_MAX_GAP_S}), got "${s.MOVE_MAX_GAP_S}"`, { setting: 'MOVE_MAX_GAP_S' });
  }
  if (s.STOP_MAX_STOP_GAP_S < s.STOP_MAX_GAP_S) {
    throw new PipelineError('CONFIG_INVALID', `STOP_MAX_STOP_GAP_S: must be at least STOP_MAX_GAP_S (${s.STOP_MAX_GAP_S}), got "${s.STOP_MAX_STOP_GAP_S}"`, { setting: 'STOP_MAX_STOP_GAP_S' });
  }
  const minRetentionMs = minParticipantRetentionMs(s.STOP_MAX_STOP_GAP_S, s.MOVE_MAX_GAP_S);
  if (participantRetentionMs !== undefined && participantRetentionMs < minRetentionMs) {
    throw new PipelineError(
      'CONFIG_INVALID',
      `PARTICIPANT_RETENTION_MS: must be at least ${minRetentionMs} (the longer of STOP_MAX_STOP_GAP_S and MOVE_MAX_GAP_S, plus 1 h) for stop-move-detection, got "${participantRetentionMs}"`,
      { setting: 'PARTICIPANT_RETENTION_MS' },
    );
  }
  return {
    retentionMs: participantRetentionMs ?? minRetentionMs,
    stayPoint: {
      maxDiameterM: s.STOP_MAX_DIAMETER_M,
      minDurationS: s.STOP_MIN_DURATION_S,
      minPoints: s.STOP_MIN_POINTS,
      maxGapS: s.STOP_MAX_GAP_S,
      maxMoveGapS: s.MOVE_MAX_GAP_S,
      maxStopGapS: s.STOP_MAX_STOP_GAP_S,
      maxJitterM: s.STOP_MAX_JITTER_M,
      maxExcursionM: s.STOP_MAX_EXCURSION_M,
      maxExcursionS: s.STOP_MAX_EXCURSION_S,
      maxOutlierPoints: s.STOP_MAX_OUTLIER_POINTS,
      legSpeedMps: s.MOVE_LEG_SPEED_MPS,
      minLegDurationS: s.MOVE_MIN_LEG_DURATION_S,
    },
  };
}

export const stopMoveDetection = defineService({
  name: 'stop-move-detection',
  // The stay-point detector's parameters (docs/design.md §5.4), one setting each.
  settings: SETTINGS,
  createHandler: ({ config, logger, metrics }) => {
    const s = config.settings;
    const { stayPoint, retentionMs } = stopMoveParams(s, config.participantRetentionMs);
    const model = watchModelFile(s.MODEL_PATH ?? join(DEFAULT_MODELS_DIR, 'transport-model.json'), parseTransportModel, logger);
    const rejected = new Counter({
      name: 'polluscope_gps_points_out_of_order_total',
      help: 'Points not later than one already processed for the participant (not used for detection)',
      registers: [metrics.registry],
    });
    return createStopMoveHandler({
      allowedLatenessMs: config.allowedLatenessMs,
      idleTimeoutMs: config.idleTimeoutMs,
      retentionMs,
      stayPoint,
      transportModel: () => model.current(),
      onRejected: (count) => rejected.inc(count),
    });
  },
});
