/**
 * PFA namespace `stat.test`: comparing observations with predictions (residuals, pulls, the
 * Mahalanobis distance), accumulating a chi-square, and the two-sample Kolmogorov-Smirnov test.
 * Functions with scalar, array and map signatures pick their implementation per call site.
 */
import { stdlib, type StdlibFn } from '../../../lazy-modules.js';
import { withField } from '../../../avro/values.js';
import { runtimeError } from '../../../errors.js';
import { defineLibrary, type CallSite, type Impl } from '../define.js';
import { mathjs } from '../_mathjs.js';

type Vec = readonly number[];
type Dict = ReadonlyMap<string, number>;
type Chi2State = Record<string, unknown> & { readonly chi2: number; readonly dof: number };

/** The signatures of the element-wise functions come in this order: scalar, array, map. */
enum Shape {
  Scalar = 0,
  Array = 1,
  Map = 2,
}

function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (!b.has(k)) return false;
  return true;
}

/** An element-wise comparison: residual (2 arguments) or pull (3). */
type Compare = (observation: number, prediction: number, uncertainty: number) => number;

/**
 * Applies `compare` to a scalar, or element by element to arrays or maps after checking that the
 * prediction (then the uncertainty, when given) has the observation's indexes or keys.
 */
function elementwise(shape: Shape, compare: Compare, misaligned: readonly (() => Error)[]): Impl {
  switch (shape) {
    case Shape.Scalar:
      return compare;
    case Shape.Array:
      return (o: Vec, p: Vec, u?: Vec) => {
        if (p.length !== o.length) throw misaligned[0]!();
        if (u && u.length !== o.length) throw misaligned[1]!();
        return o.map((x, i) => compare(x, p[i]!, u?.[i] as number));
      };
    case Shape.Map:
      return (o: Dict, p: Dict, u?: Dict) => {
        if (!sameKeys(o, p)) throw misaligned[0]!();
        if (u && !sameKeys(o, u)) throw misaligned[1]!();
        const out = new Map<string, number>();
        for (const [k, x] of o) out.set(k, compare(x, p.get(k)!, u?.get(k) as number));
        return out;
      };
  }
}

const misalignment = (code: number, what: string, name: string) => () => runtimeError(code, `misaligned ${what}`, name);
const residual: Compare = (o, p) => o - p;
/** The residual in units of the uncertainty; division by zero follows IEEE (inf or NaN). */
const pull: Compare = (o, p, u) => (o - p) / u;

/**
 * sqrt(d^T C^-1 d) for the residual d. A covariance that is not positive definite can make the
 * quadratic form negative: the distance is then NaN (as in the reference engine), and so it is when
 * the linear system has no solution.
 */
function mahalanobisDistance(d: number[], covariance: number[][]): number {
  let solution: number[];
  try {
    solution = (mathjs().lusolve(covariance, d) as number[][]).map((row) => row[0]!);
  } catch {
    return NaN;
  }
  let squared = 0;
  for (let i = 0; i < d.length; i++) squared += solution[i]! * d[i]!;
  return squared < 0 ? NaN : Math.sqrt(squared);
}

function mahalanobisImpl(shape: Shape): Impl {
  const name = 'stat.test.mahalanobis';
  const tooFew = () => runtimeError(38030, 'too few rows/cols', name);
  const misalignedPrediction = misalignment(38031, 'prediction', name);
  const misalignedCovariance = misalignment(38032, 'covariance', name);
  if (shape === Shape.Array) {
    return (o: Vec, p: Vec, c: readonly Vec[]) => {
      if (o.length < 1) throw tooFew();
      if (p.length !== o.length) throw misalignedPrediction();
      if (c.length !== o.length || c.some((row) => row.length !== o.length)) throw misalignedCovariance();
      return mahalanobisDistance(
        o.map((x, i) => x - p[i]!),
        c.map((row) => [...row]),
      );
    };
  }
  // Maps: the observation's keys fix the order of the vector and of the matrix rows and columns.
  return (o: Dict, p: Dict, c: ReadonlyMap<string, Dict>) => {
    if (o.size < 1) throw tooFew();
    if (!sameKeys(o, p)) throw misalignedPrediction();
    if (!sameKeys(o, c) || [...c.values()].some((row) => !sameKeys(o, row))) throw misalignedCovariance();
    const keys = [...o.keys()];
    const d = keys.map((k) => o.get(k)! - p.get(k)!);
    return mahalanobisDistance(
      d,
      keys.map((r) => keys.map((k) => c.get(r)!.get(k)!)),
    );
  };
}

function sumOfSquares(values: Iterable<number>): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return sum;
}

/** Adds the squared pull(s) to `chi2` and one degree of freedom per call, whatever the pull's size. */
function updateChi2Impl(shape: Shape): Impl {
  const squared: (pull: never) => number =
    shape === Shape.Scalar
      ? (pull: number) => pull * pull
      : shape === Shape.Array
        ? (pull: Vec) => sumOfSquares(pull)
        : (pull: Dict) => sumOfSquares(pull.values());
  return (pull: never, state: Chi2State) => withField(withField(state, 'chi2', state.chi2 + squared(pull)), 'dof', state.dof + 1);
}

/** P(chi-square with `dof` degrees of freedom <= `chi2`); zero degrees of freedom is a point mass at 0. */
function chi2Prob(chisquareCdf: StdlibFn): (state: Chi2State) => number {
  return (state) => {
    const { chi2, dof } = state;
    if (dof < 0) throw runtimeError(38060, 'invalid parameterization', 'stat.test.chi2Prob');
    if (dof === 0) return chi2 > 0 ? 1 : 0;
    return chisquareCdf(chi2, dof);
  };
}

/**
 * P(K > z) for the Kolmogorov distribution, from whichever of its two series converges fast at `z`:
 * the theta-function form for small z, the alternating form (free of cancellation) for large z.
 */
function kolmogorovSurvival(z: number): number {
  if (z < 1.18) {
    const k = -(Math.PI * Math.PI) / (8 * z * z);
    let sum = 0;
    for (let j = 1; j < 150; j += 2) sum += Math.exp(k * j * j);
    return 1 - (Math.sqrt(2 * Math.PI) / z) * sum;
  }
  let sum = 0;
  for (let j = 1; j <= 100; j++) sum += (j % 2 === 1 ? 2 : -2) * Math.exp(-2 * j * j * z * z);
  return sum;
}

/**
 * Two-sample Kolmogorov-Smirnov test, NaN values ignored: the probability that both samples come
 * from one distribution, with the finite-size correction of Numerical Recipes' `kstwo` for the
 * effective sample size (as the reference engine computes it).
 */
function kolmogorov(xs: Vec, ys: Vec): number {
  const byValue = (a: number, b: number) => a - b || 0;
  const x = xs.filter((v) => !Number.isNaN(v)).sort(byValue);
  const y = ys.filter((v) => !Number.isNaN(v)).sort(byValue);
  if (x.length === y.length && x.every((v, i) => v === y[i])) return 1;
  if (x.length === 0 || y.length === 0) return 0;
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const a = x[i]!;
    const b = y[j]!;
    if (a <= b) i++;
    if (b <= a) j++;
    d = Math.max(d, Math.abs(j / n2 - i / n1));
  }
  const en = Math.sqrt((n1 * n2) / (n1 + n2));
  return kolmogorovSurvival((en + 0.12 + 0.11 / en) * d);
}

const byShape = (build: (shape: Shape) => Impl) => (site: CallSite) => build(site.sigIndex as Shape);

export default defineLibrary('stat.test', {
  kolmogorov: { sig: '(x: array<double>, y: array<double>) -> double', fn: kolmogorov },
  residual: {
    sig: [
      '(observation: double, prediciton: double) -> double',
      '(observation: array<double>, prediciton: array<double>) -> array<double>',
      '(observation: map<double>, prediciton: map<double>) -> map<double>',
    ],
    errors: [38010],
    make: byShape((shape) => elementwise(shape, residual, [misalignment(38010, 'prediction', 'stat.test.residual')])),
  },
  pull: {
    sig: [
      '(observation: double, prediciton: double, uncertainty: double) -> double',
      '(observation: array<double>, prediciton: array<double>, uncertainty: array<double>) -> array<double>',
      '(observation: map<double>, prediciton: map<double>, uncertainty: map<double>) -> map<double>',
    ],
    errors: [38020, 38021],
    make: byShape((shape) =>
      elementwise(shape, pull, [misalignment(38020, 'prediction', 'stat.test.pull'), misalignment(38021, 'uncertainty', 'stat.test.pull')]),
    ),
  },
  mahalanobis: {
    sig: [
      '(observation: array<double>, prediction: array<double>, covariance: array<array<double>>) -> double',
      '(observation: map<double>, prediction: map<double>, covariance: map<map<double>>) -> double',
    ],
    errors: [38030, 38031, 38032],
    // Its signatures have no scalar form: index 0 is arrays, 1 maps.
    make: (site) => {
      mathjs(); // loaded while compiling, not on the first score (see _mathjs.ts)
      const impl = mahalanobisImpl(site.sigIndex === 0 ? Shape.Array : Shape.Map);
      const ctx = site.ctx;
      // A solve of the covariance's n x n system: n^3 work on a dense copy, both sized by the document.
      return (observation: readonly number[] | ReadonlyMap<string, number>, prediction: unknown, covariance: unknown) => {
        const n = Array.isArray(observation) ? observation.length : (observation as ReadonlyMap<string, number>).size;
        ctx.allocate(2 * n * n);
        ctx.charge(n * n * n);
        return impl(observation, prediction, covariance);
      };
    },
  },
  updateChi2: {
    sig: [
      '(pull: double, state: record A {chi2: double, dof: int}) -> A',
      '(pull: array<double>, state: record A {chi2: double, dof: int}) -> A',
      '(pull: map<double>, state: record A {chi2: double, dof: int}) -> A',
    ],
    make: byShape(updateChi2Impl),
  },
  reducedChi2: {
    sig: '(state: record A {chi2: double, dof: int}) -> double',
    fn: (state: Chi2State) => state.chi2 / state.dof,
  },
  chi2Prob: {
    sig: '(state: record A {chi2: double, dof: int}) -> double',
    errors: [38060],
    make: () => chi2Prob(stdlib('stats-base-dists-chisquare-cdf')),
  },
});
