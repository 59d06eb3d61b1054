/**
 * What one batch produces, cut into produce requests of bounded size. A request's messages for
 * one partition become one record batch, which the broker refuses above `message.max.bytes`
 * (1 MiB by default): a fetched 1 MiB of input can well produce more than that to one partition.
 * KafkaJS also groups a request's messages by partition in time quadratic in their number, so
 * several requests of a few thousand messages cost less than one of tens of thousands.
 */
import type { IHeaders, Message } from 'kafkajs';

export interface TopicMessages {
  readonly topic: string;
  readonly messages: Message[];
}

export interface ChunkLimits {
  readonly maxMessages: number;
  /** Keys, values and headers, plus a per-record allowance for the record framing. */
  readonly maxBytes: number;
}

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = Object.freeze({ maxMessages: 1000, maxBytes: 512 * 1024 });

/** Bytes Kafka's record framing adds to a message beyond its key, value and headers, roughly. */
const RECORD_OVERHEAD = 24;

const byteLength = (data: Buffer | string | null | undefined) => (data === null || data === undefined ? 0 : typeof data === 'string' ? Buffer.byteLength(data) : data.length);

function headerBytes(headers: IHeaders | undefined): number {
  if (headers === undefined) return 0;
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    bytes += Buffer.byteLength(name);
    for (const v of Array.isArray(value) ? value : [value]) bytes += byteLength(v);
  }
  return bytes;
}

export function messageBytes(message: Message): number {
  return byteLength(message.key) + byteLength(message.value) + headerBytes(message.headers) + RECORD_OVERHEAD;
}

/**
 * Splits per-topic message lists into consecutive requests, each within the limits (a single
 * message over `maxBytes` goes alone). Sent one after the other, the requests keep every
 * partition's order.
 */
export function produceChunks(topicMessages: readonly TopicMessages[], limits: ChunkLimits = DEFAULT_CHUNK_LIMITS): TopicMessages[][] {
  const chunks: TopicMessages[][] = [];
  let chunk: TopicMessages[] = [];
  let count = 0;
  let bytes = 0;
  for (const { topic, messages } of topicMessages) {
    let current: Message[] = [];
    for (const message of messages) {
      const size = messageBytes(message);
      if (count > 0 && (count + 1 > limits.maxMessages || bytes + size > limits.maxBytes)) {
        if (current.length > 0) chunk.push({ topic, messages: current });
        chunks.push(chunk);
        chunk = [];
        current = [];
        count = 0;
        bytes = 0;
      }
      current.push(message);
      count += 1;
      bytes += size;
    }
    if (current.length > 0) chunk.push({ topic, messages: current });
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
