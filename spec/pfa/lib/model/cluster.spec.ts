import { describe, expect, it } from 'vitest';
import { errorOf, scorer } from './_pfa.js';

const vec = { type: 'array', items: 'double' };
const clusterType = {
  type: 'record',
  name: 'Cluster',
  fields: [
    { name: 'center', type: vec },
    { name: 'id', type: 'string' },
  ],
};
const clusters = [
  { center: [0, 0], id: 'origin' },
  { center: [10, 0], id: 'east' },
  { center: [0, 10], id: 'north' },
];
const input = (fields: [string, unknown][]) => ({ type: 'record', name: 'Input', fields: fields.map(([name, type]) => ({ name, type })) });
/** The metric.* functions take the per-component similarity first. */
const metric = (name: string) => ({
  params: [{ a: vec }, { b: vec }],
  ret: 'double',
  do: { [name]: [{ fcn: 'metric.absDiff' }, 'a', 'b'] },
});
const euclidean = metric('metric.euclidean');
const chebyshev = metric('metric.chebyshev');

describe('model.cluster.closest and closestN', () => {
  const closest = scorer({
    input: input([
      ['datum', vec],
      ['clusters', { type: 'array', items: clusterType }],
    ]),
    output: 'Cluster',
    action: { 'model.cluster.closest': ['input.datum', 'input.clusters'] },
  });
  const closestN = scorer({
    input: input([
      ['n', 'int'],
      ['datum', vec],
      ['clusters', { type: 'array', items: clusterType }],
    ]),
    output: { type: 'array', items: 'Cluster' },
    action: { 'model.cluster.closestN': ['input.n', 'input.datum', 'input.clusters', euclidean] },
  });

  it('finds the nearest center (Euclidean by default)', () => {
    expect(closest({ datum: [8, 1], clusters })).toEqual(clusters[1]);
    expect(closest({ datum: [1, 1], clusters })).toEqual(clusters[0]);
    expect(errorOf(closest, { datum: [1, 1], clusters: [] })).toBe(29000);
  });

  it('takes the first of equally close clusters', () => {
    expect(closest({ datum: [5, 0], clusters })).toEqual(clusters[0]);
  });

  it('orders the n nearest from the closest', () => {
    expect(closestN({ n: 2, datum: [1, 8], clusters })).toEqual([clusters[2], clusters[0]]);
    expect(closestN({ n: 5, datum: [1, 8], clusters })).toEqual([clusters[2], clusters[0], clusters[1]]);
    expect(closestN({ n: 0, datum: [1, 8], clusters })).toEqual([]);
    expect(errorOf(closestN, { n: -1, datum: [1, 8], clusters })).toBe(29010);
  });

  it('uses a given metric', () => {
    const f = scorer({
      input: input([
        ['datum', vec],
        ['clusters', { type: 'array', items: clusterType }],
      ]),
      output: 'Cluster',
      action: { 'model.cluster.closest': ['input.datum', 'input.clusters', chebyshev] },
    });
    // Chebyshev: [6, 6] is 6 from origin, 6 from east ([10,0]: max(4,6)), 6 from north: the first wins
    expect(f({ datum: [6, 6], clusters })).toEqual(clusters[0]);
    expect(f({ datum: [7, 5], clusters })).toEqual(clusters[1]);
  });
});

describe('model.cluster training', () => {
  const seeds = scorer({
    input: input([
      ['data', { type: 'array', items: vec }],
      ['k', 'int'],
    ]),
    output: { type: 'array', items: clusterType },
    action: {
      'model.cluster.randomSeeds': [
        'input.data',
        'input.k',
        { params: [{ i: 'int' }, { v: vec }], ret: 'Cluster', do: { new: { center: 'v', id: { 's.int': 'i' } }, type: 'Cluster' } },
      ],
    },
  });

  it('randomSeeds picks k distinct points', () => {
    const out = seeds({
      data: [
        [1, 1],
        [2, 2],
        [1, 1],
        [3, 3],
      ],
      k: 3,
    }) as { center: number[]; id: string }[];
    expect(out.map((c) => c.id)).toEqual(['0', '1', '2']);
    expect(out.map((c) => c.center).sort()).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(errorOf(seeds, { data: [[1, 1]], k: 0 })).toBe(29020);
    expect(
      errorOf(seeds, {
        data: [
          [1, 1],
          [1, 1],
        ],
        k: 2,
      }),
    ).toBe(29021);
    expect(errorOf(seeds, { data: [[1, 1], [2]], k: 2 })).toBe(29022);
  });

  const kmeans = scorer({
    input: input([
      ['data', { type: 'array', items: vec }],
      ['clusters', { type: 'array', items: clusterType }],
    ]),
    output: { type: 'array', items: 'Cluster' },
    action: {
      'model.cluster.kmeansIteration': [
        'input.data',
        'input.clusters',
        euclidean,
        {
          params: [{ d: { type: 'array', items: vec } }, { c: 'Cluster' }],
          ret: 'Cluster',
          do: { 'model.cluster.updateMean': ['d', 'c', 0] },
        },
      ],
    },
  });

  it('kmeansIteration moves each center to the mean of its points', () => {
    const out = kmeans({
      data: [
        [1, 0],
        [-1, 0],
        [9, 0],
        [11, 2],
      ],
      clusters,
    });
    expect(out).toEqual([
      { center: [0, 0], id: 'origin' },
      { center: [10, 1], id: 'east' },
      { center: [0, 10], id: 'north' }, // matched nothing: unchanged
    ]);
    expect(errorOf(kmeans, { data: [], clusters })).toBe(29030);
    expect(errorOf(kmeans, { data: [[1, 0]], clusters: [] })).toBe(29031);
  });

  const updateMean = scorer({
    input: input([
      ['data', { type: 'array', items: vec }],
      ['cluster', clusterType],
      ['weight', 'double'],
    ]),
    output: 'Cluster',
    action: { 'model.cluster.updateMean': ['input.data', 'input.cluster', 'input.weight'] },
  });

  it('updateMean weighs the old center', () => {
    const cluster = { center: [4, 4], id: 'c' };
    expect(
      updateMean({
        data: [
          [0, 0],
          [2, 2],
        ],
        cluster,
        weight: 0,
      }),
    ).toEqual({ center: [1, 1], id: 'c' });
    expect(
      updateMean({
        data: [
          [0, 0],
          [2, 2],
        ],
        cluster,
        weight: 2,
      }),
    ).toEqual({ center: [2.5, 2.5], id: 'c' });
    expect(errorOf(updateMean, { data: [], cluster, weight: 0 })).toBe(29040);
    expect(errorOf(updateMean, { data: [[0, 0], [2]], cluster, weight: 0 })).toBe(29041);
    expect(errorOf(updateMean, { data: [[0]], cluster, weight: 0 })).toBe(29041);
  });
});
