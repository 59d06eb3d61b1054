import { describe, expect, it } from 'vitest';
import { defaultSettingValues, insideParis, noSimulatorSettings, settingsFromNames } from './settings.js';

describe('settingsFromNames', () => {
  it('switches on the named settings with their default values, leaves the others off', () => {
    const s = settingsFromNames(['kit-bias', 'rail']);
    expect(s.kitBias).toEqual(defaultSettingValues.kitBias);
    expect(s.rail).toEqual(defaultSettingValues.rail);
    expect(s.sensorLag).toBeNull();
    expect(s.summer).toBeNull();
    expect(settingsFromNames([])).toEqual(noSimulatorSettings);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => settingsFromNames(['kit'])).toThrow(/unknown setting "kit"; known: kit-bias, sensor-lag/);
  });
});

describe('insideParis', () => {
  it('tells Châtelet from Versailles and Saint-Denis', () => {
    expect(insideParis({ lat: 48.8584, lon: 2.347 })).toBe(true);
    expect(insideParis({ lat: 48.8049, lon: 2.1204 })).toBe(false);
    expect(insideParis({ lat: 48.9362, lon: 2.3574 })).toBe(false);
  });
});
