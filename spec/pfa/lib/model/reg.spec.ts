import { describe, expect, it } from 'vitest';
import { T, type AvroType, type RecordType } from '../../../../src/avro/types.js';
import { errorCode, implFor } from '../_direct-call.js';
import { errorOf, scorer } from './_pfa.js';

const record = (name: string, fields: Record<string, AvroType>): RecordType => ({
  kind: 'record',
  fullName: name,
  name,
  fields: Object.entries(fields).map(([n, type]) => ({ name: n, type, hasDefault: false })),
});
const vec = T.array(T.double);
const mat = T.array(vec);
const svec = T.map(T.double);
const smat = T.map(svec);
const sparse = (o: Record<string, number>) => new Map(Object.entries(o));
const sparse2 = (o: Record<string, Record<string, number>>) => new Map(Object.entries(o).map(([k, v]) => [k, sparse(v)]));

describe('model.reg.linear', () => {
  const dense = scorer({
    input: { type: 'record', name: 'Input', fields: [{ name: 'datum', type: { type: 'array', items: 'double' } }] },
    output: 'double',
    cells: {
      model: {
        type: {
          type: 'record',
          name: 'M',
          fields: [
            { name: 'coeff', type: { type: 'array', items: 'double' } },
            { name: 'const', type: 'double' },
          ],
        },
        init: { coeff: [1, 2, 3], const: 10 },
      },
    },
    action: { 'model.reg.linear': ['input.datum', { cell: 'model' }] },
  });

  it('applies dense coefficients', () => {
    expect(dense({ datum: [1, 1, 1] })).toBe(16);
    expect(dense({ datum: [0.5, 0, -1] })).toBe(7.5);
    expect(errorOf(dense, { datum: [1, 1] })).toBe(31000);
  });

  it('applies a dense matrix, one row per output', () => {
    const f = implFor('model.reg.linear', [vec, record('M', { coeff: mat, const: vec })]);
    expect(
      f([1, 2], {
        coeff: [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
        const: [0, 10, 100],
      }),
    ).toEqual([1, 12, 103]);
    expect(f([], { coeff: [[], []], const: [4, 5] })).toEqual([4, 5]);
    expect(errorCode(() => f([1, 2], { coeff: [[1, 0]], const: [0, 1] }))).toBe(31001);
    expect(errorCode(() => f([1, 2], { coeff: [[1, 0, 0]], const: [0] }))).toBe(31000);
  });

  it('treats missing map entries as zero', () => {
    const f = implFor('model.reg.linear', [svec, record('M', { coeff: svec, const: T.double })]);
    expect(f(sparse({ a: 2, b: 3 }), { coeff: sparse({ a: 10, c: 100 }), const: 1 })).toBe(21);
    const g = implFor('model.reg.linear', [svec, record('M', { coeff: smat, const: svec })]);
    const out = g(sparse({ a: 2, b: 3 }), { coeff: sparse2({ p: { a: 1 }, q: { b: 1, c: 5 } }), const: sparse({ q: 0.5, r: 7 }) });
    expect(Object.fromEntries(out)).toEqual({ p: 2, q: 3.5, r: 7 });
  });
});

describe('model.reg.linearVariance', () => {
  it('propagates a dense covariance, with the constant term last', () => {
    const f = implFor('model.reg.linearVariance', [vec, record('M', { covar: mat })]);
    // x = [2, 1]: x^T C x with C = [[1, 0], [0, 4]] is 4 + 4
    expect(
      f([2], {
        covar: [
          [1, 0],
          [0, 4],
        ],
      }),
    ).toBe(8);
    expect(errorCode(() => f([2], { covar: [[1]] }))).toBe(31010);
    const g = implFor('model.reg.linearVariance', [vec, record('M', { covar: T.array(mat) })]);
    expect(
      g([2], {
        covar: [
          [
            [1, 0],
            [0, 4],
          ],
          [
            [0, 1],
            [1, 0],
          ],
        ],
      }),
    ).toEqual([8, 4]);
    expect(
      errorCode(() =>
        g([2], {
          covar: [
            [
              [1, 0],
              [0, 4],
            ],
            [[1]],
          ],
        }),
      ),
    ).toBe(31010);
  });

  it('propagates a sparse covariance, with the constant under the empty key', () => {
    const f = implFor('model.reg.linearVariance', [svec, record('M', { covar: smat })]);
    expect(f(sparse({ a: 2 }), { covar: sparse2({ a: { a: 1 }, '': { '': 4 } }) })).toBe(8);
    const g = implFor('model.reg.linearVariance', [svec, record('M', { covar: T.map(smat) })]);
    const out = g(sparse({ a: 2 }), {
      covar: new Map([
        ['y', sparse2({ a: { a: 1 }, '': { '': 4 } })],
        ['z', sparse2({ a: { '': 1 } })],
      ]),
    });
    expect(Object.fromEntries(out)).toEqual({ y: 8, z: 2 });
  });
});

describe('model.reg.gaussianProcess', () => {
  const row = (x: AvroType, to: AvroType, sigma?: AvroType) => T.array(record('R', sigma ? { x, to, sigma } : { x, to }));
  const rbf = (a: number[], b: number[]) => Math.exp(-a.reduce((s, ai, i) => s + (ai - b[i]!) ** 2, 0));
  const table = [0, 1, 2, 3, 4].map((x) => ({ x, to: Math.sin(x) }));

  it('interpolates its training points', () => {
    const f = implFor('model.reg.gaussianProcess', [
      T.double,
      row(T.double, T.double),
      T.union([T.null, T.double]),
      T.fcn([vec, vec], T.double),
    ]);
    for (const t of table) expect(f(t.x, table, null, rbf)).toBeCloseTo(t.to, 6);
    const between = f(1.5, table, null, rbf);
    expect(between).toBeGreaterThan(Math.min(Math.sin(1), Math.sin(2)) - 0.2);
    expect(between).toBeLessThan(1.2);
  });

  it('predicts vectors dimension by dimension and vector positions', () => {
    const f = implFor('model.reg.gaussianProcess', [vec, row(vec, vec), T.union([T.null, T.double]), T.fcn([vec, vec], T.double)]);
    const t2 = table.map((t) => ({ x: [t.x, t.x * t.x], to: [t.to, -t.to] }));
    const out = f([2, 4], t2, null, rbf) as number[];
    expect(out[0]).toBeCloseTo(Math.sin(2), 6);
    expect(out[1]).toBeCloseTo(-Math.sin(2), 6);
  });

  it('smooths with per-point uncertainties', () => {
    const f = implFor('model.reg.gaussianProcess', [
      T.double,
      row(T.double, T.double, T.double),
      T.union([T.null, T.double]),
      T.fcn([vec, vec], T.double),
    ]);
    const noisy = table.map((t) => ({ ...t, sigma: 0.5 }));
    expect(Math.abs(f(1, noisy, null, rbf) - Math.sin(1))).toBeGreaterThan(1e-3);
  });

  // Worked by hand. X = [0, 1, 2] normalises to [-a, 0, a] (a = sqrt(3/2)); the kernel is 1/2
  // between neighbours and 0 otherwise, so R = [[1, .5, 0], [.5, 1, .5], [0, .5, 1]] (the nugget of
  // ten machine epsilons aside) and R^-1 = [[1.5, -1, .5], [-1, 2, -1], [.5, -1, 1.5]], R^-1 1 = [1, 0, 1].
  // Predicting at x = 1.5 (normalised a/2) the kernel row is [0, .5, .5].
  // Output 0, to = [0, 0, 3]: mean 1, std sqrt(2), ynorm = [-1, -1, 2]/sqrt(2); universal Kriging
  //   beta0 = (1' R^-1 ynorm)/(1' R^-1 1) = (1/sqrt(2))/2; gamma = R^-1 (ynorm - beta0) = [0, -3, 3]/sqrt(2);
  //   ynorm(x) = beta0 + (-3 + 3)/(2 sqrt(2)) = beta0, so the prediction is 1 + sqrt(2) beta0 = 1.5.
  // Output 1, to = [0, 3, 0]: mean 1, std sqrt(2), ynorm = [-1, 2, -1]/sqrt(2). With the first output's
  //   weight beta0 (as the reference carries it over): gamma = R^-1 [-1.5, 1.5, -1.5]/sqrt(2) =
  //   [-4.5, 6, -4.5]/sqrt(2), ynorm(x) = (0.5 + 0.75)/sqrt(2), prediction 1 + 1.25 = 2.25. (Its own
  //   universal weight, -1/sqrt(2), would give 1.5.)
  // With a given weight 0: gammas R^-1 ynorm = [.5, -3, 3.5]/sqrt(2) and [-4, 6, -4]/sqrt(2), so the
  //   predictions are 1 + 0.25 = 1.25 and 1 + 1 = 2.
  describe('a hand-worked example with vector outputs', () => {
    const f = implFor('model.reg.gaussianProcess', [
      T.double,
      row(T.double, vec),
      T.union([T.null, T.double]),
      T.fcn([vec, vec], T.double),
    ]);
    const neighbours = (u: number[], v: number[]) => (Math.abs(u[0]! - v[0]!) < 1.5 ? 0.5 : 0);
    const data = [
      { x: 0, to: [0, 0] },
      { x: 1, to: [0, 3] },
      { x: 2, to: [3, 0] },
    ];

    it('fits the first output by universal Kriging and gives the others its weight', () => {
      const [first, second] = f(1.5, data, null, neighbours) as number[];
      expect(first).toBeCloseTo(1.5, 12);
      expect(second).toBeCloseTo(2.25, 12);
    });

    it('uses a given Kriging weight for every output', () => {
      const [first, second] = f(1.5, data, 0, neighbours) as number[];
      expect(first).toBeCloseTo(1.25, 12);
      expect(second).toBeCloseTo(2, 12);
    });
  });

  it('raises its errors in the reference order', () => {
    const scalar = implFor('model.reg.gaussianProcess', [
      T.double,
      row(T.double, T.double),
      T.union([T.null, T.double]),
      T.fcn([vec, vec], T.double),
    ]);
    const vector = implFor('model.reg.gaussianProcess', [vec, row(vec, vec), T.union([T.null, T.double]), T.fcn([vec, vec], T.double)]);
    expect(errorCode(() => scalar(0, [], null, rbf))).toBe(31080);
    expect(errorCode(() => vector([], [{ x: [1], to: [1] }], null, rbf))).toBe(31081);
    expect(errorCode(() => vector([1], [{ x: [1, 2], to: [1] }], null, rbf))).toBe(31082);
    expect(errorCode(() => vector([1], [{ x: [1], to: [] }], null, rbf))).toBe(31083);
    expect(
      errorCode(() =>
        vector(
          [1],
          [
            { x: [1], to: [1] },
            { x: [2], to: [1, 2] },
          ],
          null,
          rbf,
        ),
      ),
    ).toBe(31084);
    expect(errorCode(() => scalar(NaN, table, null, rbf))).toBe(31085);
    expect(errorCode(() => scalar(0, [{ x: 0, to: Infinity }], null, rbf))).toBe(31086);
    expect(errorCode(() => scalar(0, [{ x: NaN, to: 0 }], null, rbf))).toBe(31086);
    expect(errorCode(() => scalar(0, table, Infinity, rbf))).toBe(31087);
    // a constant kernel of 2 makes the off-diagonal exceed the diagonal
    expect(errorCode(() => scalar(0, table, null, () => 2))).toBe(31088);
  });
});

describe('deprecated model.reg functions', () => {
  it('residual and pull work element-wise and check alignment', () => {
    expect(implFor('model.reg.residual', [T.double, T.double])(5, 3)).toBe(2);
    expect(implFor('model.reg.residual', [vec, vec])([5, 1], [3, 1])).toEqual([2, 0]);
    expect(errorCode(() => implFor('model.reg.residual', [vec, vec])([5, 1], [3]))).toBe(31020);
    expect(Object.fromEntries(implFor('model.reg.residual', [svec, svec])(sparse({ a: 1 }), sparse({ a: 3 })))).toEqual({ a: -2 });
    expect(errorCode(() => implFor('model.reg.residual', [svec, svec])(sparse({ a: 1 }), sparse({ b: 3 })))).toBe(31020);
    const pull = implFor('model.reg.pull', [vec, vec, vec]);
    expect(pull([5, 1], [3, 1], [2, 4])).toEqual([1, 0]);
    expect(errorCode(() => pull([5, 1], [3], [2, 4]))).toBe(31030);
    expect(errorCode(() => pull([5, 1], [3, 1], [2]))).toBe(31031);
  });

  it('mahalanobis', () => {
    const f = implFor('model.reg.mahalanobis', [vec, vec, mat]);
    expect(
      f(
        [3, 4],
        [0, 0],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toBeCloseTo(5, 12);
    expect(
      f(
        [2, 0],
        [0, 0],
        [
          [4, 0],
          [0, 1],
        ],
      ),
    ).toBeCloseTo(1, 12);
    expect(errorCode(() => f([], [], []))).toBe(31040);
    expect(errorCode(() => f([1], [1, 2], [[1]]))).toBe(31041);
    expect(errorCode(() => f([1, 2], [1, 2], [[1]]))).toBe(31042);
    const g = implFor('model.reg.mahalanobis', [svec, svec, smat]);
    expect(g(sparse({ a: 3, b: 4 }), sparse({ a: 0, b: 0 }), sparse2({ a: { a: 1, b: 0 }, b: { a: 0, b: 1 } }))).toBeCloseTo(5, 12);
    expect(errorCode(() => g(sparse({ a: 3 }), sparse({ a: 0 }), sparse2({ b: { b: 1 } })))).toBe(31042);
  });

  it('chi-square state updates', () => {
    const state = record('A', { chi2: T.double, DOF: T.int });
    const before = { chi2: 1, DOF: 2 };
    expect(implFor('model.reg.updateChi2', [vec, state])([1, 2], before)).toEqual({ chi2: 6, DOF: 3 });
    expect(implFor('model.reg.updateChi2', [T.double, state])(3, before)).toEqual({ chi2: 10, DOF: 3 });
    expect(before).toEqual({ chi2: 1, DOF: 2 });
    expect(implFor('model.reg.reducedChi2', [state])({ chi2: 6, DOF: 3 })).toBe(2);
    // chi-square CDF with 2 degrees of freedom is 1 - exp(-x/2)
    expect(implFor('model.reg.chi2Prob', [state])({ chi2: 2, DOF: 2 })).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(errorCode(() => implFor('model.reg.chi2Prob', [state])({ chi2: 2, DOF: -1 }))).toBe(31070);
  });
});
