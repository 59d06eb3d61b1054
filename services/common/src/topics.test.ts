import { describe, expect, it } from 'vitest';
import { allTopics, SERVICES, TOPICS } from './topics.js';

describe('the topic registry', () => {
  it('declares each topic once, with its own schema file', () => {
    const names = allTopics().map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    const schemas = Object.values(TOPICS).map((t) => t.valueSchema);
    expect(new Set(schemas).size).toBe(schemas.length);
  });

  it('declares gps.dropped: keyed by participant, made by gps-preprocessing beside gps.clean, read by the warehouse sink', () => {
    expect(TOPICS.gpsDropped).toEqual({
      name: 'gps.dropped',
      key: 'participant_virtual_id',
      valueSchema: 'gps.dropped.avsc',
      producer: 'gps-preprocessing',
      consumers: ['warehouse-sink'],
    });
    expect(Object.isFrozen(TOPICS.gpsDropped)).toBe(true);
    expect(SERVICES['gps-preprocessing'].outputs).toEqual([TOPICS.gpsClean, TOPICS.gpsDropped]);
    expect(allTopics()).toContain(TOPICS.gpsDropped);
  });

  it('lists every topic a service produces among its outputs, and every input among its consumers', () => {
    for (const service of Object.values(SERVICES)) {
      for (const output of service.outputs) expect(output.producer, `${service.name} → ${output.name}`).toBe(service.name);
      for (const input of service.inputs) expect(input.consumers, `${input.name} → ${service.name}`).toContain(service.name);
    }
    for (const topic of Object.values(TOPICS)) {
      if (topic.producer !== 'cdc') expect(SERVICES[topic.producer].outputs, topic.name).toContain(topic);
    }
  });
});
