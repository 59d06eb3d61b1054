/**
 * The one registry of topics (docs/design.md §2, §3.2): name, key, value schema file, who produces
 * and who consumes. No other file spells a topic name.
 */
export type ServiceName =
  | 'timeseries-preprocessing'
  | 'classification-validation'
  | 'gps-preprocessing'
  | 'stop-move-detection'
  | 'postprocessing';

export interface TopicSpec {
  readonly name: string;
  /** Records are keyed by the participant, so a person's records stay in one partition, in order. */
  readonly key: 'participant_virtual_id';
  /**
   * File under `schemas/`; null for dead-letter topics, which carry the original bytes, and for
   * changelogs, which carry their stage's own JSON (never read by another component).
   */
  readonly valueSchema: string | null;
  /** `cdc` for the change-data-capture source, `api` for the review API, else a service. */
  readonly producer: ServiceName | 'cdc';
  readonly consumers: readonly (ServiceName | 'warehouse-sink')[];
  /** Topic settings that differ from the broker's defaults (e.g. dead letters' longer retention). */
  readonly config?: Readonly<Record<string, string>>;
}

const topic = (spec: Omit<TopicSpec, 'key'>): TopicSpec => Object.freeze({ key: 'participant_virtual_id', ...spec });

export const TOPICS = Object.freeze({
  rawSensor: topic({ name: 'raw.sensor', valueSchema: 'raw.sensor.avsc', producer: 'cdc', consumers: ['timeseries-preprocessing'] }),
  rawGps: topic({ name: 'raw.gps', valueSchema: 'raw.gps.avsc', producer: 'cdc', consumers: ['gps-preprocessing'] }),
  sensorClean: topic({
    name: 'sensor.clean',
    valueSchema: 'sensor.clean.avsc',
    producer: 'timeseries-preprocessing',
    consumers: ['classification-validation', 'warehouse-sink'],
  }),
  activitySegments: topic({
    name: 'activity.segments',
    valueSchema: 'activity.segments.avsc',
    producer: 'classification-validation',
    consumers: ['postprocessing', 'warehouse-sink'],
  }),
  gpsClean: topic({
    name: 'gps.clean',
    valueSchema: 'gps.clean.avsc',
    producer: 'gps-preprocessing',
    consumers: ['stop-move-detection', 'warehouse-sink'],
  }),
  /** The fixes gps-preprocessing's speed filter drops, with the reason: the data-quality record of gps.clean. */
  gpsDropped: topic({
    name: 'gps.dropped',
    valueSchema: 'gps.dropped.avsc',
    producer: 'gps-preprocessing',
    consumers: ['warehouse-sink'],
  }),
  gpsEpisodes: topic({
    name: 'gps.episodes',
    valueSchema: 'gps.episodes.avsc',
    producer: 'stop-move-detection',
    consumers: ['postprocessing', 'warehouse-sink'],
  }),
  activityTimeline: topic({
    name: 'activity.timeline',
    valueSchema: 'activity.timeline.avsc',
    producer: 'postprocessing',
    consumers: ['warehouse-sink'],
  }),
  exposureDaily: topic({
    name: 'exposure.daily',
    valueSchema: 'exposure.daily.avsc',
    producer: 'postprocessing',
    consumers: ['warehouse-sink'],
  }),
  reviewDecisions: topic({
    name: 'review.decisions',
    valueSchema: 'review.decisions.avsc',
    producer: 'postprocessing',
    consumers: ['postprocessing', 'warehouse-sink'],
  }),
});

/** A service of docs/design.md §2: its HTTP port and the topics it reads and writes. */
export interface ServiceSpec {
  readonly name: ServiceName;
  readonly port: number;
  readonly inputs: readonly TopicSpec[];
  readonly outputs: readonly TopicSpec[];
}

const service = (spec: ServiceSpec): ServiceSpec => Object.freeze(spec);

/** The one registry of the services: the CLI, the tests and each service read ports and topics here. */
export const SERVICES: Readonly<Record<ServiceName, ServiceSpec>> = Object.freeze({
  'classification-validation': service({ name: 'classification-validation', port: 8000, inputs: [TOPICS.sensorClean], outputs: [TOPICS.activitySegments] }),
  'timeseries-preprocessing': service({ name: 'timeseries-preprocessing', port: 8001, inputs: [TOPICS.rawSensor], outputs: [TOPICS.sensorClean] }),
  'gps-preprocessing': service({ name: 'gps-preprocessing', port: 8002, inputs: [TOPICS.rawGps], outputs: [TOPICS.gpsClean, TOPICS.gpsDropped] }),
  postprocessing: service({
    name: 'postprocessing',
    port: 8003,
    inputs: [TOPICS.activitySegments, TOPICS.gpsEpisodes, TOPICS.reviewDecisions],
    outputs: [TOPICS.activityTimeline, TOPICS.exposureDaily, TOPICS.reviewDecisions],
  }),
  'stop-move-detection': service({ name: 'stop-move-detection', port: 8004, inputs: [TOPICS.gpsClean], outputs: [TOPICS.gpsEpisodes] }),
});

export const SERVICE_NAMES: readonly ServiceName[] = Object.freeze(Object.keys(SERVICES) as ServiceName[]);

/**
 * How long dead letters are kept, ms: 30 days, so a record dead-lettered before a fix can still be
 * replayed after it (`polluscope dlq replay`); the other topics keep the broker's 7 days.
 */
export const DEAD_LETTER_RETENTION_MS = 30 * 24 * 3_600_000;

/** Dead letters of a service: the original bytes plus error headers (docs/design.md §3.2). */
export function deadLetterTopic(service: ServiceName): TopicSpec {
  return Object.freeze({
    name: `dlq.${service}`,
    key: 'participant_virtual_id',
    valueSchema: null,
    producer: service,
    consumers: [],
    config: Object.freeze({ 'retention.ms': String(DEAD_LETTER_RETENTION_MS) }),
  });
}

/**
 * The services whose participant state is kept in a changelog (docs/stream-runtime.md,
 * "Changelog"): stop-move-detection, whose open stop may last longer than the broker keeps records.
 */
export const CHANGELOG_SERVICES: readonly ServiceName[] = Object.freeze(['stop-move-detection'] as ServiceName[]);

/**
 * A service's compacted changelog: the latest snapshot of each participant's state, keyed by
 * participant, in the partition of the participant's input records; a null value deletes it.
 */
export function changelogTopic(service: ServiceName): TopicSpec {
  return Object.freeze({
    name: `${service}.changelog`,
    key: 'participant_virtual_id',
    valueSchema: null,
    producer: service,
    consumers: [service],
    config: Object.freeze({ 'cleanup.policy': 'compact' }),
  });
}

/** Every topic the pipeline uses, dead letters and changelogs included: what `infra up` creates. */
export function allTopics(): readonly TopicSpec[] {
  return [...Object.values(TOPICS), ...SERVICE_NAMES.map(deadLetterTopic), ...CHANGELOG_SERVICES.map(changelogTopic)];
}

/** Default partition count of a pipeline topic (docs/design.md §3.2). */
export const DEFAULT_PARTITIONS = 6;
