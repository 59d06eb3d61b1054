import { describe, expect, it } from 'vitest';
import { ExecutionSampleParser, summariseSamples, threadGroup } from '../../bench/pipeline/flight-recording.js';

// Two samples as `jfr print --events jdk.ExecutionSample` writes them.
const printed = `
jdk.ExecutionSample {
  startTime = 05:21:09.048
  sampledThread = "task-thread-warehouse-sink-points-0" (javaThreadId = 79)
  state = "STATE_RUNNABLE"
  stackTrace = [
    org.postgresql.core.PGStream.flush() line: 711
    org.hibernate.engine.jdbc.batch.internal.BatchImpl.execute() line: 12
    io.debezium.connector.jdbc.JdbcChangeEventSink.flushBuffer(TableId, List) line: 200
    ...
  ]
}

jdk.ExecutionSample {
  startTime = 05:21:09.191
  sampledThread = "task-thread-warehouse-sink-points-1" (javaThreadId = 80)
  state = "STATE_RUNNABLE"
  stackTrace = [
    io.apicurio.registry.serde.avro.AvroSerde.read(ByteBuffer) line: 3
    io.debezium.connector.jdbc.JdbcSinkConnectorTask.put(Collection) line: 90
  ]
}
`;

describe('ExecutionSampleParser', () => {
  it('reads each sample with its thread and its frames, top first, without argument lists', () => {
    const parser = new ExecutionSampleParser();
    for (const line of printed.split('\n')) parser.line(line);
    expect(parser.samples).toEqual([
      {
        thread: 'task-thread-warehouse-sink-points-0',
        frames: ['org.postgresql.core.PGStream.flush', 'org.hibernate.engine.jdbc.batch.internal.BatchImpl.execute', 'io.debezium.connector.jdbc.JdbcChangeEventSink.flushBuffer'],
      },
      { thread: 'task-thread-warehouse-sink-points-1', frames: ['io.apicurio.registry.serde.avro.AvroSerde.read', 'io.debezium.connector.jdbc.JdbcSinkConnectorTask.put'] },
    ]);
  });
});

describe('summariseSamples', () => {
  it('counts thread groups, every layer on a stack and top frames', () => {
    const parser = new ExecutionSampleParser();
    for (const line of printed.split('\n')) parser.line(line);
    const summary = summariseSamples(parser.samples);
    expect(summary.samples).toBe(2);
    expect(summary.threads).toEqual([{ group: 'task-thread-warehouse-sink-points', samples: 2, share: 1 }]);
    const layers = Object.fromEntries(summary.layers.map((l) => [l.layer, l.samples]));
    expect(layers).toEqual({
      "Debezium's JDBC sink (io.debezium.connector.jdbc)": 2,
      'PostgreSQL JDBC driver (org.postgresql)': 1,
      'Hibernate (org.hibernate)': 1,
      'Apicurio converter (io.apicurio)': 1,
    });
    expect(summary.topFrames.map((f) => f.frame)).toEqual(['org.postgresql.core.PGStream.flush', 'io.apicurio.registry.serde.avro.AvroSerde.read']);
  });

  it('groups numbered threads', () => {
    expect(threadGroup('task-thread-warehouse-sink-points-0')).toBe('task-thread-warehouse-sink-points');
    expect(threadGroup('kafka-producer-network-thread | connector-producer-rawdata-source-0')).toBe('kafka-producer-network-thread | connector-producer-rawdata-source');
  });
});
