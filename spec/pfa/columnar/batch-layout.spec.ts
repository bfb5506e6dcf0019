import { describe, expect, it } from 'vitest';
import { T } from '../../../src/avro/types.js';
import { loadPfa } from '../../../src/index.js';
import { batchLayout, type AffineStep, type Plan } from '../../../src/pfa/columnar/plan.js';
import type { ColumnarStep } from '../../../src/pfa/kernel/lower-columns.js';

const affine = (inputs: number, outputs: number): AffineStep => ({
  op: 'affine',
  inputs,
  outputs,
  weights: Array.from({ length: outputs }, () => new Array<number>(inputs).fill(0.5)),
  constants: new Array<number>(outputs).fill(1),
});
const plan = (width: number, steps: Plan['steps'], outputs = 1): Plan => ({
  width,
  steps,
  outputs,
  result: outputs === 1 ? 'scalar' : 'vector',
  input: T.array(T.double),
});
// batchLayout counts these steps; their functions are never called.
const logistic: ColumnarStep = { op: 'link', link: 'logistic', f: (x) => 1 / (1 + Math.exp(-x)) };
const softmax: ColumnarStep = { op: 'softmax', values: (x) => [...x] };

describe('batchLayout', () => {
  it('keeps a plain linear regression row-major at every width: one weight per element read does not pay for the fill', () => {
    for (const width of [1, 10, 100, 1000, 10000]) expect(batchLayout(plan(width, [affine(width, 1)]))).toBe('rows');
  });

  it('sends plans with exponentials or several weights per element to the columns', () => {
    expect(batchLayout(plan(10, [affine(10, 1), logistic]))).toBe('columns');
    expect(batchLayout(plan(100, [affine(100, 10), softmax], 10))).toBe('columns');
    expect(batchLayout(plan(20, [affine(20, 32), logistic, affine(32, 16), logistic, affine(16, 3)], 3))).toBe('columns');
  });

  it('keeps a wide logistic regression row-major: one exponential is small beside the fill of a thousand elements', () => {
    expect(batchLayout(plan(1000, [affine(1000, 1), logistic]))).toBe('rows');
  });
});

describe('scoreBatch over arrays, either layout', () => {
  const linear = (width: number, link?: 'm.link.logit') => {
    const reg = { 'model.reg.linear': ['input', { cell: 'model' }] };
    return {
      input: { type: 'array', items: 'double' },
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
          init: { coeff: Array.from({ length: width }, (_, j) => Math.sin(j + 1)), const: 0.125 },
        },
      },
      action: link ? { [link]: reg } : reg,
    };
  };
  const rows = (count: number, width: number) =>
    Array.from({ length: count }, (_, i) => Array.from({ length: width }, (_, j) => Math.cos(i * 31 + j) * 3));

  for (const [name, doc, width] of [
    ['row-major linear-50', linear(50), 50],
    ['columnar logistic-10', linear(10, 'm.link.logit'), 10],
  ] as const) {
    it(`${name}: the same results as action, and a bad input raises action's error`, () => {
      const engine = loadPfa(doc);
      const closures = loadPfa(doc, { backend: 'closures' });
      for (const count of [0, 1, 9, 300]) {
        const xs = rows(count, width);
        expect(engine.scoreBatch(xs)).toEqual(xs.map((x) => closures.action(x)));
      }
      expect(() => engine.scoreBatch([...rows(3, width), [1, 2]])).toThrow(expect.objectContaining({ code: 31000 }));
    });
  }
});
