import { describe, expect, it } from 'vitest';
import { applyTimeOfDayRules, defaultTimeOfDayRulesParams, localTime, parseBelowConfidence } from './time-of-day-rules.js';

const utc = (month: number, day: number, hour: number, minute = 0) => Date.UTC(2024, month - 1, day, hour, minute);
const rules = defaultTimeOfDayRulesParams;
/** A model confidence below the default threshold: the rules apply. */
const UNSURE = 0.4;

describe('applyTimeOfDayRules (Europe/Paris)', () => {
  it('turns weekday Domicile between 08:30 and 17:30 into Bureau', () => {
    // Tuesday 5 March 2024, CET = UTC+1.
    expect(applyTimeOfDayRules('Domicile', utc(3, 5, 7, 30), rules, UNSURE)).toEqual({ label: 'Bureau', rule: 'office-hours' }); // 08:30
    expect(applyTimeOfDayRules('Domicile', utc(3, 5, 16, 29), rules, UNSURE)).toEqual({ label: 'Bureau', rule: 'office-hours' }); // 17:29
    expect(applyTimeOfDayRules('Domicile', utc(3, 5, 7, 29), rules, UNSURE)).toEqual({ label: 'Domicile', rule: null }); // 08:29
    expect(applyTimeOfDayRules('Domicile', utc(3, 5, 16, 30), rules, UNSURE)).toEqual({ label: 'Domicile', rule: null }); // 17:30
  });

  it('turns Bureau before 08:00, from 17:30 or at the weekend into Domicile', () => {
    expect(applyTimeOfDayRules('Bureau', utc(3, 5, 6, 59), rules, UNSURE)).toEqual({ label: 'Domicile', rule: 'outside-office' }); // 07:59
    expect(applyTimeOfDayRules('Bureau', utc(3, 5, 7, 15), rules, UNSURE)).toEqual({ label: 'Bureau', rule: null }); // 08:15
    expect(applyTimeOfDayRules('Bureau', utc(3, 5, 16, 30), rules, UNSURE)).toEqual({ label: 'Domicile', rule: 'outside-office' }); // 17:30
    expect(applyTimeOfDayRules('Bureau', utc(3, 9, 10), rules, UNSURE)).toEqual({ label: 'Domicile', rule: 'outside-office' }); // Saturday 11:00
    expect(applyTimeOfDayRules('Domicile', utc(3, 9, 10), rules, UNSURE)).toEqual({ label: 'Domicile', rule: null });
  });

  it('turns anything between 01:00 and 05:00 into Domicile', () => {
    expect(applyTimeOfDayRules('Walk', utc(3, 5, 0, 0), rules, UNSURE)).toEqual({ label: 'Domicile', rule: 'night' }); // 01:00
    expect(applyTimeOfDayRules('Bureau', utc(3, 5, 3, 59), rules, UNSURE)).toEqual({ label: 'Domicile', rule: 'night' }); // 04:59
    expect(applyTimeOfDayRules('Walk', utc(3, 5, 4, 0), rules, UNSURE)).toEqual({ label: 'Walk', rule: null }); // 05:00
  });

  it('follows daylight saving time: the same UTC hour is 08:00 before and 09:00 after', () => {
    // Clocks go forward on Sunday 31 March 2024.
    expect(localTime(utc(3, 31, 0, 30), 'Europe/Paris')).toEqual({ weekday: 0, minuteOfDay: 90 });
    expect(localTime(utc(3, 31, 1, 30), 'Europe/Paris')).toEqual({ weekday: 0, minuteOfDay: 210 });
    expect(applyTimeOfDayRules('Domicile', utc(3, 25, 7), rules, UNSURE)).toEqual({ label: 'Domicile', rule: null }); // Mon 08:00 CET
    expect(applyTimeOfDayRules('Domicile', utc(4, 1, 7), rules, UNSURE)).toEqual({ label: 'Bureau', rule: 'office-hours' }); // Mon 09:00 CEST
  });

  it('uses the configured time zone and lets each rule be switched off', () => {
    const newYork = { ...defaultTimeOfDayRulesParams, timeZone: 'America/New_York' };
    // 22:00 UTC is 23:00 in Paris but 17:00 in New York.
    expect(applyTimeOfDayRules('Domicile', utc(3, 5, 22), rules, UNSURE)).toEqual({ label: 'Domicile', rule: null });
    expect(applyTimeOfDayRules('Domicile', utc(3, 5, 22), newYork, UNSURE)).toEqual({ label: 'Bureau', rule: 'office-hours' });
    const noOffice = { ...defaultTimeOfDayRulesParams, officeHours: { ...defaultTimeOfDayRulesParams.officeHours, enabled: false } };
    expect(applyTimeOfDayRules('Domicile', utc(3, 5, 9), noOffice, UNSURE)).toEqual({ label: 'Domicile', rule: null });
    const noNight = { ...defaultTimeOfDayRulesParams, night: { ...defaultTimeOfDayRulesParams.night, enabled: false } };
    expect(applyTimeOfDayRules('Walk', utc(3, 5, 1), noNight, UNSURE)).toEqual({ label: 'Walk', rule: null });
  });

  it('leaves a label the model is sure of, unless switched to apply always as the original', () => {
    const tuesday10h = utc(3, 5, 9);
    expect(applyTimeOfDayRules('Domicile', tuesday10h, rules, 0.59)).toEqual({ label: 'Bureau', rule: 'office-hours' });
    expect(applyTimeOfDayRules('Domicile', tuesday10h, rules, 0.6)).toEqual({ label: 'Domicile', rule: null });
    expect(applyTimeOfDayRules('Walk', utc(3, 5, 1), rules, 0.95)).toEqual({ label: 'Walk', rule: null });
    const always = { ...rules, belowConfidence: null };
    expect(applyTimeOfDayRules('Domicile', tuesday10h, always, 1)).toEqual({ label: 'Bureau', rule: 'office-hours' });
    expect(applyTimeOfDayRules('Walk', utc(3, 5, 1), always, 1)).toEqual({ label: 'Domicile', rule: 'night' });
  });
});

describe('parseBelowConfidence', () => {
  it('reads a confidence in 0..1 or "always", and names what it got otherwise', () => {
    expect(parseBelowConfidence('0.6')).toEqual({ ok: true, value: 0.6 });
    expect(parseBelowConfidence(' Always ')).toEqual({ ok: true, value: null });
    expect(parseBelowConfidence('1')).toEqual({ ok: true, value: 1 });
    expect(parseBelowConfidence('1.5')).toEqual({ ok: false, reason: 'expected a number in 0..1 or "always", got "1.5"' });
    expect(parseBelowConfidence('')).toMatchObject({ ok: false });
    expect(parseBelowConfidence('sometimes')).toMatchObject({ ok: false });
  });
});
