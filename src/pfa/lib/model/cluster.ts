/**
 * PFA namespace `model.cluster`: nearest-cluster lookup and k-means training steps. Without a
 * metric, distances are squared Euclidean (the ranking is the same as Euclidean's).
 */
import { defineLibrary } from '../define.js';
import { runtimeError } from '../../../errors.js';
import { equality } from '../../../avro/compare.js';
import type { ArrayType } from '../../../avro/types.js';
import { withField } from '../../../avro/values.js';
import { lowestIndex, lowestIndexes, squaredDistance } from './_nearest.js';

type Cluster = Record<string, unknown>;
type Metric = (datum: unknown, center: unknown) => number;

/** The metric of the signatures without one. */
const squaredEuclidean = squaredDistance as Metric;

function distances(datum: unknown, clusters: readonly Cluster[], metric: Metric): number[] {
  return clusters.map((c) => metric(datum, c.center));
}

function shuffle<X>(items: X[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

export default defineLibrary('model.cluster', {
  closest: {
    sig: [
      '(datum: array<double>, clusters: array<record C {center: array<double>}>) -> C',
      '(datum: any A, clusters: array<record C {center: any B}>, metric: fn(A, B) -> double) -> C',
    ],
    errors: [29000],
    // Without a metric: squared Euclidean distances to constant centers.
    kernel: { kind: 'closest', sigs: [0] },
    fn: (datum: unknown, clusters: Cluster[], metric: Metric = squaredEuclidean): Cluster => {
      if (clusters.length === 0) throw runtimeError(29000, 'no clusters', 'model.cluster.closest');
      return clusters[lowestIndex(distances(datum, clusters, metric))]!;
    },
  },

  closestN: {
    sig: [
      '(n: int, datum: array<double>, clusters: array<record C {center: array<double>}>) -> array<C>',
      '(n: int, datum: any A, clusters: array<record C {center: any B}>, metric: fn(A, B) -> double) -> array<C>',
    ],
    errors: [29010],
    fn: (n: number, datum: unknown, clusters: Cluster[], metric: Metric = squaredEuclidean): Cluster[] => {
      if (n < 0) throw runtimeError(29010, 'n must be nonnegative', 'model.cluster.closestN');
      return lowestIndexes(distances(datum, clusters, metric), n).map((i) => clusters[i]!);
    },
  },

  randomSeeds: {
    sig: '(data: array<array<any A>>, k: int, newCluster: fn(int, array<A>) -> record C {center: array<any B>}) -> array<C>',
    errors: [29020, 29021, 29022],
    make: (site) => {
      const same = equality((site.paramTypes[0] as ArrayType).items);
      const name = 'model.cluster.randomSeeds';
      return (data: unknown[][], k: number, newCluster: (i: number, vec: unknown[]) => Cluster) => {
        if (k <= 0) throw runtimeError(29020, 'k must be greater than zero', name);
        const uniques: unknown[][] = [];
        for (const x of data) if (!uniques.some((u) => same(u, x))) uniques.push(x);
        if (uniques.length < k) throw runtimeError(29021, 'not enough unique points', name);
        if (uniques.some((u) => u.length !== uniques[0]!.length)) throw runtimeError(29022, 'dimensions of vectors do not match', name);
        shuffle(uniques, () => site.ctx.random());
        return uniques.slice(0, k).map((vec, i) => newCluster(i, vec));
      };
    },
  },

  kmeansIteration: {
    sig: '(data: array<array<any A>>, clusters: array<record C {center: array<any B>}>, metric: fn(array<A>, array<B>) -> double, update: fn(array<array<A>>, C) -> C) -> array<C>',
    errors: [29030, 29031],
    fn: (data: unknown[][], clusters: Cluster[], metric: Metric, update: (matched: unknown[][], c: Cluster) => Cluster): Cluster[] => {
      if (data.length === 0) throw runtimeError(29030, 'no data', 'model.cluster.kmeansIteration');
      if (clusters.length === 0) throw runtimeError(29031, 'no clusters', 'model.cluster.kmeansIteration');
      const matched: unknown[][][] = clusters.map(() => []);
      for (const datum of data) matched[lowestIndex(distances(datum, clusters, metric))]!.push(datum);
      // A cluster that matched nothing is kept as it was: `update` is only called with data.
      return clusters.map((c, i) => (matched[i]!.length === 0 ? c : update(matched[i]!, c)));
    },
  },

  updateMean: {
    sig: '(data: array<array<double>>, cluster: record C {center: array<double>}, weight: double) -> C',
    errors: [29040, 29041],
    fn: (data: number[][], cluster: Cluster, weight: number): Cluster => {
      const name = 'model.cluster.updateMean';
      if (data.length === 0) throw runtimeError(29040, 'no data', name);
      const dimension = data[0]!.length;
      const center = cluster.center as number[];
      if (data.some((v) => v.length !== dimension) || center.length !== dimension) {
        throw runtimeError(29041, 'dimensions of vectors do not match', name);
      }
      const sum = new Array<number>(dimension).fill(0);
      for (const vec of data) for (let i = 0; i < dimension; i++) sum[i] += vec[i]!;
      const denominator = data.length + weight;
      return withField(
        cluster,
        'center',
        sum.map((s, i) => (s + weight * center[i]!) / denominator),
      );
    },
  },
});
