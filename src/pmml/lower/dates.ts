/**
 * PMML's date and time data types, lowered to numbers (docs/pmml.md, "Dates and times").
 *
 * Every date or time value is a PFA double: the number the type's own definition gives.
 * - `dateDaysSince[Y]`: days since Y-01-01; `date` is held as days since 1970-01-01;
 * - `dateTimeSecondsSince[Y]`: seconds since Y-01-01T00:00:00; `dateTime` as seconds since 1970;
 * - `time` and `timeSeconds`: seconds since midnight.
 * So values of one type compare as numbers (predicates, Discretize, MapValues), and the *Since
 * types take part in arithmetic as the numbers they are.
 *
 * Input records give these fields as text (the input record's field is a string): ISO-8601
 * (`2020-01-31`, `2020-01-31T13:45:00`, `13:45:00`, seconds with an optional fraction, an optional
 * `Z`), or, for the *Since types and timeSeconds, the number itself. The text is parsed in PFA by one
 * user function per type (`parse.*`, `re.findgroupsfirst`, `time.makeTimestamp`), so the lowered
 * document stays standard PFA. Text that is neither raises a scoring error.
 *
 * The calendar is proleptic Gregorian in UTC (PMML dates carry no time zone); text parsing and the
 * time.* functions formatDatetime uses cover the years 1 to 9999.
 */
import type { XmlElement } from '../xml.js';
import { type LowerContext, parseNumber } from './context.js';
import { local, type Pfa, type Ref } from './builder.js';

export interface DateType {
  /** What the number counts: days or seconds since the epoch year, or seconds since midnight. */
  readonly unit: 'days' | 'seconds' | 'time';
  /** The epoch year (1970 for date and dateTime; unused for times). */
  readonly epoch: number;
  /** date, time and dateTime are written only as calendar text; the others also as numbers. */
  readonly calendar: boolean;
}

const SINCE = /^(dateDaysSince|dateTimeSecondsSince)\[?(0|1960|1970|1980)\]?$/;

/** The date or time type a PMML dataType names, or undefined for other types. */
export function dateType(dataType: string | undefined): DateType | undefined {
  switch (dataType) {
    case 'date':
      return { unit: 'days', epoch: 1970, calendar: true };
    case 'dateTime':
      return { unit: 'seconds', epoch: 1970, calendar: true };
    case 'time':
      return { unit: 'time', epoch: 1970, calendar: true };
    case 'timeSeconds':
      return { unit: 'time', epoch: 1970, calendar: false };
  }
  const m = SINCE.exec(dataType ?? '');
  return m ? { unit: m[1] === 'dateDaysSince' ? 'days' : 'seconds', epoch: Number(m[2]), calendar: false } : undefined;
}

export const isDateType = (dataType: string | undefined): boolean => dateType(dataType) !== undefined;

const DAY = 86400;

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (year 0 is 1 BC). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days from 1970-01-01 to January 1 of `year`. */
export const yearStart = (year: number): number => daysFromCivil(year, 1, 1);

// The ISO-8601 forms read, in JS (constants) and in PFA (input text): the same patterns.
const DATE = '([0-9]{4})-([0-9]{2})-([0-9]{2})';
const CLOCK = '([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\\.[0-9]+)?)';
const PATTERNS = {
  days: `^${DATE}$`,
  seconds: `^${DATE}[T ]${CLOCK}Z?$`,
  time: `^${CLOCK}$`,
} as const;
const NUMBER = '^[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$';
const FORMS = { days: 'YYYY-MM-DD', seconds: 'YYYY-MM-DDThh:mm:ss', time: 'hh:mm:ss' } as const;

const daysInMonth = (y: number, m: number): number => daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);

/** The value of date or time text for a type, or undefined when the text is not of its form. */
export function parseDateText(text: string, t: DateType): number | undefined {
  const s = text.trim();
  if (!t.calendar && new RegExp(NUMBER).test(s)) return Number(s);
  const g = new RegExp(PATTERNS[t.unit]).exec(s);
  if (!g) return undefined;
  const n = g.slice(1).map(Number);
  const clock = (h: number, mi: number, sec: number): number | undefined =>
    h < 24 && mi < 60 && sec < 60 ? h * 3600 + mi * 60 + sec : undefined;
  if (t.unit === 'time') return clock(n[0]!, n[1]!, n[2]!);
  const [y, m, d] = n as [number, number, number];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  const days = daysFromCivil(y, m, d) - yearStart(t.epoch);
  if (t.unit === 'days') return days;
  const secs = clock(n[3]!, n[4]!, n[5]!);
  return secs === undefined ? undefined : days * DAY + secs;
}

/** A number from PMML text for a field of `dataType`: date and time text for those types. */
export function fieldNumber(text: string, dataType: string | undefined): number | undefined {
  const t = dateType(dataType);
  return t ? parseDateText(text, t) : parseNumber(text);
}

/** A date or time constant, or a located error. */
export function dateConstant(ctx: LowerContext, el: XmlElement, text: string, t: DateType): number {
  return (
    parseDateText(text, t) ??
    ctx.fail(
      el,
      'pmml-bad-value',
      `not ${t.calendar ? 'an ISO-8601' : 'a number or an ISO-8601'} ${FORMS[t.unit]} value: ${JSON.stringify(text)}`,
    )
  );
}

/**
 * A PFA expression parsing the string `text` into the type's number: a user function per type,
 * defined in the document the first time it is needed.
 */
export function parseDateValue(ctx: LowerContext, t: DateType, text: Pfa): Pfa {
  const name = `pmmlDate_${t.unit}_${t.epoch}_${t.calendar ? 'text' : 'any'}`;
  if (!ctx.fcns[name]) ctx.fcns[name] = { params: [{ s: 'string' }], ret: 'double', do: parser(t) };
  return { [`u.${name}`]: [text] };
}

function parser(t: DateType): Pfa[] {
  const group = (i: number): Pfa => ({ attr: local('g'), path: [i] });
  const int = (i: number): Pfa => ({ 'parse.int': [group(i), 10] });
  const bad = { error: `not ${t.calendar ? 'an ISO-8601' : 'a number or an ISO-8601'} ${FORMS[t.unit]} value` };
  const clock = (first: number): Pfa[] => [
    { let: { h: int(first), mi: int(first + 1), sec: { 'parse.double': [group(first + 2)] } } },
    { if: { '||': [{ '>=': [local('h'), 24] }, { '||': [{ '>=': [local('mi'), 60] }, { '>=': [local('sec'), 60] }] }] }, then: bad },
  ];
  const body: Pfa[] = [
    { let: { g: { 're.findgroupsfirst': [local('s'), { string: PATTERNS[t.unit] }] } } },
    { if: { '==': [{ 'a.len': [local('g')] }, 0] }, then: bad },
  ];
  // time.makeTimestamp checks the month and day (February 30 is an error) and gives seconds since 1970.
  const midnight: Pfa = { 'time.makeTimestamp': [int(1), int(2), int(3), 0, 0, 0, 0, { string: '' }] };
  if (t.unit === 'time')
    body.push(...clock(1), { '+': [{ '+': [{ '*': [local('h'), 3600] }, { '*': [local('mi'), 60] }] }, local('sec')] });
  else if (t.unit === 'days') body.push({ '-': [{ '/': [midnight, DAY] }, yearStart(t.epoch)] });
  else
    body.push(...clock(4), {
      '+': [
        { '-': [midnight, yearStart(t.epoch) * DAY] },
        { '+': [{ '+': [{ '*': [local('h'), 3600] }, { '*': [local('mi'), 60] }] }, local('sec')] },
      ],
    });
  if (t.calendar) return body;
  return [
    {
      if: { '!=': [{ 're.index': [local('s'), { string: NUMBER }] }, { type: { type: 'array', items: 'int' }, value: [] }] },
      then: { 'parse.double': [local('s')] },
      else: { do: body },
    },
  ];
}

/** Seconds since 1970-01-01T00:00:00 of a present value `v` of a date or time type (a time is on 1970-01-01). */
export function timestamp(t: DateType, v: Pfa): Pfa {
  if (t.unit === 'time') return v;
  if (t.unit === 'days') return { '*': [{ '+': [v, yearStart(t.epoch)] }, DAY] };
  return t.epoch === 1970 ? v : { '+': [v, yearStart(t.epoch) * DAY] };
}

/** Days since 1970-01-01 of a present date or date-time value (a date-time's day). */
function days1970(ctx: LowerContext, el: XmlElement, t: DateType, v: Pfa): Pfa {
  if (t.unit === 'days') return t.epoch === 1970 ? v : { '+': [v, yearStart(t.epoch)] };
  if (t.unit === 'seconds') return { 'm.floor': [{ '/': [timestamp(t, v), DAY] }] };
  return ctx.fail(el, 'pmml-invalid', 'a time has no date');
}

/** The remainder of a division by a day, in [0, 86400): the time of day of a timestamp. */
const timeOfDay = (ts: Pfa): Pfa => ({ '-': [ts, { '*': [{ 'm.floor': [{ '/': [ts, DAY] }] }, DAY] }] });

/**
 * A present value `v` of date type `from` as a value of date type `to`: the same instant counted
 * from the other epoch, in the other unit (a date-time's day, a date's midnight, a date-time's time
 * of day). A time has no date, so it converts only to another time.
 */
export function convertDate(ctx: LowerContext, el: XmlElement, from: DateType, to: DateType, v: Pfa): Pfa {
  if (to.unit === 'time') return from.unit === 'time' ? v : from.unit === 'days' ? 0.0 : timeOfDay(timestamp(from, v));
  if (from.unit === 'time') return ctx.fail(el, 'pmml-invalid', 'a time cannot be converted to a date');
  const shift = yearStart(from.epoch) - yearStart(to.epoch);
  if (to.unit === 'days') {
    if (from.unit === 'days') return shift === 0 ? v : { '+': [v, shift] };
    return { '+': [{ 'm.floor': [{ '/': [v, DAY] }] }, shift] };
  }
  const seconds = from.unit === 'days' ? { '*': [v, DAY] } : v;
  return shift === 0 ? seconds : { '+': [seconds, shift * DAY] };
}

/** Days from January 1 of `year` (a present double) to the date of a present value. */
export function daysSinceYear(ctx: LowerContext, el: XmlElement, t: DateType, v: Pfa, year: Pfa, constantYear: number | undefined): Pfa {
  return { '-': [days1970(ctx, el, t, v), yearStartOf(year, constantYear)] };
}

/** Seconds from January 1 of `year` to a present date or date-time value. */
export function secondsSinceYear(ctx: LowerContext, el: XmlElement, t: DateType, v: Pfa, year: Pfa, constantYear: number | undefined): Pfa {
  if (t.unit === 'time') return ctx.fail(el, 'pmml-invalid', 'a time has no date');
  return { '-': [timestamp(t, v), { '*': [yearStartOf(year, constantYear), DAY] }] };
}

/** Seconds since midnight of a present value (0 for a date). */
export function secondsSinceMidnight(t: DateType, v: Pfa): Pfa {
  return t.unit === 'time' ? v : t.unit === 'days' ? 0.0 : timeOfDay(timestamp(t, v));
}

/** Days from 1970 to January 1 of a year: folded when the year is a constant, else through time.makeTimestamp. */
function yearStartOf(year: Pfa, constantYear: number | undefined): Pfa {
  if (constantYear !== undefined) return yearStart(constantYear);
  return { '/': [{ 'time.makeTimestamp': [{ 'cast.int': [year] }, 1, 1, 0, 0, 0, 0, { string: '' }] }, DAY] };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * formatDatetime's pattern, strftime's conversions (which PMML names): %Y %y %m %d %e %H %I %M %S
 * %p %j %b %h %B %a %A and %%, in English; anything else is reported at load. `ts` is a timestamp
 * symbol (seconds since 1970, UTC).
 */
export function formatDatetime(ctx: LowerContext, el: XmlElement, pattern: string, ts: Ref): Pfa {
  const field = (fn: string): Pfa => ({ [`time.${fn}`]: [ts, { string: '' }] });
  const padded = (x: Pfa, width: number, zero = true): Pfa => ({ 's.int': [x, width, zero] });
  const name = (names: readonly string[], index: Pfa, abbreviated: boolean): Pfa => ({
    attr: { type: { type: 'array', items: 'string' }, value: names.map((n) => (abbreviated ? n.slice(0, 3) : n)) },
    path: [index],
  });
  const conversions: Record<string, () => Pfa> = {
    Y: () => ({ 's.int': [field('year')] }),
    y: () => padded({ '%': [field('year'), 100] }, 2),
    m: () => padded(field('monthOfYear'), 2),
    d: () => padded(field('dayOfMonth'), 2),
    e: () => padded(field('dayOfMonth'), 2, false),
    H: () => padded(field('hourOfDay'), 2),
    I: () => padded({ '+': [{ '%': [{ '+': [field('hourOfDay'), 11] }, 12] }, 1] }, 2),
    M: () => padded(field('minuteOfHour'), 2),
    S: () => padded(field('secondOfMinute'), 2),
    p: () => ({ if: { '<': [field('hourOfDay'), 12] }, then: { string: 'AM' }, else: { string: 'PM' } }),
    j: () => padded(field('dayOfYear'), 3),
    b: () => name(MONTHS, { '-': [field('monthOfYear'), 1] }, true),
    h: () => name(MONTHS, { '-': [field('monthOfYear'), 1] }, true),
    B: () => name(MONTHS, { '-': [field('monthOfYear'), 1] }, false),
    a: () => name(WEEKDAYS, field('dayOfWeek'), true),
    A: () => name(WEEKDAYS, field('dayOfWeek'), false),
  };
  const pieces: Pfa[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch !== '%') {
      literal += ch;
      continue;
    }
    const conv = pattern[++i];
    if (conv === '%') {
      literal += '%';
      continue;
    }
    const make = conv === undefined ? undefined : conversions[conv];
    if (!make) return ctx.unsupported(el, `formatDatetime conversion %${conv ?? ''}`);
    if (literal) pieces.push({ string: literal });
    literal = '';
    pieces.push(make());
  }
  if (literal || pieces.length === 0) pieces.push({ string: literal });
  return pieces.reduce((a, b) => ({ 's.concat': [a, b] }));
}

/** ISO-8601 text of a present value of a calendar type (what a date becomes as a string). */
export function isoText(ctx: LowerContext, el: XmlElement, t: DateType, v: Pfa): Pfa {
  const ts = ctx.symbol('ts');
  const pattern = t.unit === 'days' ? '%Y-%m-%d' : t.unit === 'seconds' ? '%Y-%m-%dT%H:%M:%S' : '%H:%M:%S';
  return { do: [{ let: { [ts]: timestamp(t, v) } }, formatDatetime(ctx, el, pattern, ts)] };
}
