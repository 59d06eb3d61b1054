/**
 * One base error with a code, a cause and context. Every code the pipeline raises is listed here,
 * with whether it can be retried (docs/design.md §4, "Error classes"): the runner decides from the
 * code, never from the message text.
 *
 * - permanent: the record itself is at fault and will fail the same way every time; it goes to
 *   the dead-letter topic at once;
 * - transient: the infrastructure is (registry, broker, database unreachable, timeouts, 5xx);
 *   retried with backoff while `/health` reports why;
 * - `HANDLER_FAILED`: a handler threw on a batch; retried a few times, then the record it throws
 *   on is isolated and dead-lettered with reason `handler-error`.
 */
export const ERROR_CODES = Object.freeze({
  CONFIG_INVALID: { description: 'a setting is missing or malformed', retryable: false },
  SCHEMA_NOT_FOUND: { description: 'a schema file under schemas/ is missing', retryable: false },
  DECODE_FAILED: { description: 'a record could not be decoded with its schema', retryable: false },
  SCHEMA_UNKNOWN: { description: 'a record names a schema id the registry does not know', retryable: false },
  SCHEMA_MISMATCH: { description: "the consumer's reader schema cannot read the record's writer schema (e.g. a required field is missing)", retryable: false },
  INVALID_RECORD: { description: 'a decoded record breaks a rule of the pipeline', retryable: false },
  REGISTRY_UNAVAILABLE: { description: 'the schema registry did not answer, or answered with an error', retryable: true },
  HANDLER_FAILED: { description: 'a handler threw while processing records', retryable: true },
  MEMBERSHIP_UNCONFIRMED: { description: 'the consumer could not prove it still owns its partitions (paused past its session?): it rejoins before producing', retryable: true },
  MODEL_INVALID: { description: 'a model file could not be loaded', retryable: false },
} as const satisfies Record<string, { description: string; retryable: boolean }>);

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

  /** True when trying again may succeed (the infrastructure's fault, or a handler's); false for a bad record. */
  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }
}

/** Codes of a record that is at fault itself: it goes to the dead-letter topic at once. */
const RECORD_FAULTS: ReadonlySet<ErrorCode> = new Set(['DECODE_FAILED', 'SCHEMA_UNKNOWN', 'SCHEMA_MISMATCH', 'INVALID_RECORD']);

/** Poison records go to the dead-letter topic at once; everything else is retried. */
export function isPoison(err: unknown): err is PipelineError {
  return err instanceof PipelineError && RECORD_FAULTS.has(err.code);
}

/** The `reason` label of the dead-letter metric and header for a poison record's code (and message). */
export function deadLetterKind(code: ErrorCode, message = ''): string {
  switch (code) {
    case 'DECODE_FAILED':
      return 'decode';
    case 'SCHEMA_UNKNOWN':
      return 'unknown-schema';
    case 'SCHEMA_MISMATCH':
      return 'schema-mismatch';
    case 'INVALID_RECORD':
      // Time sanity's own reason (docs/design.md §4): stamped ahead of the processing clock.
      return message.startsWith('future:') ? 'future' : 'invalid';
    default:
      return code.toLowerCase().replaceAll('_', '-');
  }
}
