/**
 * PFA namespace `interp`: histogram bins and table look-ups. Tables are arrays of records with
 * fields `x` and `to`; ties between entries go to the first one in the table, as in Titus.
 */
import { INT_MAX, INT_MIN } from '../../avro/values.js';
import { runtimeError } from '../../errors.js';
import { defineLibrary, type CallSite } from './define.js';

interface Entry<X = number, To = unknown> {
  readonly x: X;
  readonly to: To;
}

// ---------------------------------------------------------------- bin

function binByCount(x: number, numbins: number, low: number, high: number): number {
  if (!(low < high)) throw runtimeError(22000, 'bad histogram range', 'interp.bin');
  if (numbins < 1) throw runtimeError(22001, 'bad histogram scale', 'interp.bin');
  if (!(x >= low && x < high)) throw runtimeError(22002, 'x out of range', 'interp.bin');
  const bin = Math.floor(numbins * ((x - low) / (high - low)));
  // Rounding can land a value just below `high` in bin `numbins`.
  if (!(bin >= 0 && bin < numbins)) throw runtimeError(22002, 'x out of range', 'interp.bin');
  return bin;
}

function binByWidth(x: number, origin: number, width: number): number {
  if (!Number.isFinite(origin)) throw runtimeError(22000, 'bad histogram range', 'interp.bin');
  if (!(width > 0)) throw runtimeError(22001, 'bad histogram scale', 'interp.bin');
  if (!Number.isFinite(x)) throw runtimeError(22002, 'x out of range', 'interp.bin');
  const bin = Math.floor((x - origin) / width);
  // The result is an int: a bin index beyond its range is out of range too.
  if (!(bin >= INT_MIN && bin <= INT_MAX)) throw runtimeError(22002, 'x out of range', 'interp.bin');
  return bin;
}

// ---------------------------------------------------------------- nearest

/**
 * The `to` of the entry at the smallest distance: the first of equals, and, as in Titus, a NaN
 * distance neither replaces the best so far nor is replaced once it is the best.
 */
function nearestTo<X>(table: readonly Entry<X>[], distance: (x: X) => number): unknown {
  if (table.length === 0) throw runtimeError(22010, 'table must have at least one entry', 'interp.nearest');
  let best = table[0]!;
  let bestD = distance(best.x);
  for (let i = 1; i < table.length; i++) {
    const d = distance(table[i]!.x);
    if (d < bestD) {
      best = table[i]!;
      bestD = d;
    }
  }
  return best.to;
}

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
}

function nearest(site: CallSite) {
  switch (site.sigIndex) {
    case 0:
      return (x: number, table: Entry[]) => nearestTo(table, (tx) => Math.abs(x - tx));
    case 1:
      return (x: number[], table: Entry<number[]>[]) => {
        // Every entry must match, not only the ones compared before the nearest.
        if (table.some((e) => e.x.length !== x.length)) throw runtimeError(22011, 'inconsistent dimensionality', 'interp.nearest');
        return nearestTo(table, (tx) => squaredDistance(x, tx));
      };
    default:
      return (x: unknown, table: Entry<unknown>[], metric: (a: unknown, b: unknown) => number) => nearestTo(table, (tx) => metric(x, tx));
  }
}

// ---------------------------------------------------------------- linear

interface Bracket {
  readonly one: Entry;
  readonly two: Entry;
  /** Whether `one` and `two` lie on either side of x (else x is beyond the table or on its end). */
  readonly between: boolean;
}

/**
 * The nearest entries at or below and above x; failing one of them, the two nearest entries at
 * distinct distances (Titus's `Linear.closest`, whose fallback is what extrapolates).
 */
function bracket(x: number, table: readonly Entry[], code: number, name: string): Bracket {
  let below: Entry | undefined;
  let above: Entry | undefined;
  for (const e of table) {
    if (e.x <= x && (below === undefined || x - e.x < x - below.x)) below = e;
    if (x < e.x && (above === undefined || e.x - x < above.x - x)) above = e;
  }
  if (below && above) return { one: below, two: above, between: true };

  let one: Entry | undefined;
  let two: Entry | undefined;
  let oneD = NaN;
  let twoD = NaN;
  for (const e of table) {
    const d = Math.abs(x - e.x);
    if (one === undefined || d < oneD) {
      [two, twoD] = [one, oneD];
      [one, oneD] = [e, d];
    } else if ((two === undefined || d < twoD) && d !== oneD) {
      [two, twoD] = [e, d];
    }
  }
  if (!one || !two) throw runtimeError(code, 'table must have at least two distinct x values', name);
  return { one, two, between: false };
}

function unitless(x: number, { one, two }: Bracket): number {
  return (x - one.x) / (two.x - one.x);
}

function interpolateScalar(x: number, b: Bracket): number {
  const t = unitless(x, b);
  return (1 - t) * (b.one.to as number) + t * (b.two.to as number);
}

function interpolateVector(x: number, b: Bracket, code: number, name: string): number[] {
  const from = b.one.to as number[];
  const to = b.two.to as number[];
  if (from.length !== to.length) throw runtimeError(code, 'inconsistent dimensionality', name);
  const t = unitless(x, b);
  return from.map((y, i) => (1 - t) * y + t * to[i]!);
}

/** What the linear look-ups return for an x beyond the table. */
type Beyond = 'extrapolate' | 'flat' | 'missing';

/** interp.linear, linearFlat and linearMissing: signature 0 interpolates doubles, 1 arrays of doubles. */
function linear(beyond: Beyond, code: number, name: string) {
  return (site: CallSite) => {
    const interpolate = site.sigIndex === 0 ? interpolateScalar : (x: number, b: Bracket) => interpolateVector(x, b, code + 1, name);
    return (x: number, table: Entry[]) => {
      const b = bracket(x, table, code, name);
      if (!b.between && beyond === 'flat') return b.one.to;
      // An x on the table's end is inside it.
      if (!b.between && beyond === 'missing' && b.one.x !== x) return null;
      return interpolate(x, b);
    };
  };
}

const SCALAR_TABLE = 'table: array<record R {x: double, to: double}>';
const VECTOR_TABLE = 'table: array<record R {x: double, to: array<double>}>';

export default defineLibrary('interp', {
  bin: {
    sig: ['(x: double, numbins: int, low: double, high: double) -> int', '(x: double, origin: double, width: double) -> int'],
    errors: [22000, 22001, 22002],
    make: (site) => (site.sigIndex === 0 ? binByCount : binByWidth),
  },
  nearest: {
    sig: [
      '(x: double, table: array<record R {x: double, to: any T}>) -> T',
      '(x: array<double>, table: array<record R {x: array<double>, to: any T}>) -> T',
      '(x: any X1, table: array<record R {x: any X2, to: any T}>, metric: fn(X1, X2) -> double) -> T',
    ],
    errors: [22010, 22011],
    make: nearest,
  },
  linear: {
    sig: [`(x: double, ${SCALAR_TABLE}) -> double`, `(x: double, ${VECTOR_TABLE}) -> array<double>`],
    errors: [22020, 22021],
    make: linear('extrapolate', 22020, 'interp.linear'),
  },
  linearFlat: {
    sig: [`(x: double, ${SCALAR_TABLE}) -> double`, `(x: double, ${VECTOR_TABLE}) -> array<double>`],
    errors: [22030, 22031],
    make: linear('flat', 22030, 'interp.linearFlat'),
  },
  linearMissing: {
    sig: [`(x: double, ${SCALAR_TABLE}) -> union<null, double>`, `(x: double, ${VECTOR_TABLE}) -> union<null, array<double>>`],
    errors: [22040, 22041],
    make: linear('missing', 22040, 'interp.linearMissing'),
  },
});
