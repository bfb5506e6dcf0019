import { describe, expect, it } from 'vitest';
import { T, type AvroType } from '../../../src/avro/types.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN } from '../../../src/avro/values.js';
import { errorCode, implFor } from './_direct-call.js';
import { loadPfa } from '../../../src/index.js';

const d = (name: string) => implFor(`m.${name}`, [T.double], 0, T.double);

describe('m constants', () => {
  it('pi and e', () => {
    expect(implFor('m.pi', [], 0, T.double)()).toBe(Math.PI);
    expect(implFor('m.e', [], 0, T.double)()).toBe(Math.E);
  });
});

describe('m.abs', () => {
  const abs = (t: AvroType) => implFor('m.abs', [t], 0, t);
  it('on every numeric type', () => {
    expect(abs(T.int)(-5)).toBe(5);
    expect(abs(T.long)(-5n)).toBe(5n);
    expect(abs(T.long)(LONG_MAX)).toBe(LONG_MAX);
    expect(abs(T.float)(Math.fround(-1.1))).toBe(Math.fround(1.1));
    expect(abs(T.double)(-Infinity)).toBe(Infinity);
    expect(abs(T.double)(NaN)).toBeNaN();
  });

  it('overflows on the most negative integers', () => {
    expect(errorCode(() => abs(T.int)(INT_MIN))).toBe(27020);
    expect(errorCode(() => abs(T.long)(LONG_MIN))).toBe(27021);
    expect(abs(T.int)(INT_MIN + 1)).toBe(INT_MAX);
  });
});

describe('m trigonometric and hyperbolic functions', () => {
  it('give IEEE results, NaN outside the domain', () => {
    expect(d('acos')(-1)).toBe(Math.PI);
    expect(d('acos')(1.00001)).toBeNaN();
    expect(d('asin')(1)).toBe(Math.PI / 2);
    expect(d('atan')(Infinity)).toBe(Math.PI / 2);
    expect(d('cos')(0)).toBe(1);
    expect(d('sin')(Infinity)).toBeNaN();
    expect(d('tan')(-Infinity)).toBeNaN();
    expect(d('cosh')(-Infinity)).toBe(Infinity);
    expect(d('sinh')(-Infinity)).toBe(-Infinity);
    expect(d('tanh')(100)).toBe(1);
  });

  it('atan2 takes y first', () => {
    const atan2 = implFor('m.atan2', [T.double, T.double], 0, T.double);
    expect(atan2(1, 0)).toBe(Math.PI / 2);
    expect(atan2(0, -Infinity)).toBe(Math.PI);
    expect(Object.is(atan2(-1, Infinity), -0)).toBe(true);
  });
});

describe('m exponentials and logarithms', () => {
  it('exp, expm1 keep precision near zero', () => {
    expect(d('exp')(-Infinity)).toBe(0);
    expect(d('expm1')(1e-10)).toBeCloseTo(1e-10, 20);
    expect(d('expm1')(-Infinity)).toBe(-1);
  });

  it('ln, log10 and ln1p are -Infinity at the domain edge and NaN beyond', () => {
    expect(d('ln')(0)).toBe(-Infinity);
    expect(d('ln')(-1e-5)).toBeNaN();
    expect(d('log10')(1000)).toBe(3);
    expect(d('ln1p')(-1)).toBe(-Infinity);
    expect(d('ln1p')(-1.00001)).toBeNaN();
    expect(d('ln1p')(1e-10)).toBeCloseTo(1e-10, 20);
  });

  it('log takes an int base', () => {
    const log = implFor('m.log', [T.double, T.int], 0, T.double);
    expect(log(8, 2)).toBeCloseTo(3, 14);
    expect(log(0, 10)).toBe(-Infinity);
    expect(log(-1, 10)).toBeNaN();
    expect([log(0.5, 1), log(1, 1), log(2, 1)]).toEqual([-Infinity, NaN, Infinity]);
    expect(errorCode(() => log(8, 0))).toBe(27170);
    expect(errorCode(() => log(8, -2))).toBe(27170);
  });

  it('sqrt and hypot', () => {
    expect(d('sqrt')(16)).toBe(4);
    expect(d('sqrt')(-1)).toBeNaN();
    const hypot = implFor('m.hypot', [T.double, T.double], 0, T.double);
    expect(hypot(3, 4)).toBe(5);
    expect(hypot(1e200, 1e200)).toBeCloseTo(Math.SQRT2 * 1e200, -190);
    expect(hypot(NaN, -Infinity)).toBe(Infinity);
    expect(hypot(NaN, 1)).toBeNaN();
  });
});

describe('m rounding', () => {
  it('floor and ceil', () => {
    expect(d('floor')(-0.5)).toBe(-1);
    expect(d('ceil')(-0.5)).toBe(-0);
    expect(d('ceil')(Infinity)).toBe(Infinity);
  });

  it('rint rounds half-way to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6].map(d('rint'))).toEqual([0, 2, 2, -0, -2, -2, 2, 3]);
    expect(d('rint')(2 ** 53 + 2)).toBe(2 ** 53 + 2);
    expect(d('rint')(NaN)).toBeNaN();
    expect(d('rint')(-Infinity)).toBe(-Infinity);
  });

  it('round is floor(x + 0.5): float to int, double to long', () => {
    const roundF = implFor('m.round', [T.float], 0, T.int);
    const roundD = implFor('m.round', [T.double], 1, T.long);
    expect([0.5, -0.5, -0.9, 2.5].map(roundF)).toEqual([1, 0, -1, 3]);
    expect(Object.is(roundF(-0.4), 0)).toBe(true);
    expect(roundD(-2.5)).toBe(-2n);
    expect(roundD(2 ** 62)).toBe(2n ** 62n);
    expect(roundD(-(2 ** 63))).toBe(LONG_MIN);
  });

  it('round overflows outside the integer range and on NaN', () => {
    const roundF = implFor('m.round', [T.float], 0, T.int);
    const roundD = implFor('m.round', [T.double], 1, T.long);
    expect(errorCode(() => roundF(2247483650))).toBe(27190);
    expect(errorCode(() => roundF(NaN))).toBe(27190);
    expect(errorCode(() => roundF(-Infinity))).toBe(27190);
    expect(errorCode(() => roundD(2 ** 63))).toBe(27191);
    expect(errorCode(() => roundD(NaN))).toBe(27191);
  });

  it('signum is an int, 0 for zeros and NaN', () => {
    const signum = implFor('m.signum', [T.double], 0, T.int);
    expect([-3, -0, 0, 2, -Infinity, NaN].map(signum)).toEqual([-1, 0, 0, 1, -1, 0]);
    expect(Object.is(signum(-0), 0)).toBe(true);
  });
});

describe('m.copysign', () => {
  const copysign = (t: AvroType) => implFor('m.copysign', [t, t], 0, t);
  it('takes the magnitude of one and the sign of the other', () => {
    expect(copysign(T.int)(5, -1)).toBe(-5);
    expect(copysign(T.int)(-5, 0)).toBe(5);
    expect(copysign(T.long)(-5n, 3n)).toBe(5n);
    expect(copysign(T.long)(5n, -3n)).toBe(-5n);
    expect(copysign(T.double)(2, -Infinity)).toBe(-2);
    expect(copysign(T.float)(Math.fround(-0.1), 1)).toBe(Math.fround(0.1));
  });

  it('gives a positive result for a zero or NaN sign, as the reference engines', () => {
    expect(copysign(T.double)(-2, -0)).toBe(2);
    expect(copysign(T.double)(-2, NaN)).toBe(2);
    expect(copysign(T.double)(-Infinity, NaN)).toBe(Infinity);
    expect(Object.is(copysign(T.double)(0, -1), -0)).toBe(true);
  });

  it('wraps the magnitude of the most negative integers, as Java', () => {
    expect(copysign(T.int)(INT_MIN, -1)).toBe(INT_MIN);
    expect(copysign(T.long)(LONG_MIN, -1n)).toBe(LONG_MIN);
  });
});

describe('m through the engine', () => {
  const run = (output: unknown, action: unknown) => loadPfa({ input: 'null', output, action: [action] }).action(null);

  it('m.round picks its signature from the argument type', () => {
    expect(run('long', { 'm.round': [2.5] })).toBe(3n);
    expect(run('int', { 'm.round': [{ float: 2.5 }] })).toBe(3);
  });

  it('int arguments promote to double', () => {
    expect(run('double', { 'm.sqrt': [16] })).toBe(4);
    expect(run('double', { 'm.log': [8, 2] })).toBeCloseTo(3, 14);
  });
});
