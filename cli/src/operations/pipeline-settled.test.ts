import { describe, expect, it } from 'vitest';
import { pendingWork } from './pipeline-settled.js';

const idle = (name: string) => ({ name, ready: true, lag: 0, openParticipants: 0 });

describe('pendingWork', () => {
  it('is empty when every service is idle with no participant open and every sink has committed', () => {
    expect(pendingWork({ services: [idle('a'), idle('b')], sinks: [{ group: 'connect-s', topic: 't', lag: 0 }] })).toEqual([]);
  });

  it('names a service with records to process or participants still open, and one that is not ready', () => {
    const pending = pendingWork({
      services: [{ ...idle('a'), lag: 3 }, { ...idle('b'), openParticipants: 2 }, { ...idle('c'), ready: false }],
      sinks: [],
    });
    expect(pending).toEqual(['a: 3 records to process, 0 participants open', 'b: 0 records to process, 2 participants open', 'c not ready']);
  });

  it('names a sink that has not committed everything its topic holds', () => {
    expect(pendingWork({ services: [idle('a')], sinks: [{ group: 'connect-warehouse-sink-points', topic: 'gps.clean', lag: 24 }] })).toEqual([
      'connect-warehouse-sink-points: 24 records of gps.clean to write',
    ]);
  });
});
