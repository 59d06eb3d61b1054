/**
 * `polluscope erase --participant P [--yes]`: a volunteer withdraws. Removes the participant from
 * rawdata, the warehouse and the training files `export-labels` wrote, tombstones their snapshots in
 * the services' compacted changelogs, counts what the dead-letter topics still hold of them, and
 * says what stays in Kafka until its retention expires. Without `--yes` it only counts.
 */
import type { Command } from 'commander';
import pg from 'pg';
import { DEAD_LETTER_RETENTION_MS, deadLetterTopic, SERVICE_NAMES } from '@polluscope/common';
import { BROKER_RETENTION_HOURS } from '../infra/jvm-components.js';
import { loadStackConfig, stackEndpoints } from '../infra/stack-config.js';
import { toDeadLetter } from '../operations/dead-letters.js';
import { eraseParticipantRows, type TableErasure } from '../operations/erase.js';
import { eraseChangelogSnapshots } from '../operations/erase-changelog.js';
import { eraseFromExports, exportLedgerFile } from '../operations/export-ledger.js';
import { kafkaClient, readRecords } from '../operations/kafka-records.js';
import { formatTable } from '../infra/stack.js';

const say = (line: string) => console.log(line);

async function eraseFrom(url: string, database: string, participant: string, dryRun: boolean): Promise<TableErasure[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await eraseParticipantRows(client, database, participant, dryRun);
  } finally {
    await client.end();
  }
}

export function registerEraseCommand(program: Command): void {
  program
    .command('erase')
    .description('remove a participant who withdrew from rawdata, the warehouse and the exported training files (dry run unless --yes)')
    .requiredOption('--participant <id>', 'the participant_virtual_id to remove')
    .option('--yes', 'remove (without it, only count what would be removed)', false)
    .action(async (options: { participant: string; yes: boolean }) => {
      const config = loadStackConfig();
      const endpoints = stackEndpoints(config);
      const dryRun = !options.yes;
      const participant = options.participant;
      const tables = [
        ...(await eraseFrom(endpoints.rawdataUrl, 'rawdata', participant, dryRun)),
        ...(await eraseFrom(endpoints.warehouseUrl, 'warehouse', participant, dryRun)),
      ];
      const exports = await eraseFromExports(exportLedgerFile(config.home), participant, dryRun);
      const snapshots = await eraseChangelogSnapshots(kafkaClient(endpoints.kafkaBrokers), participant, dryRun);
      const topics = SERVICE_NAMES.map((s) => deadLetterTopic(s).name);
      const letters = (await readRecords(kafkaClient(endpoints.kafkaBrokers), topics))
        .map((r) => toDeadLetter(r.topic, r.partition, r.message))
        .filter((l) => l.participant === participant);

      say(`${dryRun ? 'Would remove' : 'Removed'} ${participant}'s rows:`);
      say(formatTable(tables.map((t) => ({ database: t.database, table: t.table, rows: String(t.rows) }))));
      if (exports.length > 0) {
        say(`\nTraining files written by export-labels (${dryRun ? 'rows that would be removed' : 'rows removed'}):`);
        say(formatTable(exports.map((e) => ({ file: e.path, rows: e.rows === null ? 'file no longer exists' : String(e.rows) }))));
      }
      if (snapshots.length > 0) {
        say(`\nState snapshots in the services' changelogs (${dryRun ? 'would be tombstoned' : 'tombstoned; compaction drops them'}):`);
        say(formatTable(snapshots.map((c) => ({ topic: c.topic, partitions: c.partitions.join(' ') }))));
      }
      say('\nWhat stays until its retention expires (Kafka records cannot be deleted one by one):');
      say(`- the raw, clean and output topics: up to ${BROKER_RETENTION_HOURS / 24} days after each record was written;`);
      say(`- the dead-letter topics: ${letters.length} letter(s) of ${participant}, up to ${DEAD_LETTER_RETENTION_MS / 86_400_000} days;`);
      say('- models trained on files that held the participant: train them again from the erased files;');
      say('- the services\' memory: a participant\'s state until the services restart or its retention passes (2 h by default).');
      if (dryRun) say('\nNothing was removed: run again with --yes.');
    });
}
