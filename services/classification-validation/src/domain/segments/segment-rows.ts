/** 5-minute segments of a participant's cleaned minutes (docs/design.md §5.2). */

/** The seven views, one per measured variable, in model order. */
export const VIEWS = ['temperature', 'humidity', 'no2', 'bc', 'pm1', 'pm25', 'pm10'] as const;

export type View = (typeof VIEWS)[number];

/** A cleaned minute as the classifier reads it (a `sensor.clean` row or a CSV row). */
export interface MeasuredMinute {
  readonly timeMs: number;
  readonly pm1: number | null;
  readonly pm25: number | null;
  readonly pm10: number | null;
  readonly no2: number | null;
  readonly bc: number | null;
  readonly temperature: number | null;
  readonly humidity: number | null;
  /** Declared activity at this minute, raw (normalised later). */
  readonly activity: string | null;
}

export interface SegmentParams {
  /** Segment length, ms; segments start at multiples of it in epoch time. */
  readonly segmentMs: number;
}

export const defaultSegmentParams: SegmentParams = Object.freeze({ segmentMs: 5 * 60_000 });

export interface Segment<M extends MeasuredMinute = MeasuredMinute> {
  readonly startMs: number;
  /** Exclusive end, ms. */
  readonly endMs: number;
  /** The minutes in [startMs, endMs), ascending. */
  readonly rows: readonly M[];
}

/** Start of the segment holding `timeMs`. @example segmentStartMs(Date.UTC(2024,0,1,8,7)) // 08:05 */
export function segmentStartMs(timeMs: number, params: SegmentParams = defaultSegmentParams): number {
  return Math.floor(timeMs / params.segmentMs) * params.segmentMs;
}

/**
 * Groups one participant's minutes into segments aligned on event-time boundaries (segments
 * with no rows are absent).
 *
 * @example segmentRows(rows) // [{ startMs: 08:00, endMs: 08:05, rows: [...] }, ...]
 */
export function segmentRows<M extends MeasuredMinute>(rows: readonly M[], params: SegmentParams = defaultSegmentParams): Segment<M>[] {
  const sorted = [...rows].sort((a, b) => a.timeMs - b.timeMs);
  const segments: Segment<M>[] = [];
  let current: M[] = [];
  let start = Number.NaN;
  for (const row of sorted) {
    const s = segmentStartMs(row.timeMs, params);
    if (s !== start) {
      if (current.length > 0) segments.push({ startMs: start, endMs: start + params.segmentMs, rows: current });
      current = [];
      start = s;
    }
    current.push(row);
  }
  if (current.length > 0) segments.push({ startMs: start, endMs: start + params.segmentMs, rows: current });
  return segments;
}

/**
 * A segment is ready to classify once the participant's watermark reaches its end.
 *
 * @example isSegmentReady(segment.startMs, watermarkMs)
 */
export function isSegmentReady(startMs: number, watermarkMs: number, params: SegmentParams = defaultSegmentParams): boolean {
  return watermarkMs >= startMs + params.segmentMs;
}
