/**
 * `polluscope report`: a participant-day from the warehouse as a self-contained HTML file, or a
 * PDF when the output ends in .pdf. Written to a temporary file and renamed, so a failure leaves
 * no half-written report.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { buildParticipantDay } from '../day/build-participant-day.js';
import { WarehouseReader } from '../server/warehouse-reader.js';
import { dayReportHtml } from './day-report-html.js';
import { printHtmlToPdf } from './print-pdf.js';

export interface DayReportRequest {
  readonly participant: string;
  /** YYYY-MM-DD, local day. */
  readonly day: string;
  readonly out: string;
  readonly warehouseUrl: string;
  readonly timeZone: string;
  readonly chromiumPath?: string;
  readonly now?: Date;
}

export class NoDataError extends Error {
  override readonly name = 'NoDataError';
}

export async function writeDayReport(request: DayReportRequest): Promise<{ format: 'html' | 'pdf'; bytes: number }> {
  const warehouse = new WarehouseReader(request.warehouseUrl, request.timeZone);
  let html: string;
  try {
    const rows = await warehouse.participantDay(request.participant, request.day);
    if (rows.minutes.length === 0 && rows.timeline.length === 0 && rows.fixes.length === 0) {
      throw new NoDataError(`no data for ${request.participant} on ${request.day} in the warehouse`);
    }
    const day = buildParticipantDay({ participant: request.participant, day: request.day, timeZone: request.timeZone, ...rows });
    html = dayReportHtml(day, { generatedAt: request.now ?? new Date() });
  } finally {
    await warehouse.close();
  }
  const format = request.out.toLowerCase().endsWith('.pdf') ? 'pdf' : 'html';
  const content = format === 'pdf' ? await printHtmlToPdf(html, request.chromiumPath) : Buffer.from(html, 'utf8');
  const partial = `${request.out}.partial`;
  try {
    writeFileSync(partial, content);
    renameSync(partial, request.out);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return { format, bytes: content.length };
}
