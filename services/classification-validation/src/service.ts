import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { defineService, DEFAULT_MODELS_DIR, PipelineError, watchModelFile } from '@polluscope/common';
import { defaultClassifySegmentParams, loadActivityModel, parseBelowConfidence } from './domain/index.js';
import { createClassificationHandler } from './handler.js';

/** RULES_BELOW_CONFIDENCE: a number in 0..1, or `always` to apply the rules whatever the model's confidence. */
function rulesBelowConfidence(text: string | undefined, fallback: number | null): number | null {
  if (text === undefined) return fallback;
  const parsed = parseBelowConfidence(text);
  if (!parsed.ok) throw new PipelineError('CONFIG_INVALID', `RULES_BELOW_CONFIDENCE: ${parsed.reason}`, { setting: 'RULES_BELOW_CONFIDENCE' });
  return parsed.value;
}

const defaults = defaultClassifySegmentParams;

export const classificationValidation = defineService({
  name: 'classification-validation',
  settings: Type.Object({
    MODEL_PATH: Type.Optional(Type.String({ minLength: 1, description: 'activity model; default models/activity-model.json' })),
    REVIEW_MIN_CONFIDENCE: Type.Number({ default: defaults.validation.minConfidence, minimum: 0, maximum: 1, description: 'below it a label is a review candidate' }),
    REVIEW_DECLARATION_RELIABILITY: Type.Number({ default: defaults.validation.declarationReliability, minimum: 0, maximum: 1, description: 'probability that a declaration is right' }),
    RULES_BELOW_CONFIDENCE: Type.Optional(Type.String({ description: 'a number in 0..1, or `always`' })),
    /** Late minutes re-classify a segment emitted up to this long before, ms. */
    SEGMENT_LATE_RETENTION_MS: Type.Integer({ default: 60 * 60_000, minimum: 0, maximum: 86_400_000, description: 'ms' }),
    TIME_ZONE: Type.Optional(Type.String({ minLength: 1, description: "participants' time zone for the time-of-day rules; default Europe/Paris" })),
  }),
  createHandler: ({ config, logger }) => {
    const s = config.settings;
    const path = s.MODEL_PATH ?? join(DEFAULT_MODELS_DIR, 'activity-model.json');
    const model = watchModelFile(path, loadActivityModel, logger);
    const initial = model.current();
    if (initial === null) throw new PipelineError('MODEL_INVALID', `no usable activity model at ${path} (MODEL_PATH)`, { path });
    const rules =
      defaults.rules === null
        ? null
        : {
            ...defaults.rules,
            timeZone: s.TIME_ZONE ?? defaults.rules.timeZone,
            belowConfidence: rulesBelowConfidence(s.RULES_BELOW_CONFIDENCE, defaults.rules.belowConfidence),
          };
    return createClassificationHandler({
      allowedLatenessMs: config.allowedLatenessMs,
      idleTimeoutMs: config.idleTimeoutMs,
      lateRetentionMs: s.SEGMENT_LATE_RETENTION_MS,
      retentionMs: config.participantRetentionMs,
      params: { ...defaults, rules, validation: { minConfidence: s.REVIEW_MIN_CONFIDENCE, declarationReliability: s.REVIEW_DECLARATION_RELIABILITY } },
      model: () => model.current() ?? initial,
    });
  },
});
