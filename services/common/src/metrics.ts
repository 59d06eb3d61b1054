/** The Prometheus metrics every service exposes on GET /metrics (docs/design.md §2). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServiceMetrics {
  readonly registry: Registry;
  readonly recordsIn: Counter<'topic'>;
  readonly recordsOut: Counter<'topic'>;
  readonly deadLetters: Counter<'topic' | 'reason'>;
  /** Every time a handler throws (each try); the records then dead-lettered count in `deadLetters` with reason `handler-error`. */
  readonly handlerFailures: Counter<'topic'>;
  readonly batchSeconds: Histogram<'topic'>;
  readonly lag: Gauge<'topic' | 'partition'>;
  /** Participants whose state the service holds (evicted after their retention). */
  readonly participantsHeld: Gauge;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    recordsIn: new Counter({ name: 'polluscope_records_in_total', help: 'Records consumed', labelNames: ['topic'], registers: [registry] }),
    recordsOut: new Counter({ name: 'polluscope_records_out_total', help: 'Records produced', labelNames: ['topic'], registers: [registry] }),
    deadLetters: new Counter({
      name: 'polluscope_dead_letters_total',
      help: 'Records sent to the dead-letter topic, by kind of reason',
      labelNames: ['topic', 'reason'],
      registers: [registry],
    }),
    handlerFailures: new Counter({
      name: 'polluscope_handler_failures_total',
      help: 'Tries at a batch or a record that the handler threw on',
      labelNames: ['topic'],
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'polluscope_batch_duration_seconds',
      help: 'Time to decode, process, produce and commit one batch',
      labelNames: ['topic'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    participantsHeld: new Gauge({ name: 'polluscope_participants_held', help: 'Participants whose state the service holds in memory', registers: [registry] }),
    lag: new Gauge({ name: 'polluscope_consumer_lag', help: 'Records behind the partition end, from the broker offsets', labelNames: ['topic', 'partition'], registers: [registry] }),
  };
}
