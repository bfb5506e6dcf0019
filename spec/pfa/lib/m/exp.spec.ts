import { describe, expect, it } from 'vitest';
import { T } from '../../../../src/avro/types.js';
import { implFor } from '../_direct-call.js';
import { exp, expSlow } from '../../../../src/pfa/lib/m/_exp.js';

// Reference values: exp evaluated to 60 significant digits, then rounded to the nearest double.
// Each of these is one where V8's Math.exp returns the neighbouring double.
const ROUNDED: [number, number][] = [
  [-10, 4.5399929762484854e-5],
  [-2.9, 0.05502322005640723],
  [-1.2, 0.30119421191220214],
  [-0.93, 0.3945537103716011],
  [-0.6, 0.5488116360940264],
  [0.27, 1.3099644507332473],
  [0.93, 2.534509177617855],
  [1.7, 5.4739473917272],
  [2.89, 17.99330960155032],
  [0.2548664448111786, 1.2902892845359097],
  [-2.0861027667374015, 0.12417011396526313],
];

describe('correctly rounded exp', () => {
  it('gives the double nearest to exp(x)', () => {
    for (const [x, y] of ROUNDED) expect(exp(x)).toBe(y);
    expect(exp(1)).toBe(Math.E);
    expect(exp(-1.5)).toBe(0.22313016014842982);
  });

  it('rounds results in the subnormal range once, at their own precision', () => {
    expect(exp(-708.4470503964576)).toBe(2.1152187725536173e-308);
    expect(exp(-709.391670488092)).toBe(8.224547229639575e-309);
    expect(exp(-745.1332191019411)).toBe(5e-324);
    expect(exp(-745.1332191019412)).toBe(0);
    expect(exp(-1000)).toBe(0);
  });

  it('overflows only above ln(MAX_VALUE)', () => {
    expect(exp(709.782712893384)).toBe(1.7976931348622732e308);
    expect(exp(709.7827128933841)).toBe(Infinity);
    expect(exp(709.78)).toBeLessThan(Infinity);
    expect(exp(800)).toBe(Infinity);
  });

  it('is 1 next to zero and exact at the special values', () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(2 ** -54)).toBe(1);
    expect(exp(-(2 ** -54))).toBe(1);
    expect(exp(2 ** -53)).toBe(1 + 2 ** -52);
    expect(exp(-(2 ** -53))).toBe(1 - 2 ** -53);
    expect(exp(5e-324)).toBe(1);
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(NaN)).toBeNaN();
  });

  it('takes the fast path only where it rounds as the exact 256-bit computation does', () => {
    // A seeded spread over the whole fast range, and dense near 0 where r is a large part of x.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const xs = [...Array.from({ length: 8000 }, () => -707 + next() * 1416.79), ...Array.from({ length: 8000 }, () => (next() - 0.5) * 4)];
    expect(xs.filter((x) => exp(x) !== expSlow(x))).toEqual([]);
  });

  it('stays within one ULP of Math.exp and is monotonic over a sweep', () => {
    let previous = 0;
    for (let x = -700; x < 700; x += 0.137) {
      const y = exp(x);
      expect(y).toBeGreaterThanOrEqual(previous);
      const m = Math.exp(x);
      expect(Math.abs(y - m)).toBeLessThanOrEqual(Math.abs(m) * 2 ** -52);
      previous = y;
    }
  });

  it('is what m.exp and m.link.logit use', () => {
    expect(implFor('m.exp', [T.double], 0, T.double)(-0.6)).toBe(0.5488116360940264);
    // 1 / (1 + exp(-0.93)): with Math.exp's neighbouring value the quotient is 0.7170752854929725.
    expect(implFor('m.link.logit', [T.double], 0, T.double)(0.93)).toBe(0.7170752854929726);
  });
});
