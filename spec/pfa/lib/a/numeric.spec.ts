import { describe, expect, it } from 'vitest';
import { T } from '../../../../src/avro/types.js';
import { errorCode, implFor } from '../_direct-call.js';

const of = (items: typeof T.int) => [T.array(items)];

describe('a.sum and a.product', () => {
  it('keep the item type', () => {
    expect(implFor('a.sum', of(T.int))([1, 2, 3])).toBe(6);
    expect(implFor('a.sum', of(T.long))([1n, 2n, 3n])).toBe(6n);
    expect(implFor('a.sum', of(T.double))([])).toBe(0);
    expect(implFor('a.sum', of(T.float))([0.1, 0.2].map(Math.fround))).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(implFor('a.product', of(T.int))([])).toBe(1);
    expect(implFor('a.product', of(T.long))([2n, -3n])).toBe(-6n);
    expect(implFor('a.product', of(T.double))([0.5, 4])).toBe(2);
  });

  it('check integer overflow on the final result only', () => {
    expect(errorCode(() => implFor('a.sum', of(T.int))([2 ** 30, 2 ** 30]))).toBe(15400);
    expect(implFor('a.sum', of(T.int))([2 ** 30, 2 ** 30, -(2 ** 30)])).toBe(2 ** 30);
    expect(implFor('a.sum', of(T.int))([-(2 ** 30), -(2 ** 30)])).toBe(-(2 ** 31));
    expect(errorCode(() => implFor('a.sum', of(T.long))([2n ** 62n, 2n ** 62n]))).toBe(15401);
    expect(errorCode(() => implFor('a.product', of(T.int))([65536, 32768]))).toBe(15410);
    expect(implFor('a.product', of(T.int))([65536, 65536, 0])).toBe(0);
    expect(implFor('a.product', of(T.int))([65536, -32768])).toBe(-(2 ** 31));
    expect(errorCode(() => implFor('a.product', of(T.long))([2n ** 32n, 2n ** 31n]))).toBe(15411);
  });
});

describe('a.lnsum, a.mean, a.geomean, a.logsumexp', () => {
  const call = (name: string, a: number[]) => implFor(name, of(T.double))(a);

  it('lnsum', () => {
    expect(call('a.lnsum', [])).toBe(0);
    expect(call('a.lnsum', [Math.E, Math.E])).toBeCloseTo(2);
    expect(call('a.lnsum', [1, 0])).toBe(-Infinity);
    expect(call('a.lnsum', [1, -1])).toBeNaN();
  });

  it('mean and geomean are NaN for an empty array', () => {
    expect(call('a.mean', [1, 2, 6])).toBe(3);
    expect(call('a.mean', [])).toBeNaN();
    expect(call('a.geomean', [2, 8])).toBeCloseTo(4);
    expect(call('a.geomean', [])).toBeNaN();
  });

  it('logsumexp is stable for large values', () => {
    expect(call('a.logsumexp', [1000, 1000])).toBeCloseTo(1000 + Math.LN2);
    expect(call('a.logsumexp', [0])).toBe(0);
    expect(call('a.logsumexp', [1e-5, 0.99999])).toBeCloseTo(1.3132570663859728, 12);
    expect(call('a.logsumexp', [])).toBeNaN();
  });
});
