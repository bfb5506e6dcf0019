import { describe, expect, it } from 'vitest';
import { T } from '../../../../src/avro/types.js';
import { errorCode, implFor } from '../_direct-call.js';

const d = (name: string) => implFor(`m.special.${name}`, [T.double], 0, T.double);

describe('m.special.nChooseK', () => {
  const nChooseK = implFor('m.special.nChooseK', [T.int, T.int], 0, T.int);

  it('counts combinations exactly', () => {
    expect(nChooseK(10, 5)).toBe(252);
    expect(nChooseK(10, 9)).toBe(10);
    expect(nChooseK(2, 1)).toBe(2);
    expect(nChooseK(33, 16)).toBe(1166803110);
    expect(nChooseK(2 ** 30, 1)).toBe(2 ** 30);
  });

  it('raises 36000 unless 0 < k < n', () => {
    for (const [n, k] of [
      [10, 0],
      [10, -1],
      [10, 10],
      [5, 9],
      [0, 5],
    ]) {
      expect(errorCode(() => nChooseK(n, k))).toBe(36000);
    }
  });

  it('raises 36000 when the result does not fit an int', () => {
    expect(errorCode(() => nChooseK(34, 17))).toBe(36000);
    expect(errorCode(() => nChooseK(2 ** 31 - 1, 2 ** 30))).toBe(36000);
  });
});

describe('m.special.lnBeta', () => {
  const lnBeta = implFor('m.special.lnBeta', [T.double, T.double], 0, T.double);

  it('is ln Γ(a) + ln Γ(b) - ln Γ(a + b)', () => {
    expect(lnBeta(1, 1)).toBeCloseTo(0, 14);
    expect(lnBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 14);
    expect(lnBeta(0.5, 0.5)).toBeCloseTo(Math.log(Math.PI), 14);
  });

  it('raises 36010 for non-positive parameters; NaN and infinity pass through', () => {
    expect(errorCode(() => lnBeta(0, 1))).toBe(36010);
    expect(errorCode(() => lnBeta(1, -Infinity))).toBe(36010);
    expect(lnBeta(1, NaN)).toBeNaN();
    expect(lnBeta(1, Infinity)).toBeNaN();
  });
});

describe('m.special.erf and erfc', () => {
  it('erf', () => {
    expect(d('erf')(0)).toBe(0);
    expect(d('erf')(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(d('erf')(-1)).toBeCloseTo(-0.8427007929497149, 15);
    expect(d('erf')(Infinity)).toBe(1);
    expect(d('erf')(NaN)).toBeNaN();
  });

  it('erfc keeps precision in the far tail', () => {
    expect(d('erfc')(0)).toBe(1);
    expect(d('erfc')(17) / 1.0212280150942608e-127).toBeCloseTo(1, 12);
    expect(d('erfc')(-Infinity)).toBe(2);
    expect(d('erfc')(NaN)).toBeNaN();
  });
});

describe('m.special.lnGamma', () => {
  it('is the log of the gamma function', () => {
    expect(d('lnGamma')(1)).toBe(0);
    expect(d('lnGamma')(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 15);
    expect(d('lnGamma')(17)).toBeCloseTo(Math.log(20922789888000), 12);
    expect(d('lnGamma')(NaN)).toBeNaN();
    expect(d('lnGamma')(Infinity)).toBeNaN(); // as Titus
  });

  it('raises 36050 for x <= 0', () => {
    for (const x of [0, -0.5, -1, -Infinity]) expect(errorCode(() => d('lnGamma')(x))).toBe(36050);
  });
});
