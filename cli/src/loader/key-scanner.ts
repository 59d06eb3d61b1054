/**
 * Reads only the participant and the time of each line of a CSV export without quotes, far
 * cheaper than a full CSV parse: enough to tell whether a file is already in time order per
 * participant before loading it. Pure: the caller feeds the text.
 */
import { mapHeader, type HeaderMapping } from './header-aliases.js';
import { RAW_TABLES, type RawKind } from './raw-tables.js';
import { Invalid, parseParticipantId, parseTimeCell } from './validate-row.js';

/** Receives each line's participant and time (epoch ms) with its line number (header = 1). */
export type KeySink = (participant: string, timeMs: number, line: number) => void;

const QUOTE = '"';
const BOM = '\uFEFF';

/**
 * Splits text on line breaks and commas, exactly as csv-parse does for text without quotes (and
 * only then: `push` refuses text holding a quote, which the caller must then parse in full).
 * Lines whose participant or time loading would reject are skipped.
 *
 * @example new KeyScanner('gps', 'f.csv', sink).push('participant,time,lat,lon\np,2019-01-01 00:00:00,1,2\n') // true, sink('p', 1546300800000, 2)
 */
export class KeyScanner {
  private rest = '';
  private lineNumber = 0;
  private mapping: HeaderMapping | null = null;
  private participantField = -1;
  private timeField = -1;
  private lastField = -1;

  constructor(
    private readonly kind: RawKind,
    private readonly file: string,
    private readonly sink: KeySink,
    /** Past this many characters without a line break the file is left to csv-parse too. */
    private readonly maxLineChars = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Feeds the next piece of text; false when it holds a quote (then nothing of it is read), or
   * when an unfinished line grows past `maxLineChars` (so that an endless line is never held
   * whole). After false, the caller reads the file with csv-parse instead.
   */
  push(text: string): boolean {
    if (text.includes(QUOTE)) return false;
    const all = this.rest + text;
    let start = 0;
    for (let end = all.indexOf('\n'); end >= 0; end = all.indexOf('\n', start)) {
      this.line(all, start, end);
      start = end + 1;
    }
    this.rest = all.slice(start);
    return this.rest.length <= this.maxLineChars;
  }

  /** Reads the last line when it has no line break. */
  end(): void {
    if (this.rest.length > 0) this.line(this.rest, 0, this.rest.length);
    this.rest = '';
  }

  private line(text: string, start: number, end: number): void {
    this.lineNumber++;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    if (end === start) return; // csv-parse's skip_empty_lines
    if (this.mapping === null) {
      let fields = text.slice(start, end).split(',');
      if (this.lineNumber === 1 && fields[0]?.startsWith(BOM) === true) fields = [fields[0].slice(1), ...fields.slice(1)];
      this.mapping = mapHeader(this.kind, fields, this.file);
      const columns = RAW_TABLES[this.kind].columns;
      this.participantField = this.mapping.fieldIndex[columns.indexOf('participant_virtual_id')] ?? -1;
      this.timeField = this.mapping.fieldIndex[columns.indexOf('time')] ?? -1;
      this.lastField = Math.max(this.participantField, this.timeField);
      return;
    }
    // Only the fields up to the last one needed are cut out. A line loading would reject for its
    // field count or another column may be read here: an extra row can only make the file look
    // out of order (then it is sorted, which is still right), never hide a step back.
    let participantText: string | null = null;
    let timeText: string | null = null;
    let from = start;
    for (let field = 0; field <= this.lastField; field++) {
      let to = text.indexOf(',', from);
      if (to < 0 || to > end) to = end;
      if (field === this.participantField) participantText = text.slice(from, to);
      if (field === this.timeField) timeText = text.slice(from, to);
      if (to === end && field < this.lastField) return;
      from = to + 1;
    }
    const participant = parseParticipantId(participantText ?? '');
    const timeMs = parseTimeCell(timeText ?? '');
    if (participant instanceof Invalid || timeMs instanceof Invalid) return;
    this.sink(participant, timeMs, this.lineNumber);
  }
}

