/**
 * Before a load: is the file already in time order per participant? Then it is streamed in file
 * order; otherwise the loader sorts it (load-in-time-order.ts). Reads only the participant and
 * time columns (key-scanner.ts), and stops at the first step back in time; a file with quotes is
 * read with csv-parse instead (slower, same answer).
 */
import { createReadStream } from 'node:fs';
import type { RawKind } from './raw-tables.js';
import { KeyScanner } from './key-scanner.js';
import { mapHeader, type HeaderMapping } from './header-aliases.js';
import { PositionedParser, type PositionedRecord } from './positioned-parser.js';
import { ParticipantTimeOrder, type StepBack } from './time-order.js';
import { isRejected, validateRow } from './validate-row.js';

export interface OrderCheck {
  /** The first step back in time, or null when every participant's rows are in time order. */
  readonly firstStepBack: StepBack | null;
  /** How the file was read: `keys` (participant and time only) or `csv` (a full parse, when it has quotes). */
  readonly readAs: 'keys' | 'csv';
}

class FoundStepBack extends Error {}

/** Reads `path` (named `file` in errors) until the first step back in time, if any. */
export async function checkTimeOrder(path: string, file: string, kind: RawKind): Promise<OrderCheck> {
  const order = new ParticipantTimeOrder();
  const sink = (participant: string, timeMs: number, line: number): void => {
    order.add(participant, timeMs, line);
    if (!order.inOrder) throw new FoundStepBack();
  };
  const scanner = new KeyScanner(kind, file, sink);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let quoted = false;
  try {
    for await (const text of stream as AsyncIterable<string>) {
      if (!scanner.push(text)) {
        quoted = true;
        break;
      }
    }
    if (!quoted) scanner.end();
  } catch (err) {
    if (!(err instanceof FoundStepBack)) throw err;
  } finally {
    stream.destroy();
  }
  if (!quoted) return { firstStepBack: order.firstStepBack, readAs: 'keys' };
  return { firstStepBack: await firstStepBackByCsvParse(path, file, kind), readAs: 'csv' };
}

async function firstStepBackByCsvParse(path: string, file: string, kind: RawKind): Promise<StepBack | null> {
  const order = new ParticipantTimeOrder();
  const parser = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(new PositionedParser({ bom: true, relax_column_count: true, skip_empty_lines: true }));
  let mapping: HeaderMapping | null = null;
  try {
    for await (const { record, lines } of parser as AsyncIterable<PositionedRecord>) {
      if (mapping === null) {
        mapping = mapHeader(kind, record, file);
        continue;
      }
      const cells = validateRow(mapping, record);
      if (isRejected(cells)) continue;
      order.add(cells[0] as string, cells[2] as number, lines);
      if (!order.inOrder) break;
    }
  } finally {
    parser.destroy();
  }
  return order.firstStepBack;
}
