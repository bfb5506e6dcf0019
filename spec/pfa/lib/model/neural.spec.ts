import { describe, expect, it } from 'vitest';
import { errorOf, scorer } from './_pfa.js';

const vec = { type: 'array', items: 'double' };
const layer = {
  type: 'record',
  name: 'Layer',
  fields: [
    { name: 'weights', type: { type: 'array', items: vec } },
    { name: 'bias', type: vec },
  ],
};

describe('model.neural.simpleLayers', () => {
  const f = scorer({
    input: {
      type: 'record',
      name: 'Input',
      fields: [
        { name: 'datum', type: vec },
        { name: 'model', type: { type: 'array', items: layer } },
      ],
    },
    output: vec,
    action: { 'model.neural.simpleLayers': ['input.datum', 'input.model', { fcn: 'm.link.relu' }] },
  });

  it('applies the activation after every layer but the last', () => {
    const model = [
      {
        weights: [
          [1, 1],
          [1, -1],
        ],
        bias: [0, 0],
      },
      { weights: [[1, 1]], bias: [-10] },
    ];
    // hidden: relu([3, -1]) = [3, 0]; output: 3 - 10, not activated
    expect(f({ datum: [1, 2], model })).toEqual([-7]);
    expect(f({ datum: [1, 2], model: [model[0]] })).toEqual([3, -1]);
  });

  it('checks the shapes', () => {
    expect(errorOf(f, { datum: [1], model: [] })).toBe(11000);
    expect(errorOf(f, { datum: [1], model: [{ weights: [[1, 1]], bias: [0] }] })).toBe(11001);
    expect(errorOf(f, { datum: [1], model: [{ weights: [[1]], bias: [0, 1] }] })).toBe(11001);
  });
});
