import { describe, expect, it } from 'vitest';
import { errorOf, scorer } from './_pfa.js';

const vec = { type: 'array', items: 'double' };
const sv = (name: string) => ({
  type: 'array',
  items: {
    type: 'record',
    name,
    fields: [
      { name: 'supVec', type: vec },
      { name: 'coeff', type: 'double' },
    ],
  },
});

describe('model.svm.score', () => {
  const f = scorer({
    input: {
      type: 'record',
      name: 'Input',
      fields: [
        { name: 'datum', type: vec },
        {
          name: 'model',
          type: {
            type: 'record',
            name: 'Model',
            fields: [
              { name: 'const', type: 'double' },
              { name: 'posClass', type: sv('Pos') },
              { name: 'negClass', type: sv('Neg') },
            ],
          },
        },
      ],
    },
    output: 'double',
    action: { 'model.svm.score': ['input.datum', 'input.model', { fcn: 'm.kernel.linear' }] },
  });

  it('sums the weighted kernels of both classes and the constant', () => {
    const model = { const: 0.5, posClass: [{ supVec: [1, 0], coeff: 2 }], negClass: [{ supVec: [0, 1], coeff: -1 }] };
    expect(f({ datum: [3, 4], model })).toBe(6 - 4 + 0.5);
    expect(f({ datum: [3, 4], model: { ...model, negClass: [] } })).toBe(6.5);
  });

  it('needs support vectors of the datum dimension', () => {
    expect(errorOf(f, { datum: [1], model: { const: 0, posClass: [], negClass: [] } })).toBe(12000);
    expect(errorOf(f, { datum: [1], model: { const: 0, posClass: [{ supVec: [1, 2], coeff: 1 }], negClass: [] } })).toBe(12001);
  });
});
