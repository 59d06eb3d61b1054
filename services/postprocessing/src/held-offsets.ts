/**
 * The input offsets a participant's timeline state still needs, for the commit rule: per source
 * (`topic:partition`), the smallest offset of a record whose time the state still needs. Only the
 * records that can be that smallest offset are kept: a record whose time is not after that of an
 * earlier record of its source (a growing episode re-sent under its start, a segment re-sent)
 * is needed exactly as long as that earlier record, which has the smaller offset.
 */
export interface HeldOffset {
  readonly timeMs: number;
  readonly offset: number;
}

/** Per source, held records in offset order with strictly increasing times. */
export type HeldOffsets = Map<string, HeldOffset[]>;

/** Holds a record read from `source` (offsets of a source come in increasing order). */
export function holdOffset(held: HeldOffsets, source: string, timeMs: number, offset: number): void {
  let records = held.get(source);
  if (!records) held.set(source, (records = []));
  const last = records[records.length - 1];
  if (last !== undefined && last.timeMs >= timeMs) return;
  records.push({ timeMs, offset });
}

/** Releases the records before `neededMs` (null: the state needs nothing). */
export function releaseOffsetsBefore(held: HeldOffsets, neededMs: number | null): void {
  for (const [source, records] of held) {
    const from = neededMs === null ? records.length : records.findIndex((r) => r.timeMs >= neededMs);
    if (from === -1 || from === records.length) held.delete(source);
    else if (from > 0) records.splice(0, from);
  }
}

/** The oldest offset still held per source. */
export function oldestHeldOffsets(held: HeldOffsets): Map<string, number> {
  const oldest = new Map<string, number>();
  for (const [source, records] of held) if (records[0]) oldest.set(source, records[0].offset);
  return oldest;
}
