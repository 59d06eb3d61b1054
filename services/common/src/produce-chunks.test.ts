import { describe, expect, it } from 'vitest';
import { messageBytes, produceChunks } from './produce-chunks.js';

const message = (key: string, valueBytes: number) => ({ key, value: Buffer.alloc(valueBytes) });
const shape = (chunks: ReturnType<typeof produceChunks>) => chunks.map((c) => c.map((t) => `${t.topic}:${t.messages.map((m) => m.key).join('')}`));

describe('produceChunks', () => {
  it('keeps everything in one request when it is within the limits', () => {
    const chunks = produceChunks([{ topic: 'a', messages: [message('1', 10), message('2', 10)] }, { topic: 'b', messages: [message('3', 10)] }], { maxMessages: 3, maxBytes: 1000 });
    expect(shape(chunks)).toEqual([['a:12', 'b:3']]);
  });

  it('starts a new request at the message limit, across topics, in order', () => {
    const chunks = produceChunks([{ topic: 'a', messages: [message('1', 1), message('2', 1), message('3', 1)] }, { topic: 'b', messages: [message('4', 1), message('5', 1)] }], { maxMessages: 2, maxBytes: 1e6 });
    expect(shape(chunks)).toEqual([['a:12'], ['a:3', 'b:4'], ['b:5']]);
  });

  it('starts a new request before the byte limit would be passed', () => {
    const size = messageBytes(message('1', 100));
    const chunks = produceChunks([{ topic: 'a', messages: [message('1', 100), message('2', 100), message('3', 100)] }], { maxMessages: 100, maxBytes: 2 * size });
    expect(shape(chunks)).toEqual([['a:12'], ['a:3']]);
  });

  it('sends a message larger than the byte limit alone', () => {
    const chunks = produceChunks([{ topic: 'a', messages: [message('1', 10), message('2', 5000), message('3', 10)] }], { maxMessages: 100, maxBytes: 1000 });
    expect(shape(chunks)).toEqual([['a:1'], ['a:2'], ['a:3']]);
  });

  it('returns no request for no messages', () => {
    expect(produceChunks([{ topic: 'a', messages: [] }])).toEqual([]);
  });

  it('counts keys, values and headers', () => {
    const plain = messageBytes({ key: 'ab', value: Buffer.alloc(10) });
    expect(messageBytes({ key: 'ab', value: Buffer.alloc(10), headers: { error: 'bad', stage: Buffer.from('xy') } })).toBe(plain + 'error'.length + 3 + 'stage'.length + 2);
    expect(messageBytes({ key: 'é', value: null })).toBe(messageBytes({ key: 'ab', value: null }));
  });
});
