/**
 * One base error with a code, a cause and context. Every code the pipeline raises is listed here.
 */
export const ERROR_CODES = Object.freeze({
  CONFIG_INVALID: 'a setting is missing or malformed',
  SCHEMA_NOT_FOUND: 'a schema file under schemas/ is missing',
  DECODE_FAILED: 'a record could not be decoded with the registry',
  INVALID_RECORD: 'a decoded record breaks a rule of the pipeline',
  REGISTRY_UNAVAILABLE: 'the schema registry did not answer',
  MODEL_INVALID: 'a model file could not be loaded',
} as const);

export type ErrorCode = keyof typeof ERROR_CODES;

export class PipelineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly context: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PipelineError';
  }
}

/** Poison records go to the dead-letter topic; everything else is retried. */
export function isPoison(err: unknown): boolean {
  return err instanceof PipelineError && (err.code === 'DECODE_FAILED' || err.code === 'INVALID_RECORD');
}
