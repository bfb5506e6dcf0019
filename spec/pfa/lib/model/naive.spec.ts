import { describe, expect, it } from 'vitest';
import { errorOf, scorer } from './_pfa.js';

const input = (fields: [string, unknown][]) => ({ type: 'record', name: 'Input', fields: fields.map(([name, type]) => ({ name, type })) });
const gaussLog = (x: number, mean: number, variance: number) => -0.5 * Math.log(2 * Math.PI * variance) - (x - mean) ** 2 / (2 * variance);

describe('model.naive.gaussian', () => {
  const stats = {
    type: 'record',
    name: 'Stats',
    fields: [
      { name: 'mean', type: 'double' },
      { name: 'variance', type: 'double' },
    ],
  };
  const dense = scorer({
    input: input([
      ['datum', { type: 'array', items: 'double' }],
      ['model', { type: 'array', items: stats }],
    ]),
    output: 'double',
    action: { 'model.naive.gaussian': ['input.datum', 'input.model'] },
  });
  const sparse = scorer({
    input: input([
      ['datum', { type: 'map', values: 'double' }],
      ['model', { type: 'map', values: stats }],
    ]),
    output: 'double',
    action: { 'model.naive.gaussian': ['input.datum', 'input.model'] },
  });

  it('sums Gaussian log-densities per feature', () => {
    const expected = gaussLog(1, 0, 1) + gaussLog(2, 3, 4);
    expect(
      dense({
        datum: [1, 2],
        model: [
          { mean: 0, variance: 1 },
          { mean: 3, variance: 4 },
        ],
      }),
    ).toBeCloseTo(expected, 12);
    expect(sparse({ datum: { b: 2, a: 1 }, model: { a: { mean: 0, variance: 1 }, b: { mean: 3, variance: 4 } } })).toBeCloseTo(
      expected,
      12,
    );
  });

  it('checks alignment and variances', () => {
    expect(errorOf(dense, { datum: [1], model: [] })).toBe(10000);
    expect(errorOf(sparse, { datum: { a: 1 }, model: { b: { mean: 0, variance: 1 } } })).toBe(10000);
    expect(errorOf(dense, { datum: [1], model: [{ mean: 0, variance: 0 }] })).toBe(10001);
  });
});

describe('model.naive.multinomial', () => {
  const dense = scorer({
    input: input([
      ['datum', { type: 'array', items: 'double' }],
      ['model', { type: 'array', items: 'double' }],
    ]),
    output: 'double',
    action: { 'model.naive.multinomial': ['input.datum', 'input.model'] },
  });
  const histogram = scorer({
    input: input([
      ['datum', { type: 'map', values: 'double' }],
      ['model', { type: 'record', name: 'Counts', fields: [{ name: 'values', type: { type: 'map', values: 'double' } }] }],
    ]),
    output: 'double',
    action: { 'model.naive.multinomial': ['input.datum', 'input.model'] },
  });

  it('normalises the class likelihoods', () => {
    const expected = 2 * Math.log(0.25) + 1 * Math.log(0.75);
    expect(dense({ datum: [2, 1], model: [1, 3] })).toBeCloseTo(expected, 12);
    expect(histogram({ datum: { a: 2, b: 1 }, model: { values: { a: 1, b: 3 } } })).toBeCloseTo(expected, 12);
  });

  it('checks the model before the alignment', () => {
    expect(errorOf(dense, { datum: [1], model: [] })).toBe(10011);
    expect(errorOf(dense, { datum: [1, 2], model: [1, 0] })).toBe(10011);
    expect(errorOf(dense, { datum: [1, 2], model: [1, 'NaN'] })).toBe(10011);
    expect(errorOf(dense, { datum: [1], model: [1, 2] })).toBe(10010);
    expect(errorOf(histogram, { datum: { a: 1 }, model: { values: { b: 1 } } })).toBe(10010);
  });
});

describe('model.naive.bernoulli', () => {
  const f = scorer({
    input: input([
      ['datum', { type: 'array', items: 'string' }],
      ['model', { type: 'map', values: 'double' }],
    ]),
    output: 'double',
    action: { 'model.naive.bernoulli': ['input.datum', 'input.model'] },
  });

  it('scores present and absent features', () => {
    const model = { a: 0.2, b: 0.6 };
    expect(f({ datum: ['a', 'zzz'], model })).toBeCloseTo(Math.log(0.2) + Math.log(0.4), 12);
    expect(f({ datum: [], model })).toBeCloseTo(Math.log(0.8) + Math.log(0.4), 12);
    expect(errorOf(f, { datum: [], model: { a: 1 } })).toBe(10020);
    expect(errorOf(f, { datum: [], model: { a: 0 } })).toBe(10020);
  });
});
