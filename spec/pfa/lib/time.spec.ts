import { describe, expect, it } from 'vitest';
import { registry } from '../../../src/pfa/lib/index.js';
import { loadPfa } from '../../../src/index.js';
import { errorCode as codeOf } from './_direct-call.js';

// Every time function is a plain `fn`: no call site needed.
const time = (name: string) => registry.get(`time.${name}`)!.def.fn!;

/** 2015-06-17 (a Wednesday) 14:35:27.25 UTC. */
const TS = Date.UTC(2015, 5, 17, 14, 35, 27, 250) / 1000;

describe('time field getters', () => {
  it('read calendar fields in UTC (empty zone) and in IANA zones', () => {
    expect(time('year')(TS, '')).toBe(2015);
    expect(time('monthOfYear')(TS, 'Etc/UTC')).toBe(6);
    expect(time('dayOfMonth')(TS, '')).toBe(17);
    expect(time('dayOfYear')(TS, '')).toBe(168);
    expect(time('dayOfWeek')(TS, '')).toBe(2);
    expect(time('hourOfDay')(TS, '')).toBe(14);
    expect(time('hourOfDay')(TS, 'America/Chicago')).toBe(9);
    expect(time('hourOfDay')(TS, 'Asia/Kolkata')).toBe(20);
    expect(time('minuteOfHour')(TS, 'Asia/Kolkata')).toBe(5);
    expect(time('secondOfMinute')(TS, '')).toBe(27);
  });

  it('place instants just before the epoch in the previous second and day', () => {
    expect(time('year')(-1e-5, '')).toBe(1969);
    expect(time('secondOfMinute')(-1e-5, '')).toBe(59);
    expect(time('year')(0, 'America/Chicago')).toBe(1969);
    expect(time('dayOfWeek')(0, '')).toBe(3);
  });

  it('accept the extreme timestamps and reject anything beyond, NaN included', () => {
    expect(time('year')(-62135596800, '')).toBe(1);
    expect(time('year')(253402300799, '')).toBe(9999);
    for (const ts of [-62135596801, 253402300800, NaN, Infinity]) expect(codeOf(() => time('year')(ts, ''))).toBe(40001);
    expect(codeOf(() => time('secondOfMinute')(NaN, 'where/ever'))).toBe(40071);
  });

  it("reject unknown zones with each function's own code", () => {
    const codes: Record<string, number> = {
      year: 40000,
      monthOfYear: 40010,
      dayOfYear: 40020,
      dayOfMonth: 40030,
      dayOfWeek: 40040,
      hourOfDay: 40050,
      minuteOfHour: 40060,
      secondOfMinute: 40070,
      isWeekend: 40160,
      isWorkHours: 40170,
    };
    for (const [name, code] of Object.entries(codes)) expect(codeOf(() => time(name)(TS, 'where/ever'))).toBe(code);
  });

  it('follow the IANA zone rules for far-future instants too (daylight time in June 2300)', () => {
    const june2300 = Date.UTC(2300, 5, 1, 12) / 1000;
    expect(time('hourOfDay')(june2300, 'America/Chicago')).toBe(7);
    expect(time('hourOfDay')(Date.UTC(2030, 5, 1, 12) / 1000, 'America/Chicago')).toBe(7);
  });
});

describe('time.makeTimestamp', () => {
  const make = time('makeTimestamp');

  it('converts local wall time to seconds since the epoch', () => {
    expect(make(1970, 1, 1, 0, 0, 0, 0, '')).toBe(0);
    expect(make(1970, 1, 1, 0, 0, 0, 999, 'America/Chicago')).toBe(21600.999);
    expect(make(2015, 6, 17, 14, 35, 27, 250, 'Etc/UTC')).toBe(TS);
    expect(make(1, 1, 1, 0, 0, 0, 0, '')).toBe(-62135596800);
    expect(make(2016, 2, 29, 0, 0, 0, 0, '')).toBe(Date.UTC(2016, 1, 29) / 1000);
  });

  it('resolves the repeated hour to standard time and moves skipped times forward', () => {
    expect(make(2015, 11, 1, 1, 30, 0, 0, 'America/Chicago')).toBe(Date.UTC(2015, 10, 1, 7, 30) / 1000);
    expect(make(2015, 3, 8, 2, 30, 0, 0, 'America/Chicago')).toBe(Date.UTC(2015, 2, 8, 8, 30) / 1000);
  });

  it('uses the IANA zone rules for far-future years', () => {
    expect(make(2300, 6, 1, 0, 0, 0, 0, 'America/Chicago') - make(2300, 6, 1, 0, 0, 0, 0, '')).toBe(18000);
    expect(make(2016, 6, 1, 0, 0, 0, 0, 'America/Chicago') - make(2016, 6, 1, 0, 0, 0, 0, '')).toBe(18000);
  });

  it('rejects impossible fields and unknown zones', () => {
    const bad = [
      [0, 1, 1, 0, 0, 0, 0],
      [10000, 1, 1, 0, 0, 0, 0],
      [2015, 13, 1, 0, 0, 0, 0],
      [2015, 11, 31, 0, 0, 0, 0],
      [2015, 2, 29, 0, 0, 0, 0],
      [2015, 1, 1, 24, 0, 0, 0],
      [2015, 1, 1, 0, 60, 0, 0],
      [2015, 1, 1, 0, 0, -1, 0],
      [2015, 1, 1, 0, 0, 0, 1000],
    ];
    for (const f of bad) expect(codeOf(() => make(...f, ''))).toBe(40081);
    expect(codeOf(() => make(2015, 13, 1, 0, 0, 0, 0, 'where/ever'))).toBe(40080);
  });
});

describe('time range predicates', () => {
  it('test whether a field lies in [low, high)', () => {
    expect(time('isSecondOfMinute')(TS, '', 27, 28)).toBe(true);
    expect(time('isSecondOfMinute')(TS, '', 20, 27)).toBe(false);
    expect(time('isMinuteOfHour')(TS, '', 30, 40)).toBe(true);
    expect(time('isHourOfDay')(TS, 'America/Chicago', 9, 17)).toBe(true);
    expect(time('isDayOfWeek')(TS, '', 0, 5)).toBe(true);
    expect(time('isDayOfMonth')(TS, '', 1, 17)).toBe(false);
    expect(time('isMonthOfYear')(TS, '', 6, 7)).toBe(true);
    expect(time('isDayOfYear')(TS, '', 168, 169)).toBe(true);
    expect(time('isHourOfDay')(TS, '', NaN, 24)).toBe(false);
  });

  it('check the range, then the timestamp, then the zone', () => {
    expect(codeOf(() => time('isSecondOfMinute')(NaN, 'where/ever', 5, 5))).toBe(40090);
    expect(codeOf(() => time('isMinuteOfHour')(NaN, 'where/ever', 0, 5))).toBe(40102);
    expect(codeOf(() => time('isHourOfDay')(TS, 'where/ever', 0, 5))).toBe(40111);
    expect(codeOf(() => time('isDayOfWeek')(TS, '', 3, 2))).toBe(40120);
    expect(codeOf(() => time('isDayOfMonth')(1e300, '', 0, 2))).toBe(40132);
    expect(codeOf(() => time('isMonthOfYear')(TS, 'nowhere', 0, 2))).toBe(40141);
    expect(codeOf(() => time('isDayOfYear')(TS, '', 2, 2))).toBe(40150);
  });

  it('isWeekend and isWorkHours follow local time', () => {
    const saturdayNoon = Date.UTC(2015, 5, 20, 12) / 1000;
    expect(time('isWeekend')(saturdayNoon, '')).toBe(true);
    expect(time('isWeekend')(TS, '')).toBe(false);
    expect(time('isWeekend')(Date.UTC(2015, 5, 22, 2) / 1000, 'America/Chicago')).toBe(true);
    expect(time('isWorkHours')(TS, '')).toBe(true);
    expect(time('isWorkHours')(TS, 'Asia/Kolkata')).toBe(false);
    expect(time('isWorkHours')(saturdayNoon, '')).toBe(false);
  });
});

describe('time in a PFA document', () => {
  it('reads fields and builds timestamps', () => {
    const e = loadPfa({
      input: 'double',
      output: 'int',
      action: { 'time.hourOfDay': ['input', { string: 'America/Chicago' }] },
    });
    expect(e.action(TS)).toBe(9);
    expect(codeOf(() => e.action(NaN))).toBe(40051);
    const make = loadPfa({
      input: 'int',
      output: 'double',
      action: { 'time.makeTimestamp': ['input', 1, 1, 0, 0, 0, 0, { string: '' }] },
    });
    expect(make.action(1970)).toBe(0);
    expect(codeOf(() => make.action(0))).toBe(40081);
  });
});
