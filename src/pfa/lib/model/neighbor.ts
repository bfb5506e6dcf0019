/**
 * PFA namespace `model.neighbor`: k-nearest-neighbour lookups in a codebook. Without a metric,
 * distances are Euclidean.
 */
import { defineLibrary } from '../define.js';
import { runtimeError } from '../../../errors.js';
import { lowestIndexes, squaredDistance } from './_nearest.js';

type Metric = (datum: unknown, point: unknown) => number;

const euclidean: Metric = (a, b) => Math.sqrt(squaredDistance(a as number[], b as number[]));

export default defineLibrary('model.neighbor', {
  mean: {
    sig: [
      '(points: array<array<double>>) -> array<double>',
      '(points: array<array<double>>, weight: fn(array<double>) -> double) -> array<double>',
    ],
    errors: [30000, 30001],
    fn: (points: number[][], weight?: (point: number[]) => number): number[] => {
      if (points.length === 0) throw runtimeError(30000, 'not enough points', 'model.neighbor.mean');
      const dimensions = points[0]!.length;
      const numerator = new Array<number>(dimensions).fill(0);
      let denominator = 0;
      for (const point of points) {
        if (point.length !== dimensions) throw runtimeError(30001, 'inconsistent dimensionality', 'model.neighbor.mean');
        const w = weight ? weight(point) : 1;
        for (let i = 0; i < dimensions; i++) numerator[i] += w * point[i]!;
        denominator += w;
      }
      return numerator.map((x) => x / denominator);
    },
  },

  nearestK: {
    sig: [
      '(k: int, datum: array<double>, codebook: array<array<double>>) -> array<array<double>>',
      '(k: int, datum: any A, codebook: array<any B>, metric: fn(A, B) -> double) -> array<B>',
    ],
    errors: [30010, 30011],
    fn: (k: number, datum: unknown, codebook: unknown[], metric?: Metric): unknown[] => {
      if (k < 0) throw runtimeError(30010, 'k must be nonnegative', 'model.neighbor.nearestK');
      if (!metric) {
        // Only the built-in metric needs vectors of one dimension.
        const d = (datum as number[]).length;
        if (codebook.some((x) => (x as number[]).length !== d))
          throw runtimeError(30011, 'inconsistent dimensionality', 'model.neighbor.nearestK');
      }
      const distance = metric ?? (squaredDistance as Metric);
      return lowestIndexes(
        codebook.map((x) => distance(datum, x)),
        k,
      ).map((i) => codebook[i]);
    },
  },

  ballR: {
    sig: [
      '(r: double, datum: array<double>, codebook: array<array<double>>) -> array<array<double>>',
      '(r: double, datum: any A, codebook: array<any B>, metric: fn(A, B) -> double) -> array<B>',
    ],
    fn: (r: number, datum: unknown, codebook: unknown[], metric: Metric = euclidean): unknown[] =>
      codebook.filter((x) => metric(datum, x) < r),
  },
});
