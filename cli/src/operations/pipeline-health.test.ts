import { describe, expect, it } from 'vitest';
import { assessPipeline, formatBytes, formatStatus, partitionLags, type PipelineSnapshot } from './pipeline-health.js';

const healthy: PipelineSnapshot = {
  checkedAt: '2026-12-06T10:00:00.000Z',
  services: [{ name: 'gps-preprocessing', state: 'ready', reason: null, lag: 0 }],
  groups: [{ group: 'connect-warehouse-sink-points', lag: 0, partitions: [] }],
  connectors: [
    { name: 'rawdata-source', state: 'RUNNING', tasks: [{ id: 0, state: 'RUNNING', error: null }] },
    { name: 'warehouse-sink-points', state: 'RUNNING', tasks: [{ id: 0, state: 'RUNNING', error: null }] },
  ],
  slots: [{ name: 'polluscope_raw', active: true, retainedBytes: 4096 }],
  deadLetters: [{ topic: 'dlq.gps-preprocessing', count: 3, newest: '2026-12-06T09:59:00.000Z' }],
  unreachable: [],
};
const expected = ['rawdata-source', 'warehouse-sink-points'];

describe('assessPipeline', () => {
  it('is healthy when everything runs, whatever the lag and the dead letters', () => {
    const lagging = { ...healthy, groups: [{ group: 'connect-warehouse-sink-points', lag: 83_500, partitions: [] }] };
    expect(assessPipeline(lagging, expected)).toEqual({ level: 'healthy', problems: [] });
  });

  it('is degraded by a failed task, a service not ready, or a slot holding too much WAL', () => {
    const snapshot: PipelineSnapshot = {
      ...healthy,
      services: [{ name: 'gps-preprocessing', state: 'not ready', reason: 'schema registry unreachable', lag: 12 }],
      connectors: [healthy.connectors[0]!, { name: 'warehouse-sink-points', state: 'RUNNING', tasks: [{ id: 0, state: 'FAILED', error: 'org.postgresql.util.PSQLException: Connection refused' }] }],
      slots: [{ name: 'polluscope_raw', active: true, retainedBytes: 2 * 1024 ** 3 }],
    };
    const { level, problems } = assessPipeline(snapshot, expected);
    expect(level).toBe('degraded');
    expect(problems.map((p) => p.what)).toEqual([
      'gps-preprocessing not ready: schema registry unreachable',
      'connector warehouse-sink-points task 0 FAILED: org.postgresql.util.PSQLException: Connection refused',
      'replication slot polluscope_raw retains 2.0 GiB of WAL',
    ]);
  });

  it('is down when a service is not running, a connector is missing or failed, or a part is unreachable', () => {
    expect(assessPipeline({ ...healthy, services: [{ name: 'postprocessing', state: 'down', reason: 'ECONNREFUSED', lag: null }] }, expected).level).toBe('down');
    expect(assessPipeline({ ...healthy, connectors: [healthy.connectors[0]!] }, expected).problems).toEqual([{ level: 'down', what: 'connector warehouse-sink-points is not registered' }]);
    expect(assessPipeline({ ...healthy, connectors: [{ ...healthy.connectors[1]!, state: 'FAILED' }, healthy.connectors[0]!] }, expected).level).toBe('down');
    expect(assessPipeline({ ...healthy, slots: [{ name: 'polluscope_raw', active: false, retainedBytes: 0 }] }, expected).level).toBe('down');
    const noConnect = assessPipeline({ ...healthy, connectors: [], unreachable: [{ part: 'connect', error: 'ECONNREFUSED' }] }, expected);
    // Connect unreachable is one problem, not one per connector.
    expect(noConnect.problems).toEqual([{ level: 'down', what: 'connect unreachable: ECONNREFUSED' }]);
  });
});

describe('partitionLags', () => {
  const ends = new Map([['gps.clean', [{ partition: 0, start: 0, end: 10 }, { partition: 1, start: 5, end: 8 }]]]);

  it('is the end offset minus the committed one, on every partition of the topics the group reads', () => {
    expect(partitionLags([{ topic: 'gps.clean', partition: 0, offset: 7 }, { topic: 'gps.clean', partition: 1, offset: 8 }], ends)).toEqual([
      { topic: 'gps.clean', partition: 0, committed: 7, end: 10, lag: 3 },
      { topic: 'gps.clean', partition: 1, committed: 8, end: 8, lag: 0 },
    ]);
  });

  it('counts a partition never committed (absent, or null), or committed below the log start, from the log start', () => {
    // The group committed on partition 0 only: partition 1's 3 records are all behind.
    expect(partitionLags([{ topic: 'gps.clean', partition: 0, offset: 10 }], ends).map((p) => p.lag)).toEqual([0, 3]);
    expect(partitionLags([{ topic: 'gps.clean', partition: 1, offset: null }], ends).map((p) => p.lag)).toEqual([10, 3]);
    expect(partitionLags([{ topic: 'gps.clean', partition: 0, offset: 10 }, { topic: 'gps.clean', partition: 1, offset: 2 }], ends)[1]!.lag).toBe(3);
  });

  it('leaves out partitions whose topic it has no offsets for', () => {
    expect(partitionLags([{ topic: 'gone', partition: 0, offset: 1 }], ends)).toEqual([]);
  });
});

describe('formatStatus', () => {
  it('says the level first and lists every part and problem', () => {
    const text = formatStatus(healthy, { level: 'degraded', problems: [{ level: 'degraded', what: 'gps-preprocessing not ready: x' }] });
    expect(text.split('\n')[0]).toBe('pipeline: DEGRADED (checked 2026-12-06T10:00:00.000Z)');
    expect(text).toMatch(/^polluscope_raw\s+yes\s+4\.0 KiB$/m);
    expect(text).toMatch(/^dlq\.gps-preprocessing\s+3\s+2026-12-06T09:59:00\.000Z$/m);
    expect(text.trimEnd().split('\n').at(-1)).toBe('DEGRADED: gps-preprocessing not ready: x');
  });

  it('formats bytes in binary units', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual(['512 B', '1.5 KiB', '5.0 GiB']);
  });
});
