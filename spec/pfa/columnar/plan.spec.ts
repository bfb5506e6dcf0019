import { describe, expect, it } from 'vitest';
import { loadPfa } from '../../../src/index.js';
import { ARRAY, LAYER, linearModel } from '../../helpers/model-types.js';

const SCALAR_MODEL = linearModel('scalar');
const VECTOR_MODEL = linearModel('vector', 'V');

const scalarCell = { model: { type: SCALAR_MODEL, init: { coeff: [1, 2, 3], const: 0.5 } } };
const vectorCell = {
  model: {
    type: VECTOR_MODEL,
    init: {
      coeff: [
        [1, 2, 3],
        [0, -1, 1],
      ],
      const: [0, 1],
    },
  },
};
const layersCell = {
  layers: {
    type: { type: 'array', items: LAYER },
    init: [
      {
        weights: [
          [1, 0, 1],
          [0.5, 0.5, 0.5],
        ],
        bias: [0, 1],
      },
      { weights: [[1, -1]], bias: [0] },
    ],
  },
};
const linear = { 'model.reg.linear': ['input', { cell: 'model' }] };

describe('columnar plans', () => {
  it('linear and logistic regressions, softmax and logistic neural networks over constant models have one', () => {
    const columnar = [
      { input: ARRAY, output: 'double', cells: scalarCell, action: linear },
      { input: ARRAY, output: 'double', cells: scalarCell, action: { 'm.link.logit': linear } },
      { input: ARRAY, output: ARRAY, cells: vectorCell, action: linear },
      { input: ARRAY, output: ARRAY, cells: vectorCell, action: { 'm.link.softmax': linear } },
      { input: ARRAY, output: ARRAY, cells: vectorCell, action: { 'm.link.logit': linear } },
      {
        input: ARRAY,
        output: ARRAY,
        cells: layersCell,
        action: { 'model.neural.simpleLayers': ['input', { cell: 'layers' }, { fcn: 'm.link.logit' }] },
      },
      {
        input: ARRAY,
        output: ARRAY,
        cells: { ...layersCell, model: { type: VECTOR_MODEL, init: { coeff: [[1], [2]], const: [0, 1] } } },
        action: {
          'm.link.softmax': {
            'model.reg.linear': [
              { 'model.neural.simpleLayers': ['input', { cell: 'layers' }, { fcn: 'm.link.logit' }] },
              { cell: 'model' },
            ],
          },
        },
      },
    ];
    for (const doc of columnar) {
      expect(loadPfa(doc).columnar).toBe(true);
      expect(loadPfa(doc, { backend: 'closures' }).columnar).toBe(false);
    }
  });

  it('anything else has none: written cells, other activations, other methods, records, several expressions, misaligned models', () => {
    const none = [
      {
        input: ARRAY,
        output: 'double',
        cells: scalarCell,
        action: linear,
        end: [{ cell: 'model', to: { params: [{ m: 'M' }], ret: 'M', do: 'm' } }],
      },
      {
        input: ARRAY,
        output: ARRAY,
        cells: layersCell,
        action: { 'model.neural.simpleLayers': ['input', { cell: 'layers' }, { fcn: 'm.link.relu' }] },
      },
      { input: ARRAY, output: 'double', method: 'emit', cells: scalarCell, action: { emit: linear } },
      { input: ARRAY, output: 'double', cells: scalarCell, action: { '+': [1, linear] } },
      {
        input: ARRAY,
        output: 'double',
        cells: { model: { type: SCALAR_MODEL, init: { coeff: [1, 2, 3], const: 0.5 } } },
        action: { 'model.reg.linear': [{ 'a.subseq': ['input', 0, 3] }, { cell: 'model' }] },
      },
      {
        input: ARRAY,
        output: ARRAY,
        cells: {
          model: {
            type: VECTOR_MODEL,
            init: {
              coeff: [
                [1, 2, 3],
                [0, 1],
              ],
              const: [0, 1],
            },
          },
        },
        action: linear,
      },
      { input: { type: 'record', name: 'R', fields: [{ name: 'x', type: 'double' }] }, output: 'double', action: 'input.x' },
    ];
    for (const doc of none) expect(loadPfa(doc).columnar).toBe(false);
  });
});
