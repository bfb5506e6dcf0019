import { describe, expect, it } from 'vitest';
import { loadPfa } from '../../../../src/index.js';
import { errorCode } from '../_direct-call.js';

/** Calls `stat.test.<name>` on the fields of an input record (Avro types in `fields`). */
function statTest(name: string, fields: Record<string, unknown>, output: unknown) {
  const e = loadPfa({
    input: { type: 'record', name: 'Args', fields: Object.entries(fields).map(([n, type]) => ({ name: n, type })) },
    output,
    action: { [`stat.test.${name}`]: Object.keys(fields).map((n) => `input.${n}`) },
  });
  return (args: Record<string, unknown>) => e.action(args);
}

const doubles = { type: 'array', items: 'double' };
const doubleMap = { type: 'map', values: 'double' };
const m = (o: Record<string, number>) => new Map(Object.entries(o));

describe('stat.test.residual and pull', () => {
  it('subtract (and divide) scalars', () => {
    expect(statTest('residual', { o: 'double', p: 'double' }, 'double')({ o: 3, p: 1.5 })).toBe(1.5);
    const pull = statTest('pull', { o: 'double', p: 'double', u: 'double' }, 'double');
    expect(pull({ o: 3, p: 1, u: 4 })).toBe(0.5);
    expect(pull({ o: 3, p: 1, u: 0 })).toBe(Infinity);
    expect(pull({ o: 1, p: 1, u: 0 })).toBeNaN();
  });

  it('work element-wise on arrays, checking lengths', () => {
    const residual = statTest('residual', { o: doubles, p: doubles }, doubles);
    expect(residual({ o: [1, 2], p: [0.5, 3] })).toEqual([0.5, -1]);
    expect(errorCode(() => residual({ o: [1, 2], p: [1] }))).toBe(38010);
    const pull = statTest('pull', { o: doubles, p: doubles, u: doubles }, doubles);
    expect(pull({ o: [1, 2], p: [0, 0], u: [2, 4] })).toEqual([0.5, 0.5]);
    expect(errorCode(() => pull({ o: [1, 2], p: [0], u: [1] }))).toBe(38020);
    expect(errorCode(() => pull({ o: [1, 2], p: [0, 0], u: [1] }))).toBe(38021);
  });

  it('work key by key on maps, checking the keys', () => {
    const residual = statTest('residual', { o: doubleMap, p: doubleMap }, doubleMap);
    expect(residual({ o: m({ a: 1, b: 2 }), p: m({ b: 1, a: 1 }) })).toEqual(m({ a: 0, b: 1 }));
    expect(errorCode(() => residual({ o: m({ a: 1 }), p: m({ b: 1 }) }))).toBe(38010);
    const pull = statTest('pull', { o: doubleMap, p: doubleMap, u: doubleMap }, doubleMap);
    expect(pull({ o: m({ a: 3 }), p: m({ a: 1 }), u: m({ a: 2 }) })).toEqual(m({ a: 1 }));
    expect(errorCode(() => pull({ o: m({ a: 3 }), p: m({ a: 1, b: 1 }), u: m({ a: 2 }) }))).toBe(38020);
    expect(errorCode(() => pull({ o: m({ a: 3 }), p: m({ a: 1 }), u: m({ b: 2 }) }))).toBe(38021);
  });
});

describe('stat.test.mahalanobis', () => {
  const byArrays = statTest('mahalanobis', { o: doubles, p: doubles, c: { type: 'array', items: doubles } }, 'double');
  const byMaps = statTest('mahalanobis', { o: doubleMap, p: doubleMap, c: { type: 'map', values: doubleMap } }, 'double');

  it('is the residual length in the metric of the inverse covariance', () => {
    expect(
      byArrays({
        o: [3, 4],
        p: [0, 0],
        c: [
          [1, 0],
          [0, 1],
        ],
      }),
    ).toBeCloseTo(5, 12);
    expect(
      byArrays({
        o: [2, 0],
        p: [0, 0],
        c: [
          [4, 0],
          [0, 1],
        ],
      }),
    ).toBeCloseTo(1, 12);
    expect(
      byArrays({
        o: [1, 2, 3],
        p: [2, -1, 0],
        c: [
          [0.16, 1.15, -0.23],
          [-0.27, 0.3, -0.24],
          [0.03, -1.66, -1.07],
        ],
      }),
    ).toBeCloseTo(0.143109, 6);
  });

  it('orders map entries by the observation keys', () => {
    const c = new Map([
      ['x', m({ x: 4, y: 0 })],
      ['y', m({ x: 0, y: 1 })],
    ]);
    expect(byMaps({ o: m({ y: 3, x: 2 }), p: m({ x: 0, y: 0 }), c })).toBeCloseTo(Math.sqrt(10), 12);
  });

  it('is NaN when the covariance is not positive definite', () => {
    expect(
      byArrays({
        o: [1, 0],
        p: [0, 0],
        c: [
          [-1, 0],
          [0, 1],
        ],
      }),
    ).toBeNaN();
  });

  it('raises its codes', () => {
    expect(errorCode(() => byArrays({ o: [], p: [], c: [] }))).toBe(38030);
    expect(errorCode(() => byArrays({ o: [1], p: [1, 2], c: [[1]] }))).toBe(38031);
    expect(errorCode(() => byArrays({ o: [1, 2], p: [1, 2], c: [[1, 0], [0]] }))).toBe(38032);
    expect(errorCode(() => byMaps({ o: new Map(), p: new Map(), c: new Map() }))).toBe(38030);
    expect(errorCode(() => byMaps({ o: m({ a: 1 }), p: m({ b: 1 }), c: new Map([['a', m({ a: 1 })]]) }))).toBe(38031);
    expect(errorCode(() => byMaps({ o: m({ a: 1 }), p: m({ a: 1 }), c: new Map([['a', m({ b: 1 })]]) }))).toBe(38032);
  });
});

describe('stat.test chi-square accumulation', () => {
  const State = {
    type: 'record',
    name: 'State',
    fields: [
      { name: 'chi2', type: 'double' },
      { name: 'dof', type: 'int' },
      { name: 'label', type: 'string' },
    ],
  };

  it('updateChi2 adds squared pulls and one degree of freedom per update, keeping other fields', () => {
    const state = { chi2: 1, dof: 2, label: 'run' };
    expect(statTest('updateChi2', { pull: 'double', state: State }, 'State')({ pull: 3, state })).toEqual({
      chi2: 10,
      dof: 3,
      label: 'run',
    });
    expect(statTest('updateChi2', { pull: doubles, state: State }, 'State')({ pull: [1, 2], state })).toEqual({
      chi2: 6,
      dof: 3,
      label: 'run',
    });
    expect(statTest('updateChi2', { pull: doubleMap, state: State }, 'State')({ pull: m({ a: 2 }), state })).toEqual({
      chi2: 5,
      dof: 3,
      label: 'run',
    });
    expect(state).toEqual({ chi2: 1, dof: 2, label: 'run' });
  });

  it('reducedChi2 divides by the degrees of freedom', () => {
    const reduced = statTest('reducedChi2', { state: State }, 'double');
    expect(reduced({ state: { chi2: 6, dof: 4, label: '' } })).toBe(1.5);
    expect(reduced({ state: { chi2: 0, dof: 0, label: '' } })).toBeNaN();
  });

  it('chi2Prob is the chi-square CDF', () => {
    const prob = statTest('chi2Prob', { state: State }, 'double');
    expect(prob({ state: { chi2: 3.841459, dof: 1, label: '' } })).toBeCloseTo(0.95, 6);
    expect(prob({ state: { chi2: Infinity, dof: 3, label: '' } })).toBe(1);
    expect(prob({ state: { chi2: NaN, dof: 3, label: '' } })).toBeNaN();
    expect([0, 1].map((chi2) => prob({ state: { chi2, dof: 0, label: '' } }))).toEqual([0, 1]);
    expect(errorCode(() => prob({ state: { chi2: 1, dof: -1, label: '' } }))).toBe(38060);
  });
});

describe('stat.test.kolmogorov', () => {
  const ks = statTest('kolmogorov', { x: doubles, y: doubles }, 'double');

  it('is 1 for identical samples (NaN ignored) and 0 against an empty one', () => {
    expect(ks({ x: [3, 1, 2, NaN], y: [1, 2, 3] })).toBe(1);
    expect(ks({ x: [], y: [] })).toBe(1);
    expect(ks({ x: [], y: [1] })).toBe(0);
  });

  it('gives the probability of a common parent distribution', () => {
    expect(
      ks({
        x: [0],
        y: [1, 1, 1.00001, -0.00001, -0.99999, -1, -1.00001, 17, -17, 100, -100, 0.1, 0.5, 0.9, -0.1, -0.5, -0.9, Infinity, -Infinity, NaN],
      }),
    ).toBeCloseTo(0.81402088, 6);
    const a = Array.from({ length: 50 }, (_, i) => i);
    expect(ks({ x: a, y: a.map((v) => v + 0.5) })).toBeGreaterThan(0.99);
    // Disjoint samples: tiny, and still a probability.
    const far = ks({ x: a, y: a.map((v) => v + 1000) });
    expect(far).toBeGreaterThanOrEqual(0);
    expect(far).toBeLessThan(1e-15);
  });
});
