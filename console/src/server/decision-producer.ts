/**
 * Produces the console's review decisions to review.decisions as postprocessing's review route
 * does: the same record (buildReviewDecision), key and topic (reviewDecisionOutput), Avro schema
 * through the registry (AvroCodec, subject review.decisions-value) and the Java client's
 * partitioner, so a decision lands on its participant's partition whoever produced it. Connects
 * on the first decision, so the read-only pages work while Kafka is away; a failed connection is
 * retried at the next decision.
 */
import { AvroCodec, CachedDefaultPartitioner, DEFAULT_SCHEMAS_DIR, TOPICS, type RegistryLogin } from '@polluscope/common';
import { reviewDecisionOutput } from '@polluscope/postprocessing';
import type { ReviewDecisionRecord } from '@polluscope/postprocessing/domain';
import { Kafka, logLevel, type Producer } from 'kafkajs';

/** Where decisions go; tests record them. */
export interface DecisionSink {
  produce(decision: ReviewDecisionRecord): Promise<void>;
  close(): Promise<void>;
}

export class KafkaDecisionSink implements DecisionSink {
  private ready: Promise<{ producer: Producer; codec: AvroCodec }> | null = null;

  constructor(
    private readonly brokers: readonly string[],
    private readonly registryUrl: string,
    /** Registering the decisions' schema needs the registry's login. */
    private readonly registryLogin: RegistryLogin | null,
    private readonly schemasDir: string = DEFAULT_SCHEMAS_DIR,
  ) {}

  private connect(): Promise<{ producer: Producer; codec: AvroCodec }> {
    this.ready ??= (async () => {
      const kafka = new Kafka({ clientId: 'polluscope-console', brokers: [...this.brokers], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: CachedDefaultPartitioner, allowAutoTopicCreation: false });
      await producer.connect();
      const codec = new AvroCodec(this.registryUrl, this.schemasDir, this.registryLogin);
      try {
        await codec.registerOutputs([TOPICS.reviewDecisions]);
      } catch (err) {
        await producer.disconnect();
        throw err;
      }
      return { producer, codec };
    })().catch((err: unknown) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  async produce(decision: ReviewDecisionRecord): Promise<void> {
    const { producer, codec } = await this.connect();
    const output = reviewDecisionOutput(decision);
    await producer.send({ topic: output.topic.name, acks: -1, messages: [{ key: output.key, value: await codec.encode(output.topic, output.value) }] });
  }

  async close(): Promise<void> {
    const ready = this.ready;
    this.ready = null;
    if (ready !== null) await (await ready.catch(() => null))?.producer.disconnect();
  }
}
