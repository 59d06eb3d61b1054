import { rawdata, warehouse } from '../integration/stack.js';
import { snapshot, STREAM_TABLES } from './pipeline-run.js';
import { describeDiff, diffTable } from './table-diff.js';
const wh = warehouse();
const { rows } = await wh.query<{ p: string }>("SELECT DISTINCT regexp_replace(participant_virtual_id, '[0-9]+$', '') AS p FROM sensor_clean WHERE participant_virtual_id LIKE 'flt-%' ORDER BY 1");
const prefixes = rows.map((r) => r.p);
const tag = process.argv[2];
const ref = tag;
const refSnap = await snapshot(wh, ref);
for (const p of prefixes.filter((p) => !p.includes('reference') && (process.argv[3] === undefined || p.includes(process.argv[3])))) {
  const run = await snapshot(wh, p);
  console.log('==', p);
  for (const { table, key } of STREAM_TABLES) console.log(describeDiff(diffTable(table, key, refSnap.get(table)!, run.get(table)!), key, 3));
}
await wh.end();
void rawdata;
