import { describe, expect, it } from 'vitest';
import { simulationCsvTexts } from './csv.js';
import { distanceM, type LatLon } from './geo.js';
import { defaultParticipantParams, createParticipant } from './participants.js';
import { defaultSimulationParams, type SimulationParams } from './params.js';
import { Random } from './random.js';
import { noRoutineSettings, parisEntryFraction, planDay, type PlannedLeg } from './routine.js';
import { defaultSettingValues, settingsFromNames } from './settings.js';
import { simulate } from './simulate.js';

const VERSAILLES: LatLon = { lat: 48.8049, lon: 2.1204 };
const CHATELET: LatLon = { lat: 48.8584, lon: 2.347 };
const MONTREUIL: LatLon = { lat: 48.8638, lon: 2.4485 };

const person = (over: Partial<ReturnType<typeof createParticipant>>) => ({ ...createParticipant(0, defaultParticipantParams, new Random(3)), ...over });
const speedMps = (leg: PlannedLeg) => {
  let m = 0;
  for (let i = 1; i < leg.path.length; i++) m += distanceM(leg.path[i - 1]!, leg.path[i]!);
  return m / ((leg.endMin - leg.startMin) * 60);
};
const monday = { weekday: 1, workFromHome: false };

describe('parisEntryFraction', () => {
  it('is 0 from inside Paris, about two thirds of the way from Versailles to Châtelet, 1 when the line never enters', () => {
    expect(parisEntryFraction(CHATELET, VERSAILLES)).toBe(0);
    const f = parisEntryFraction(VERSAILLES, CHATELET);
    expect(f).toBeGreaterThan(0.4);
    expect(f).toBeLessThan(0.8);
    expect(parisEntryFraction(VERSAILLES, { lat: 48.7, lon: 2.1 })).toBe(1);
  });
});

describe('routine settings', () => {
  it('roads: a long car commute takes a motorway at motorway speed between two street legs', () => {
    const p = person({ home: VERSAILLES, office: CHATELET, commuteMode: 'Voiture', carOwner: true });
    const legs = planDay(p, monday, new Random(5), { ...noRoutineSettings, roads: defaultSettingValues.roads });
    const cars = legs.filter((l) => l.label === 'Voiture');
    expect(cars.length).toBeGreaterThanOrEqual(6); // three legs each way
    const fast = cars.filter((l) => l.motion === defaultSettingValues.roads.motorway.free || l.motion === defaultSettingValues.roads.motorway.congested);
    expect(fast).toHaveLength(2);
    const free = fast.filter((l) => l.motion === defaultSettingValues.roads.motorway.free);
    for (const l of free) expect(speedMps(l)).toBeGreaterThan(20);
    // Without the setting, the same person drives at street speed all the way.
    const plain = planDay(p, monday, new Random(5)).filter((l) => l.label === 'Voiture');
    expect(plain.length).toBeGreaterThanOrEqual(2);
    for (const l of plain) {
      expect(l.motion).toBeUndefined();
      expect(speedMps(l)).toBeLessThan(13);
    }
  });

  it('rail: a Métro commuter from the inner suburbs rides the RER, underground in Paris with the Métro\u2019s air', () => {
    const p = person({ home: MONTREUIL, office: VERSAILLES, commuteMode: 'Métro' });
    const rail = { ...defaultSettingValues.rail, rerShare: 1 };
    const legs = planDay(p, monday, new Random(5), { ...noRoutineSettings, rail });
    const trains = legs.filter((l) => l.label === 'Train');
    expect(trains.length).toBeGreaterThanOrEqual(2);
    expect(legs.some((l) => l.label === 'Métro')).toBe(false);
    const under = trains.filter((l) => l.underground === true);
    expect(under.length).toBeGreaterThanOrEqual(2);
    for (const l of under) expect(l.air).toBe('Métro');
    expect(trains.some((l) => l.motion === rail.rerSurface)).toBe(true);
  });

  it('summer: holidays are planned as weekend days (no office)', () => {
    const p = person({});
    const legs = planDay(p, { weekday: 2, workFromHome: true, holiday: true }, new Random(9), { ...noRoutineSettings, summer: defaultSettingValues.summer });
    expect(legs.some((l) => l.label === 'Bureau')).toBe(false);
    expect(legs[0]!.endMin).toBeGreaterThanOrEqual(9 * 60);
  });
});

describe('simulate with settings', () => {
  const base: SimulationParams = { ...defaultSimulationParams, participants: 2, days: 2, seed: 7, gpsRateHz: 0.05 };
  const plain = simulationCsvTexts(simulate(base));

  it('kit bias and lag change the sensor file only: same truth, same GPS', () => {
    for (const names of [['kit-bias'], ['sensor-lag'], ['kit-bias', 'sensor-lag']]) {
      const texts = simulationCsvTexts(simulate({ ...base, settings: settingsFromNames(names) }));
      expect(texts.sensor).not.toBe(plain.sensor);
      expect(texts.truthMinutes).toBe(plain.truthMinutes);
      expect(texts.gps).toBe(plain.gps);
    }
  });

  it('daily background changes the sensor file and is the same for two participants on a date', () => {
    const texts = simulationCsvTexts(simulate({ ...base, settings: settingsFromNames(['daily-background']) }));
    expect(texts.sensor).not.toBe(plain.sensor);
    expect(texts.truthMinutes).toBe(plain.truthMinutes);
  });

  it('every setting together still gives the same bytes for the same seed', () => {
    const all = { ...base, startDate: '2026-07-03', settings: settingsFromNames(['kit-bias', 'sensor-lag', 'daily-background', 'summer', 'roads', 'rail']) };
    expect(simulationCsvTexts(simulate(all))).toEqual(simulationCsvTexts(simulate(all)));
  });
});
