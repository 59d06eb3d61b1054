/**
 * Simulated participants as the change-data-capture source delivers them on raw.sensor and
 * raw.gps (schemas/raw.*.avsc: row id, ISO-8601 time), under participant ids of the benchmark's
 * own, so a run never mixes with rows already in the stack.
 */
import { defaultSimulationParams, simulate, type GpsRecord, type SensorRecord, type SimulationParams } from '../../cli/src/simulator/index.js';

export interface RawRecords {
  readonly participants: readonly string[];
  readonly sensor: Record<string, unknown>[];
  readonly gps: Record<string, unknown>[];
}

export interface SimulatedLoad {
  readonly participants: number;
  readonly days: number;
  readonly gpsRateHz: number;
  readonly seed: number;
}

export function simulationParams(load: SimulatedLoad): SimulationParams {
  return { ...defaultSimulationParams, participants: load.participants, days: load.days, gpsRateHz: load.gpsRateHz, seed: load.seed };
}

/** `sim-001` → `<prefix>-001`. */
export const benchParticipantId = (prefix: string, simulatorId: string) => `${prefix}-${simulatorId.replace(/^sim-/, '')}`;

/** A simulated sensor minute as raw.sensor carries it (row `id`, ISO-8601 time). */
export function rawSensorValue(id: number, participant: string, r: SensorRecord): Record<string, unknown> {
  return {
    id,
    participant_virtual_id: participant,
    kit_id: r.kitId,
    time: new Date(r.timeMs).toISOString(),
    pm1: r.pm1,
    pm25: r.pm25,
    pm10: r.pm10,
    no2: r.no2,
    bc: r.bc,
    temperature: r.temperature,
    humidity: r.humidity,
    activity: r.activity,
    event: r.event,
  };
}

/** A simulated GPS fix as raw.gps carries it (row `id`, ISO-8601 time). */
export function rawGpsValue(id: number, participant: string, r: GpsRecord): Record<string, unknown> {
  return { id, participant_virtual_id: participant, tablet_id: r.tabletId, time: new Date(r.timeMs).toISOString(), lat: r.lat, lon: r.lon };
}

export function simulatedRawRecords(load: SimulatedLoad, participantPrefix: string): RawRecords {
  const sensor: Record<string, unknown>[] = [];
  const gps: Record<string, unknown>[] = [];
  const participants = new Set<string>();
  let id = 1;
  for (const chunk of simulate(simulationParams(load))) {
    const participant = benchParticipantId(participantPrefix, chunk.participant.id);
    participants.add(participant);
    for (const r of chunk.sensor) sensor.push(rawSensorValue(id++, participant, r));
    for (const r of chunk.gps) gps.push(rawGpsValue(id++, participant, r));
  }
  return { participants: [...participants], sensor, gps };
}
