import { describe, expect, it } from 'vitest';
import { registry } from '../../../src/pfa/lib/index.js';
import { loadPfa } from '../../../src/index.js';
import { errorCode as codeOf } from './_direct-call.js';

// Every metric function is a plain `fn`: no call site needed.
const metric = (name: string) => registry.get(`metric.${name}`)!.def.fn!;

const absDiff = metric('absDiff') as (x: number, y: number) => number;

describe('metric similarity functions', () => {
  it('absDiff is |x - y|', () => {
    expect(absDiff(3, -1)).toBe(4);
    expect(absDiff(Infinity, Infinity)).toBeNaN();
  });

  it('gaussianSimilarity is exp(-ln 2 (x - y)^2 / sigma^2): 1/2 at one sigma', () => {
    const g = metric('gaussianSimilarity');
    expect(g(1, 1, 2)).toBe(1);
    expect(g(0, 2, 2)).toBeCloseTo(0.5);
    expect(g(0, 2, -2)).toBeCloseTo(0.5);
    expect(g(0, 0, 0)).toBeNaN();
  });
});

describe('metric.simpleEuclidean', () => {
  it('is the 2-norm of the difference', () => {
    expect(metric('simpleEuclidean')([0, 0], [3, 4])).toBe(5);
    expect(metric('simpleEuclidean')([], [])).toBe(0);
    expect(metric('simpleEuclidean')([Infinity, 0], [Infinity, 0])).toBeNaN();
  });

  it('rejects vectors of different dimension', () => {
    expect(codeOf(() => metric('simpleEuclidean')([1], []))).toBe(28000);
  });
});

describe('metrics with missing values', () => {
  const x = [0, 3, null, 1];
  const y = [4, 0, 5, null];

  it('combine component similarities', () => {
    expect(metric('euclidean')(absDiff, [0, 0], [3, 4])).toBe(5);
    expect(metric('squaredEuclidean')(absDiff, [0, 0], [3, 4])).toBe(25);
    expect(metric('taxicab')(absDiff, [0, 0], [3, 4])).toBe(7);
    expect(metric('chebyshev')(absDiff, [0, 0], [3, 4])).toBe(4);
    expect(metric('minkowski')(absDiff, [0, 0], [3, 4], 3)).toBeCloseTo(Math.cbrt(91));
    expect(metric('minkowski')(absDiff, [0, 0], [3, 4], Infinity)).toBe(4);
  });

  it('skip missing components and rescale by total weight over present weight', () => {
    // Present: components 0 and 1 (similarities 4 and 3); weights 1 each out of 4.
    expect(metric('taxicab')(absDiff, x, y)).toBe(14);
    expect(metric('squaredEuclidean')(absDiff, x, y)).toBe(50);
    expect(metric('euclidean')(absDiff, x, y)).toBeCloseTo(Math.sqrt(50));
    // Weights 1, 3 on the present ones and 2, 2 on the missing ones: factor 8 / 4.
    expect(metric('taxicab')(absDiff, x, y, [1, 3, 2, 2])).toBe(14);
    expect(metric('chebyshev')(absDiff, x, y, [2, 2, 0, 0])).toBe(4);
  });

  it('are NaN when every component is missing', () => {
    expect(metric('euclidean')(absDiff, [], [])).toBeNaN();
    expect(metric('taxicab')(absDiff, [null], [1])).toBeNaN();
    expect(metric('minkowski')(absDiff, [null], [null], 2, [0])).toBeNaN();
  });

  it('chebyshev starts from zero and ignores NaN similarities', () => {
    const neg = (a: unknown, b: unknown) => -Math.abs((a as number) - (b as number));
    expect(metric('chebyshev')(neg, [0, 0], [3, 4])).toBe(0);
    expect(metric('chebyshev')(() => NaN, [1], [2])).toBe(0);
  });

  it('pass generic components to the similarity function (euclidean)', () => {
    const lengths = (a: unknown, b: unknown) => (a as string[]).length + (b as { x: number }).x;
    expect(metric('euclidean')(lengths, [['a', 'b'], null], [{ x: 1 }, { x: 5 }])).toBeCloseTo(3 * Math.sqrt(2));
  });

  it('reject vectors or weights of different dimension', () => {
    expect(codeOf(() => metric('euclidean')(absDiff, [1], [1, 2]))).toBe(28030);
    expect(codeOf(() => metric('squaredEuclidean')(absDiff, [1], [1], [1, 1]))).toBe(28040);
    expect(codeOf(() => metric('chebyshev')(absDiff, [], [1]))).toBe(28050);
    expect(codeOf(() => metric('taxicab')(absDiff, [1], [1], []))).toBe(28060);
    expect(codeOf(() => metric('minkowski')(absDiff, [1], [], -1))).toBe(28070);
  });

  it('minkowski requires a positive p', () => {
    for (const p of [0, -1, -Infinity, NaN]) expect(codeOf(() => metric('minkowski')(absDiff, [1], [2], p))).toBe(28071);
  });
});

describe('binary similarities', () => {
  const x = [true, true, false, false, true];
  const y = [true, false, true, false, true];
  // a11 = 2, a10 = 1, a01 = 1, a00 = 1

  it('follow their formulas over the pair counts', () => {
    expect(metric('simpleMatching')(x, y)).toBeCloseTo(3 / 5);
    expect(metric('jaccard')(x, y)).toBeCloseTo(2 / 4);
    expect(metric('tanimoto')(x, y)).toBeCloseTo(3 / 7);
    expect(metric('binarySimilarity')(x, y, 1, 0, 0, 1, 1, 1, 1, 1)).toBeCloseTo(3 / 5);
    expect(metric('binarySimilarity')(x, y, 0, 0, 0, 1, 0, 1, 1, 1)).toBeCloseTo(2 / 4);
  });

  it('are NaN on empty vectors', () => {
    expect(metric('simpleMatching')([], [])).toBeNaN();
    expect(metric('jaccard')([false], [false])).toBeNaN();
  });

  it('reject vectors of different dimension', () => {
    expect(codeOf(() => metric('simpleMatching')([true], []))).toBe(28080);
    expect(codeOf(() => metric('jaccard')([true], []))).toBe(28090);
    expect(codeOf(() => metric('tanimoto')([], [true]))).toBe(28100);
    expect(codeOf(() => metric('binarySimilarity')([], [true], 1, 1, 1, 1, 1, 1, 1, 1))).toBe(28110);
  });
});

describe('metric in a PFA document', () => {
  it('uses a library similarity function over vectors with missing values', () => {
    const e = loadPfa({
      input: { type: 'array', items: ['null', 'double'] },
      output: 'double',
      action: {
        'metric.euclidean': [
          { fcn: 'metric.absDiff' },
          'input',
          { value: [{ double: 0 }, { double: 0 }, { double: 0 }], type: { type: 'array', items: ['null', 'double'] } },
        ],
      },
    });
    expect(e.action([3, 4, null])).toBeCloseTo(Math.sqrt(25 * 1.5));
  });

  it('raises the specification code from the document', () => {
    const e = loadPfa({
      input: { type: 'array', items: 'boolean' },
      output: 'double',
      action: { 'metric.jaccard': ['input', { value: [true], type: { type: 'array', items: 'boolean' } }] },
    });
    expect(codeOf(() => e.action([]))).toBe(28090);
  });
});
