import { describe, expect, it } from 'vitest';
import { partOf, summariseProfile } from '../../bench/pipeline/cpu-profile.js';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '0' });

describe('summariseProfile', () => {
  // Root → decode (avsc) and handler (stage code); samples every 1 ms.
  const profile = {
    startTime: 0,
    endTime: 10_000,
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4, 5] },
      { id: 2, callFrame: frame('read', 'file:///p/node_modules/avsc/lib/types.js', 9) },
      { id: 3, callFrame: frame('onRecords', 'file:///p/services/gps-preprocessing/src/handler.ts', 41) },
      { id: 4, callFrame: frame('(garbage collector)', '') },
      { id: 5, callFrame: frame('(idle)', '') },
    ],
    // avsc 3 ms, handler 4 ms, GC 1 ms, idle 2 ms; the first delta is before the first sample.
    samples: [2, 2, 2, 3, 3, 3, 3, 4, 5, 5, 3],
    timeDeltas: [7, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
  };

  it('gives each sample the time to the next one and groups self time by part', () => {
    const summary = summariseProfile(profile);
    expect(summary.idleMs).toBe(2);
    expect(summary.busyMs).toBe(8);
    expect(summary.parts).toEqual([
      { part: 'stage code', ms: 4, share: 0.5 },
      { part: 'avro (avsc)', ms: 3, share: 0.375 },
      { part: 'garbage collector', ms: 1, share: 0.125 },
    ]);
    expect(summary.functions[0]).toEqual({ name: 'onRecords', where: 'services/gps-preprocessing/src/handler.ts:42', part: 'stage code', ms: 4, share: 0.5 });
    expect(summary.functions[1]?.where).toBe('avsc/lib/types.js:10');
  });

  it('keeps the top functions only', () => {
    expect(summariseProfile(profile, 1).functions).toHaveLength(1);
  });
});

describe('partOf', () => {
  it('tells the runtime from the stage and the packages apart', () => {
    expect(partOf('file:///r/services/common/dist/stream-runner.js', 'f')).toBe('runtime (services/common)');
    expect(partOf('file:///r/node_modules/kafkajs/src/protocol/decoder.js', 'f')).toBe('kafkajs');
    expect(partOf('file:///r/node_modules/@kafkajs/confluent-schema-registry/dist/x.js', 'f')).toBe('registry client');
    expect(partOf('file:///r/node_modules/pino/lib/x.js', 'f')).toBe('other packages');
    expect(partOf('node:internal/streams/readable', 'f')).toBe('node internals');
  });
});
