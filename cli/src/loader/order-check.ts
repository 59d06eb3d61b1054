/**
 * Before a load: is the file already in time order per participant? Then it is streamed in file
 * order; otherwise the loader sorts it (load-in-time-order.ts). Reads only the participant and
 * time columns (key-scanner.ts), and stops at the first step back in time; a file with quotes or
 * a line longer than the record limit is read with csv-parse instead (slower, same answer).
 */
import { createReadStream } from 'node:fs';
import { InputError } from '../csv-io.js';
import type { RawKind } from './raw-tables.js';
import { KeyScanner } from './key-scanner.js';
import { mapHeader, type HeaderMapping } from './header-aliases.js';
import { DEFAULT_MAX_RECORD_BYTES, isUnreadable, readRecords } from './record-reader.js';
import { ParticipantTimeOrder, type StepBack } from './time-order.js';
import { isRejected, strayQuoteReason, validateRow } from './validate-row.js';

export interface OrderCheck {
  /** The first step back in time, or null when every participant's rows are in time order. */
  readonly firstStepBack: StepBack | null;
  /** How the file was read: `keys` (participant and time only) or `csv` (a full parse, when it has quotes). */
  readonly readAs: 'keys' | 'csv';
}

class FoundStepBack extends Error {}

/** Reads `path` (named `file` in errors) until the first step back in time, if any. */
export async function checkTimeOrder(path: string, file: string, kind: RawKind, maxRecordBytes = DEFAULT_MAX_RECORD_BYTES): Promise<OrderCheck> {
  const order = new ParticipantTimeOrder();
  const sink = (participant: string, timeMs: number, line: number): void => {
    order.add(participant, timeMs, line);
    if (!order.inOrder) throw new FoundStepBack();
  };
  const scanner = new KeyScanner(kind, file, sink, maxRecordBytes);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let needsFullParse = false;
  try {
    for await (const text of stream as AsyncIterable<string>) {
      if (!scanner.push(text)) {
        needsFullParse = true;
        break;
      }
    }
    if (!needsFullParse) scanner.end();
  } catch (err) {
    if (!(err instanceof FoundStepBack)) throw err;
  } finally {
    stream.destroy();
  }
  if (!needsFullParse) return { firstStepBack: order.firstStepBack, readAs: 'keys' };
  return { firstStepBack: await firstStepBackByCsvParse(path, file, kind, maxRecordBytes), readAs: 'csv' };
}

async function firstStepBackByCsvParse(path: string, file: string, kind: RawKind, maxRecordBytes: number): Promise<StepBack | null> {
  const order = new ParticipantTimeOrder();
  let mapping: HeaderMapping | null = null;
  // Unreadable lines are the load's to reject; here they are only passed over.
  for await (const item of readRecords({ path, maxRecordBytes, strayQuote: (record) => strayQuoteReason(mapping, record) })) {
    if (isUnreadable(item)) {
      if (mapping === null) throw new InputError(file, item.line, null, `header: ${item.reason}`);
      continue;
    }
    if (mapping === null) {
      mapping = mapHeader(kind, item.record, file);
      continue;
    }
    const cells = validateRow(mapping, item.record);
    if (isRejected(cells)) continue;
    order.add(cells[0] as string, cells[2] as number, item.line);
    if (!order.inOrder) break;
  }
  return order.firstStepBack;
}
