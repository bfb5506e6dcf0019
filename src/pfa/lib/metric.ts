/**
 * PFA namespace `metric`: distances between vectors, with a user-supplied similarity function per
 * component and missing (null) components reweighted by `missingWeight`, plus binary similarities.
 */
import { runtimeError } from '../../errors.js';
import { defineLibrary } from './define.js';

type Similarity = (x: unknown, y: unknown) => number;

function requireSameLength(lengths: readonly number[], code: number, name: string): void {
  if (lengths.some((n) => n !== lengths[0])) throw runtimeError(code, 'dimensions of vectors do not match', name);
}

/**
 * How a metric folds the similarities of the present components: `step` accumulates one
 * similarity into the tally, `finish` turns the reweighted tally into the distance.
 */
interface Accumulator {
  readonly step: (tally: number, similarity: number) => number;
  readonly finish: (tally: number) => number;
}

const identity = (x: number): number => x;
const sumOfSquares: Accumulator = { step: (t, s) => t + s * s, finish: identity };
const euclidean: Accumulator = { step: sumOfSquares.step, finish: Math.sqrt };
const sum: Accumulator = { step: (t, s) => t + s, finish: identity };
// Starts from 0 and ignores NaN, like Titus's `max(tally, s)`.
// biome-ignore lint/complexity/useMathMinMax: a NaN term keeps the maximum so far, where Math.max would give NaN
const maximum: Accumulator = { step: (t, s) => (s > t ? s : t), finish: identity };

function powerSum(p: number): Accumulator {
  return { step: (t, s) => t + s ** p, finish: (t) => t ** (1 / p) };
}

/**
 * The shared loop of the metrics with missing values: components where either side is null are
 * skipped, and the tally is scaled by (sum of all weights) / (sum of weights of present
 * components). NaN when no component is present.
 */
function withMissing(
  acc: Accumulator,
  similarity: Similarity,
  x: readonly unknown[],
  y: readonly unknown[],
  weights: readonly number[] | undefined,
): number {
  let tally = 0;
  let all = 0;
  let present = 0;
  for (let i = 0; i < x.length; i++) {
    const w = weights ? weights[i]! : 1;
    const xi = x[i];
    const yi = y[i];
    if (xi !== null && yi !== null) {
      tally = acc.step(tally, similarity(xi, yi));
      present += w;
    }
    all += w;
  }
  return present === 0 ? NaN : acc.finish((tally * all) / present);
}

/** A metric's implementation for both signatures (with and without `missingWeight`). */
function missingValueMetric(acc: Accumulator, code: number, name: string) {
  return (similarity: Similarity, x: unknown[], y: unknown[], weights?: number[]): number => {
    requireSameLength(weights ? [x.length, y.length, weights.length] : [x.length, y.length], code, name);
    return withMissing(acc, similarity, x, y, weights);
  };
}

const MINKOWSKI = 'metric.minkowski';

function minkowski(similarity: Similarity, x: unknown[], y: unknown[], p: number, weights?: number[]): number {
  requireSameLength(weights ? [x.length, y.length, weights.length] : [x.length, y.length], 28070, MINKOWSKI);
  if (!(p > 0)) throw runtimeError(28071, 'Minkowski parameter p must be positive', MINKOWSKI);
  return withMissing(p === Infinity ? maximum : powerSum(p), similarity, x, y, weights);
}

/** Counts of (x, y) pairs: a11 both true, a10 only x, a01 only y, a00 neither. */
interface PairCounts {
  readonly a00: number;
  readonly a01: number;
  readonly a10: number;
  readonly a11: number;
}

function countPairs(x: readonly boolean[], y: readonly boolean[], code: number, name: string): PairCounts {
  requireSameLength([x.length, y.length], code, name);
  const counts = { a00: 0, a01: 0, a10: 0, a11: 0 };
  for (let i = 0; i < x.length; i++) {
    if (x[i]) {
      if (y[i]) counts.a11++;
      else counts.a10++;
    } else if (y[i]) counts.a01++;
    else counts.a00++;
  }
  return counts;
}

/** A binary similarity from its formula over the pair counts. */
function binaryMetric(code: number, name: string, formula: (c: PairCounts) => number) {
  return (x: boolean[], y: boolean[]): number => formula(countPairs(x, y, code, name));
}

const missingSigs = (similarity: string, extra = ''): string[] => [
  `(similarity: ${similarity}, x: array<union<null, double>>, y: array<union<null, double>>${extra}) -> double`,
  `(similarity: ${similarity}, x: array<union<null, double>>, y: array<union<null, double>>${extra}, missingWeight: array<double>) -> double`,
];
const DOUBLE_SIMILARITY = 'fn(double, double) -> double';
const BINARY_SIG = '(x: array<boolean>, y: array<boolean>) -> double';

export default defineLibrary('metric', {
  simpleEuclidean: {
    sig: '(x: array<double>, y: array<double>) -> double',
    errors: [28000],
    fn: (x: number[], y: number[]): number => {
      requireSameLength([x.length, y.length], 28000, 'metric.simpleEuclidean');
      // Not Math.hypot: a NaN component must give NaN even beside an infinite one.
      let tally = 0;
      for (let i = 0; i < x.length; i++) tally = sumOfSquares.step(tally, x[i]! - y[i]!);
      return Math.sqrt(tally);
    },
  },
  absDiff: {
    sig: '(x: double, y: double) -> double',
    fn: (x: number, y: number): number => Math.abs(x - y),
  },
  gaussianSimilarity: {
    sig: '(x: double, y: double, sigma: double) -> double',
    fn: (x: number, y: number, sigma: number): number => Math.exp((-Math.LN2 * (x - y) ** 2) / sigma ** 2),
  },
  euclidean: {
    sig: [
      '(similarity: fn(any A, any B) -> double, x: array<union<null, A>>, y: array<union<null, B>>) -> double',
      '(similarity: fn(any A, any B) -> double, x: array<union<null, A>>, y: array<union<null, B>>, missingWeight: array<double>) -> double',
    ],
    errors: [28030],
    fn: missingValueMetric(euclidean, 28030, 'metric.euclidean'),
  },
  squaredEuclidean: {
    sig: missingSigs(DOUBLE_SIMILARITY),
    errors: [28040],
    fn: missingValueMetric(sumOfSquares, 28040, 'metric.squaredEuclidean'),
  },
  chebyshev: {
    sig: missingSigs(DOUBLE_SIMILARITY),
    errors: [28050],
    fn: missingValueMetric(maximum, 28050, 'metric.chebyshev'),
  },
  taxicab: {
    sig: missingSigs(DOUBLE_SIMILARITY),
    errors: [28060],
    fn: missingValueMetric(sum, 28060, 'metric.taxicab'),
  },
  minkowski: {
    sig: missingSigs(DOUBLE_SIMILARITY, ', p: double'),
    errors: [28070, 28071],
    fn: minkowski,
  },
  simpleMatching: {
    sig: BINARY_SIG,
    errors: [28080],
    fn: binaryMetric(28080, 'metric.simpleMatching', (c) => (c.a11 + c.a00) / (c.a11 + c.a10 + c.a01 + c.a00)),
  },
  jaccard: {
    sig: BINARY_SIG,
    errors: [28090],
    fn: binaryMetric(28090, 'metric.jaccard', (c) => c.a11 / (c.a11 + c.a10 + c.a01)),
  },
  tanimoto: {
    sig: BINARY_SIG,
    errors: [28100],
    fn: binaryMetric(28100, 'metric.tanimoto', (c) => (c.a11 + c.a00) / (c.a11 + 2 * (c.a10 + c.a01) + c.a00)),
  },
  binarySimilarity: {
    sig: '(x: array<boolean>, y: array<boolean>, c00: double, c01: double, c10: double, c11: double, d00: double, d01: double, d10: double, d11: double) -> double',
    errors: [28110],
    fn: (
      x: boolean[],
      y: boolean[],
      c00: number,
      c01: number,
      c10: number,
      c11: number,
      d00: number,
      d01: number,
      d10: number,
      d11: number,
    ): number => {
      const { a00, a01, a10, a11 } = countPairs(x, y, 28110, 'metric.binarySimilarity');
      return (c11 * a11 + c10 * a10 + c01 * a01 + c00 * a00) / (d11 * a11 + d10 * a10 + d01 * a01 + d00 * a00);
    },
  },
});
