/**
 * `polluscope export-labels`: labelled training data from the warehouse, in the two CSV files that
 * `polluscope train` reads. Labels come from human review decisions (the latest of each segment's
 * history labels the minutes of its segment), from what volunteers declared, or both (a review overrides a declaration).
 */
import type { Command } from 'commander';
import pg from 'pg';
import { normaliseLabel, SENSOR_VARIABLES } from '@polluscope/common';
import { formatTime, writeCsvAtomic } from '../csv-io.js';
import { exportLedgerFile, recordExports } from '../operations/export-ledger.js';
import { loadStackConfig, stackEndpoints } from '../infra/stack-config.js';

export type LabelSource = 'reviews' | 'declared' | 'both';

const VARIABLES = SENSOR_VARIABLES;
const SENSOR_COLUMNS = ['participant_virtual_id', 'time', ...VARIABLES, 'activity', 'event', 'quality_flags'];
const LABEL_COLUMNS = ['participant_virtual_id', 'time', 'micro_environment', 'label_source'];

export interface LabelledMinute {
  readonly participant_virtual_id: string;
  readonly time: Date;
  readonly declared: string | null;
  readonly reviewed: string | null;
  readonly [column: string]: unknown;
}

/** The label of a minute: the reviewer's when there is one and reviews count, else the declaration's. */
export function minuteLabel(minute: Pick<LabelledMinute, 'declared' | 'reviewed'>, source: LabelSource): { label: string; from: string } | null {
  if (source !== 'declared' && minute.reviewed !== null) {
    const label = normaliseLabel(minute.reviewed);
    if (label !== null) return { label, from: 'review' };
  }
  if (source !== 'reviews') {
    const label = normaliseLabel(minute.declared);
    if (label !== null) return { label, from: 'declared' };
  }
  return null;
}

export async function exportLabels(client: pg.ClientBase, source: LabelSource): Promise<{ sensors: Record<string, unknown>[]; labels: Record<string, unknown>[] }> {
  const { rows } = await client.query<LabelledMinute>(
    `SELECT s.participant_virtual_id, s.time, ${VARIABLES.map((v) => `s.${pg.escapeIdentifier(v)}`).join(', ')}, s.activity, s.event, s.quality_flags,
            s.activity AS declared, r.label AS reviewed
       FROM sensor_clean s
       LEFT JOIN review_decisions_latest r
         ON r.participant_virtual_id = s.participant_virtual_id
        AND s.time >= r.segment_start AND s.time < r.segment_start + interval '5 minutes'
      WHERE ($1 <> 'reviews' OR r.label IS NOT NULL)
      ORDER BY s.participant_virtual_id, s.time`,
    [source],
  );
  const sensors: Record<string, unknown>[] = [];
  const labels: Record<string, unknown>[] = [];
  for (const minute of rows) {
    const label = minuteLabel(minute, source);
    if (label === null) continue;
    const time = formatTime(minute.time.getTime());
    sensors.push({ ...minute, time });
    labels.push({ participant_virtual_id: minute.participant_virtual_id, time, micro_environment: label.label, label_source: label.from });
  }
  return { sensors, labels };
}

export function registerExportLabelsCommand(program: Command): void {
  program
    .command('export-labels')
    .description('write labelled training data from the warehouse (review decisions and/or declarations) for `polluscope train`')
    .requiredOption('--sensors-output <file>', 'cleaned sensor minutes of the labelled minutes (the --sensors of train)')
    .requiredOption('--labels-output <file>', 'participant_virtual_id, time, micro_environment, label_source (the --labels of train)')
    .option('--source <source>', 'reviews, declared or both (a review overrides a declaration)', 'both')
    .option('--database-url <url>', 'warehouse connection string (default: the embedded stack\'s)')
    .action(async (options: { sensorsOutput: string; labelsOutput: string; source: string; databaseUrl?: string }) => {
      if (!['reviews', 'declared', 'both'].includes(options.source)) {
        throw new Error(`--source must be reviews, declared or both, got "${options.source}"`);
      }
      const client = new pg.Client({ connectionString: options.databaseUrl ?? stackEndpoints(loadStackConfig()).warehouseUrl });
      await client.connect();
      try {
        const { sensors, labels } = await exportLabels(client, options.source as LabelSource);
        await writeCsvAtomic(options.sensorsOutput, SENSOR_COLUMNS, sensors);
        await writeCsvAtomic(options.labelsOutput, LABEL_COLUMNS, labels);
        // `erase` finds every copy of a volunteer's data the project wrote through this ledger.
        await recordExports(exportLedgerFile(loadStackConfig().home), [options.sensorsOutput, options.labelsOutput]);
        const reviewed = labels.filter((l) => l.label_source === 'review').length;
        console.log(`${labels.length} labelled minutes (${reviewed} from review decisions) → ${options.labelsOutput}, ${options.sensorsOutput}`);
        console.log(`train with: npx polluscope train --sensors ${options.sensorsOutput} --labels ${options.labelsOutput} --output model.json`);
      } finally {
        await client.end();
      }
    });
}
