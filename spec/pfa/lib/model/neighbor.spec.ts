import { describe, expect, it } from 'vitest';
import { errorOf, scorer } from './_pfa.js';

const vec = { type: 'array', items: 'double' };
const input = (fields: [string, unknown][]) => ({ type: 'record', name: 'Input', fields: fields.map(([name, type]) => ({ name, type })) });
const codebook = [
  [0, 0],
  [3, 4],
  [1, 1],
  [-6, 8],
];

describe('model.neighbor', () => {
  const mean = scorer({
    input: input([['points', { type: 'array', items: vec }]]),
    output: vec,
    action: { 'model.neighbor.mean': ['input.points'] },
  });
  const weighted = scorer({
    input: input([['points', { type: 'array', items: vec }]]),
    output: vec,
    action: { 'model.neighbor.mean': ['input.points', { params: [{ p: vec }], ret: 'double', do: { attr: 'p', path: [0] } }] },
  });

  it('mean averages points, optionally weighted', () => {
    expect(
      mean({
        points: [
          [0, 2],
          [2, 4],
        ],
      }),
    ).toEqual([1, 3]);
    expect(
      weighted({
        points: [
          [1, 0],
          [3, 4],
        ],
      }),
    ).toEqual([2.5, 3]);
    expect(mean({ points: [[]] })).toEqual([]);
    expect(errorOf(mean, { points: [] })).toBe(30000);
    expect(errorOf(mean, { points: [[1], [1, 2]] })).toBe(30001);
  });

  const nearestK = scorer({
    input: input([
      ['k', 'int'],
      ['datum', vec],
      ['codebook', { type: 'array', items: vec }],
    ]),
    output: { type: 'array', items: vec },
    action: { 'model.neighbor.nearestK': ['input.k', 'input.datum', 'input.codebook'] },
  });

  it('nearestK returns the k closest, closest first', () => {
    expect(nearestK({ k: 2, datum: [0, 0], codebook })).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(nearestK({ k: 10, datum: [3, 3], codebook })).toEqual([
      [3, 4],
      [1, 1],
      [0, 0],
      [-6, 8],
    ]);
    expect(nearestK({ k: 0, datum: [0, 0], codebook })).toEqual([]);
    expect(nearestK({ k: 1, datum: [0, 0], codebook: [] })).toEqual([]);
    expect(errorOf(nearestK, { k: -1, datum: [0, 0], codebook })).toBe(30010);
    expect(errorOf(nearestK, { k: 1, datum: [0], codebook })).toBe(30011);
  });

  it('nearestK with a metric accepts any types', () => {
    const f = scorer({
      input: input([
        ['datum', 'string'],
        ['codebook', { type: 'array', items: 'string' }],
      ]),
      output: { type: 'array', items: 'string' },
      action: {
        'model.neighbor.nearestK': [
          2,
          'input.datum',
          'input.codebook',
          { params: [{ a: 'string' }, { b: 'string' }], ret: 'double', do: { 'm.abs': { '-': [{ 's.len': 'a' }, { 's.len': 'b' }] } } },
        ],
      },
    });
    expect(f({ datum: 'abc', codebook: ['a', 'abcdef', 'abcd', 'xyz'] })).toEqual(['xyz', 'abcd']);
  });

  const ballR = scorer({
    input: input([
      ['r', 'double'],
      ['datum', vec],
      ['codebook', { type: 'array', items: vec }],
    ]),
    output: { type: 'array', items: vec },
    action: { 'model.neighbor.ballR': ['input.r', 'input.datum', 'input.codebook'] },
  });

  it('ballR keeps points strictly within r, in codebook order', () => {
    expect(ballR({ r: 5, datum: [0, 0], codebook })).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(ballR({ r: 5.0001, datum: [0, 0], codebook })).toEqual([
      [0, 0],
      [3, 4],
      [1, 1],
    ]);
    expect(ballR({ r: 0, datum: [0, 0], codebook })).toEqual([]);
  });
});
