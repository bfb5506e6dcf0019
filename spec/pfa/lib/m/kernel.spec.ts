import { describe, expect, it } from 'vitest';
import { T } from '../../../../src/avro/types.js';
import { errorCode, implFor } from '../_direct-call.js';

const V = T.array(T.double);
const D = T.double;

describe('m.kernel', () => {
  const linear = implFor('m.kernel.linear', [V, V], 0, D);
  const rbf = implFor('m.kernel.rbf', [V, V, D], 0, D);
  const poly = implFor('m.kernel.poly', [V, V, D, D, D], 0, D);
  const sigmoid = implFor('m.kernel.sigmoid', [V, V, D, D], 0, D);

  it('linear is the dot product', () => {
    expect(linear([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(linear([], [])).toBe(0);
  });

  it('rbf is exp(-gamma |x - y|^2)', () => {
    expect(rbf([1, 2], [1, 2], 0.5)).toBe(1);
    expect(rbf([0, 0], [3, 4], 0.1)).toBeCloseTo(Math.exp(-2.5), 15);
  });

  it('poly is (gamma x.y + intercept)^degree', () => {
    expect(poly([1, 2], [3, 4], 2, 1, 2)).toBe(529);
    expect(poly([0], [0], 1, 0, -1)).toBe(Infinity);
  });

  it('sigmoid is tanh(gamma x.y + intercept)', () => {
    expect(sigmoid([1, 2], [3, 4], 0.1, -1.1)).toBeCloseTo(0, 15);
    expect(sigmoid([1], [1], 1, 1)).toBeCloseTo(Math.tanh(2), 15);
  });

  it('raise their codes when the lengths differ', () => {
    expect(errorCode(() => linear([1, 2, 3], [1, 2]))).toBe(23000);
    expect(errorCode(() => rbf([1], [], 1))).toBe(23010);
    expect(errorCode(() => poly([], [1], 1, 1, 1))).toBe(23020);
    expect(errorCode(() => sigmoid([1], [1, 2], 1, 1))).toBe(23030);
  });
});
