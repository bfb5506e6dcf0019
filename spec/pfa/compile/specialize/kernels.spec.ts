import { describe, expect, it } from 'vitest';
import { expectBackendsAgree, specializedCalls } from './_backends.js';
import { ARRAY, LAYER, linearModel } from '../../../helpers/model-types.js';

const vectors = (n: number) => [
  ...Array.from({ length: 50 }, (_, i) => Array.from({ length: n }, (_, j) => Math.sin(i * 31 + j * 7))),
  Array(n).fill(NaN),
  Array(n + 1).fill(1),
  [],
];

describe('specialised linear, neural and cluster kernels', () => {
  it('model.reg.linear with constant coefficients, scalar and vector, linked or not; misaligned data raise 31000', () => {
    const scalar = linearModel('scalar');
    const vector = linearModel('vector');
    const linear = { 'model.reg.linear': ['input', { cell: 'model' }] };
    const docs = [
      {
        input: ARRAY,
        output: 'double',
        cells: { model: { type: scalar, init: { coeff: [0.5, -1.25, 3, -0, 1e-9], const: -2 } } },
        action: linear,
      },
      {
        input: ARRAY,
        output: 'double',
        cells: { model: { type: scalar, init: { coeff: [0.5, -1.25, 3, 2, 1], const: 0.1 } } },
        action: { 'm.link.logit': linear },
      },
      {
        input: ARRAY,
        output: ARRAY,
        cells: {
          model: {
            type: vector,
            init: {
              coeff: [
                [1, 2, 3, 4, 5],
                [-1, 0, 0.5, 0.25, 2],
              ],
              const: [0, 1],
            },
          },
        },
        action: { 'm.link.softmax': linear },
      },
    ];
    for (const doc of docs) {
      expect(specializedCalls(doc)).toContain('model.reg.linear');
      const out = expectBackendsAgree(doc, vectors(5));
      expect(out.at(-2)).toEqual({ error: 31000 });
    }
  });

  it('model.neural.simpleLayers with constant layers and an activation function', () => {
    const layer = LAYER;
    const init = [
      {
        weights: [
          [0.1, 0.2, -0.3],
          [0.5, -0.5, 1],
        ],
        bias: [0, 0.1],
      },
      { weights: [[1, -1]], bias: [0.5] },
    ];
    for (const activation of [{ fcn: 'm.link.logit' }, { params: [{ v: 'double' }], ret: 'double', do: { max: ['v', 0.0] } }]) {
      const doc = {
        input: ARRAY,
        output: ARRAY,
        cells: { layers: { type: { type: 'array', items: layer }, init } },
        action: { 'model.neural.simpleLayers': ['input', { cell: 'layers' }, activation] },
      };
      expect(specializedCalls(doc)).toEqual(['model.neural.simpleLayers']);
      const out = expectBackendsAgree(doc, vectors(3));
      expect(out.at(-2)).toEqual({ error: 11001 });
    }
  });

  it('model.cluster.closest over constant clusters, ties and NaN as the generic ranking', () => {
    const cluster = {
      type: 'record',
      name: 'C',
      fields: [
        { name: 'center', type: ARRAY },
        { name: 'id', type: 'string' },
      ],
    };
    const init = [
      { center: [0, 0, 0], id: 'a' },
      { center: [1, 1, 1], id: 'b' },
      { center: [1, 1, 1], id: 'tie' },
      { center: [-1, 0.5, 0], id: 'c' },
    ];
    const doc = {
      input: ARRAY,
      output: 'string',
      cells: { clusters: { type: { type: 'array', items: cluster }, init } },
      action: { attr: { 'model.cluster.closest': ['input', { cell: 'clusters' }] }, path: [{ string: 'id' }] },
    };
    expect(specializedCalls(doc)).toEqual(['model.cluster.closest']);
    const out = expectBackendsAgree(doc, [...vectors(3), [1, 1, 1], [5, 5]]);
    expect(out.at(-2)).toEqual({ value: 'b' });
  });
});
