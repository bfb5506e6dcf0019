import { describe, expect, it } from 'vitest';
import { T } from '../../../src/avro/types.js';
import { loadPfa } from '../../../src/index.js';
import { errorCode, implFor } from './_direct-call.js';

const nullableInt = T.union([T.int, T.null]);

describe('impute nulls', () => {
  it('errorOnNull passes values and rejects null', () => {
    const f = implFor('impute.errorOnNull', [nullableInt]);
    expect(f(0)).toBe(0);
    expect(errorCode(() => f(null))).toBe(21000);
  });

  it('defaultOnNull replaces only null', () => {
    const f = implFor('impute.defaultOnNull', [nullableInt, T.int]);
    expect(f(null, 7)).toBe(7);
    expect(f(0, 7)).toBe(0);
    const arrays = implFor('impute.defaultOnNull', [T.union([T.array(T.string), T.null]), T.array(T.string)]);
    expect(arrays([], ['x'])).toEqual([]);
  });
});

describe('impute non-numbers', () => {
  const cases = [0, -1.5, 1e308, NaN, Infinity, -Infinity];

  it('isnan, isinf and isnum (float and double)', () => {
    for (const sigIndex of [0, 1]) {
      const t = sigIndex === 0 ? T.float : T.double;
      expect(cases.map(implFor('impute.isnan', [t], sigIndex))).toEqual([false, false, false, true, false, false]);
      expect(cases.map(implFor('impute.isinf', [t], sigIndex))).toEqual([false, false, false, false, true, true]);
      expect(cases.map(implFor('impute.isnum', [t], sigIndex))).toEqual([true, true, true, false, false, false]);
    }
  });

  it('errorOnNonNum raises one code per kind of non-number', () => {
    const f = implFor('impute.errorOnNonNum', [T.double], 1);
    expect(f(-2.5)).toBe(-2.5);
    expect(errorCode(() => f(NaN))).toBe(21050);
    expect(errorCode(() => f(Infinity))).toBe(21051);
    expect(errorCode(() => f(-Infinity))).toBe(21052);
  });

  it('defaultOnNonNum replaces NaN and infinities', () => {
    const f = implFor('impute.defaultOnNonNum', [T.double, T.double], 1);
    expect(cases.map((x) => f(x, 42))).toEqual([0, -1.5, 1e308, 42, 42, 42]);
  });
});

describe('impute through the engine', () => {
  it('defaultOnNull on a nullable input', () => {
    const action = { 'impute.defaultOnNull': ['input', { string: 'none' }] };
    const e = loadPfa({ input: ['null', 'string'], output: 'string', action });
    expect(e.action(null)).toBe('none');
    expect(e.action('x')).toBe('x');
  });

  it('errorOnNonNum on floats', () => {
    const e = loadPfa({ input: 'float', output: 'float', action: { 'impute.errorOnNonNum': ['input'] } });
    expect(e.action(Math.fround(0.1))).toBe(Math.fround(0.1));
    expect(errorCode(() => e.action(-Infinity))).toBe(21052);
  });
});
