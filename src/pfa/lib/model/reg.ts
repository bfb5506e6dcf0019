/**
 * PFA namespace `model.reg`: linear regression (prediction and propagated variance), Gaussian
 * process regression, and the deprecated goodness-of-fit helpers that moved to `stat.test`.
 *
 * Vectors and matrices come as arrays (dense: sizes must agree) or maps (sparse: a missing
 * row-column combination is zero). Which form a call uses is fixed by its argument types, so
 * `make` picks the implementation once.
 */
import { defineLibrary, type CallSite } from '../define.js';
import { stdlib } from '../../../lazy-modules.js';
import { mathjs } from '../_mathjs.js';
import { runtimeError } from '../../../errors.js';
import type { AvroType, RecordType } from '../../../avro/types.js';
import { setField, withField } from '../../../avro/values.js';
import { krige, NotPositiveDefinite, type Kernel } from './_gaussian-process.js';
import { dot } from '../../kernel/ops.js';

type Rec = Record<string, unknown>;
type Vec = number[];
type Mat = number[][];
type SparseVec = Map<string, number>;
type SparseMat = Map<string, SparseVec>;

function fieldType(rec: RecordType, name: string): AvroType {
  return rec.fields.find((f) => f.name === name)!.type;
}

/** Whether a model field holds one matrix/vector per predicted variable (nested one level deeper). */
function isPerOutput(model: RecordType, field: string, depth: number): boolean {
  let t = fieldType(model, field);
  for (let i = 0; i < depth; i++) t = t.kind === 'array' ? t.items : t.kind === 'map' ? t.values : t;
  return t.kind === 'array' || t.kind === 'map';
}

const get = (m: SparseVec | undefined, k: string): number => m?.get(k) ?? 0;

/** Union of the keys of several maps, in first-seen order. */
function keysOf(...maps: Iterable<string>[]): string[] {
  const out = new Set<string>();
  for (const m of maps) for (const k of m) out.add(k);
  return [...out];
}

// ---------------------------------------------------------------------------------------- linear

const LINEAR = 'model.reg.linear';

function linearDense(datum: Vec, coeff: Vec, constant: number): number {
  if (coeff.length !== datum.length) throw runtimeError(31000, 'misaligned coeff', LINEAR);
  return dot(coeff, datum) + constant;
}

function linearDenseVector(datum: Vec, coeff: Mat, constant: Vec): Vec {
  if (constant.length !== coeff.length) throw runtimeError(31001, 'misaligned const', LINEAR);
  if (coeff.some((row) => row.length !== datum.length)) throw runtimeError(31000, 'misaligned coeff', LINEAR);
  return coeff.map((row, i) => linearDense(datum, row, constant[i]!));
}

/** Sparse dot product plus constant; every key of either side takes part (so 0 * Infinity is NaN, as in the dense form). */
function linearSparse(datum: SparseVec, coeff: SparseVec | undefined, keys: readonly string[], constant: number): number {
  let s = 0;
  for (const k of keys) s += get(datum, k) * get(coeff, k);
  return s + constant;
}

function linearSparseVector(datum: SparseVec, coeff: SparseMat, constant: SparseVec): SparseVec {
  const inner = keysOf(datum.keys(), ...[...coeff.values()].map((row) => row.keys()));
  const out = new Map<string, number>();
  for (const k of keysOf(constant.keys(), coeff.keys())) out.set(k, linearSparse(datum, coeff.get(k), inner, get(constant, k)));
  return out;
}

function makeLinear(site: CallSite) {
  const vector = isPerOutput(site.paramTypes[1] as RecordType, 'coeff', 1);
  if (site.paramTypes[0]!.kind === 'array') {
    return vector
      ? (datum: Vec, model: Rec) => linearDenseVector(datum, model.coeff as Mat, model.const as Vec)
      : (datum: Vec, model: Rec) => linearDense(datum, model.coeff as Vec, model.const as number);
  }
  return vector
    ? (datum: SparseVec, model: Rec) => linearSparseVector(datum, model.coeff as SparseMat, model.const as SparseVec)
    : (datum: SparseVec, model: Rec) => {
        const coeff = model.coeff as SparseVec;
        return linearSparse(datum, coeff, keysOf(datum.keys(), coeff.keys()), model.const as number);
      };
}

// ------------------------------------------------------------------------------- linearVariance

/** x^T C x, computed as x . (C x). */
function quadraticForm(x: Vec, C: Mat): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    let row = 0;
    for (let j = 0; j < x.length; j++) row += C[i]![j]! * x[j]!;
    s += x[i]! * row;
  }
  return s;
}

/** The datum with the implicit 1 of the constant term appended (last in arrays, key "" in maps). */
const withConstant = (datum: Vec): Vec => [...datum, 1];

function varianceDense(x: Vec, covar: Mat): number {
  if (covar.length !== x.length || covar.some((row) => row.length !== x.length)) {
    throw runtimeError(31010, 'misaligned covariance', 'model.reg.linearVariance');
  }
  return quadraticForm(x, covar);
}

function varianceSparse(x: SparseVec, covar: SparseMat, keys: readonly string[]): number {
  const dense = keys.map((i) => keys.map((j) => get(covar.get(i), j)));
  return quadraticForm(
    keys.map((k) => get(x, k)),
    dense,
  );
}

function sparseWithConstant(datum: SparseVec): SparseVec {
  return new Map(datum).set('', 1);
}

function makeLinearVariance(site: CallSite) {
  const vector = isPerOutput(site.paramTypes[1] as RecordType, 'covar', 2);
  if (site.paramTypes[0]!.kind === 'array') {
    return vector
      ? (datum: Vec, model: Rec) => (model.covar as Mat[]).map((c) => varianceDense(withConstant(datum), c))
      : (datum: Vec, model: Rec) => varianceDense(withConstant(datum), model.covar as Mat);
  }
  if (vector) {
    return (datum: SparseVec, model: Rec) => {
      const x = sparseWithConstant(datum);
      const covars = model.covar as Map<string, SparseMat>;
      const keys = keysOf(x.keys(), ...[...covars.values()].flatMap((c) => [...c.values()].map((row) => row.keys())));
      const out = new Map<string, number>();
      for (const [k, c] of covars) out.set(k, varianceSparse(x, c, keys));
      return out;
    };
  }
  return (datum: SparseVec, model: Rec) => {
    const x = sparseWithConstant(datum);
    const covar = model.covar as SparseMat;
    return varianceSparse(x, covar, keysOf(x.keys(), ...[...covar.values()].map((row) => row.keys())));
  };
}

// ------------------------------------------------------------------------------ gaussianProcess

const GP = 'model.reg.gaussianProcess';
/** The reference engine's default nugget: ten machine epsilons. */
const DEFAULT_NUGGET = 10 * Number.EPSILON;

const gpError = (code: number, message: string): never => {
  throw runtimeError(code, message, GP);
};

const allFinite = (xs: readonly number[]): boolean => xs.every(Number.isFinite);

/**
 * Checks the arguments in the reference engine's order and returns the output dimension (null
 * for scalar outputs).
 */
function checkGaussianProcess(x: Vec, table: Rec[], vectorX: boolean, vectorTo: boolean, krigingWeight: number | null): number | null {
  if (table.length === 0) gpError(31080, 'table must have at least 1 entry');
  if (vectorX) {
    if (x.length === 0) gpError(31081, 'x must have at least 1 feature');
    if (table.some((t) => (t.x as Vec).length !== x.length)) gpError(31082, 'table must have the same number of features as x');
  }
  let outputs: number | null = null;
  if (vectorTo) {
    outputs = (table[0]!.to as Vec).length;
    if (outputs < 1) gpError(31083, 'table outputs must have at least 1 dimension');
    if (table.some((t) => (t.to as Vec).length !== outputs)) gpError(31084, 'table outputs must all have the same number of dimensions');
  }
  if (!allFinite(x)) gpError(31085, 'x is not finite');
  const tos = vectorTo ? table.flatMap((t) => t.to as Vec) : table.map((t) => t.to as number);
  if (!allFinite(tos)) gpError(31086, 'table value is not finite');
  if (!table.every((t) => (vectorX ? allFinite(t.x as Vec) : Number.isFinite(t.x)))) gpError(31086, 'table value is not finite');
  if (krigingWeight !== null && !Number.isFinite(krigingWeight)) gpError(31087, 'krigingWeight is not finite');
  return outputs;
}

/**
 * Which Kriging weight each output uses. A given `krigingWeight` is used for every output, as the
 * specification says (and the JVM reference does). Without one, the first output is fitted by
 * universal Kriging and the others reuse the weight fitted for it: the Python reference, whose
 * results are the conformance suite's, carries that weight over from one output's fit to the next
 * (the per-output fits are otherwise independent), and so does this engine, so that vector-output
 * predictions agree with the suite's. Fitting each output's own weight instead moves them by
 * up to several times their size where an output's mean differs from the first's.
 *
 * (The Python reference also ignores a given `krigingWeight` after checking it is finite, and
 * performs universal Kriging: that is not followed.)
 */
function makeGaussianProcess(site: CallSite) {
  const vectorX = site.paramTypes[0]!.kind === 'array';
  const row = (site.paramTypes[1] as { items: RecordType }).items;
  const vectorTo = fieldType(row, 'to').kind === 'array';
  const hasSigma = row.fields.some((f) => f.name === 'sigma');
  const asVector = (v: unknown): Vec => (vectorX ? (v as Vec) : [v as number]);
  // With per-point uncertainties the nugget is (sigma / to)^2, infinite where `to` is zero.
  const nuggetOf = (table: Rec[], pick: (v: unknown) => number): number | Vec =>
    hasSigma ? table.map((t) => (pick(t.to) !== 0 ? (pick(t.sigma) / pick(t.to)) ** 2 : Infinity)) : DEFAULT_NUGGET;

  return (xArg: unknown, table: Rec[], krigingWeight: number | null, kernel: Kernel): number | Vec => {
    const x = asVector(xArg);
    const outputs = checkGaussianProcess(x, table, vectorX, vectorTo, krigingWeight);
    const X = table.map((t) => asVector(t.x));
    let beta = krigingWeight;
    const predictOne = (pick: (v: unknown) => number): number => {
      try {
        const kriged = krige(
          X,
          table.map((t) => pick(t.to)),
          nuggetOf(table, pick),
          x,
          beta,
          kernel,
        );
        beta = kriged.beta; // the next output's weight (see above)
        return kriged.value;
      } catch (e) {
        if (e instanceof NotPositiveDefinite) gpError(31088, 'matrix of kernel results is not positive definite');
        throw e;
      }
    };
    if (outputs === null) return predictOne((v) => v as number);
    return Array.from({ length: outputs }, (_, i) => predictOne((v) => (v as Vec)[i]!));
  };
}

// ------------------------------------------------------------------------ deprecated (stat.test)

type Form = 'scalar' | 'array' | 'map';
const formOf = (t: AvroType): Form => (t.kind === 'array' ? 'array' : t.kind === 'map' ? 'map' : 'scalar');

/**
 * Element-wise combination of same-shaped scalars, arrays or maps. `misaligned(i)` raises the error
 * for argument `i` (1-based) when its indexes differ from the first argument's.
 */
function elementwise(form: Form, combine: (...xs: number[]) => number, misaligned: (i: number) => never) {
  switch (form) {
    case 'scalar':
      return combine;
    case 'array':
      return (...vs: Vec[]) => {
        const first = vs[0]!;
        for (let i = 1; i < vs.length; i++) if (vs[i]!.length !== first.length) misaligned(i);
        return first.map((_, k) => combine(...vs.map((v) => v[k]!)));
      };
    case 'map':
      return (...vs: SparseVec[]) => {
        const first = vs[0]!;
        const sameKeys = (v: SparseVec): boolean => v.size === first.size && [...first.keys()].every((k) => v.has(k));
        for (let i = 1; i < vs.length; i++) if (!sameKeys(vs[i]!)) misaligned(i);
        const out = new Map<string, number>();
        for (const k of first.keys()) out.set(k, combine(...vs.map((v) => v.get(k)!)));
        return out;
      };
  }
}

function sumOfSquares(form: Form): (pull: unknown) => number {
  const values = (p: unknown): Iterable<number> =>
    form === 'scalar' ? [p as number] : form === 'array' ? (p as Vec) : (p as SparseVec).values();
  return (pull) => {
    let s = 0;
    for (const v of values(pull)) s += v * v;
    return s;
  };
}

function mahalanobisDense(observation: Vec, prediction: Vec, covariance: Mat): number {
  const name = 'model.reg.mahalanobis';
  const n = observation.length;
  if (n < 1) throw runtimeError(31040, 'too few rows/cols', name);
  if (prediction.length !== n) throw runtimeError(31041, 'misaligned prediction', name);
  if (covariance.length !== n || covariance.some((row) => row.length !== n)) throw runtimeError(31042, 'misaligned covariance', name);
  const d = observation.map((o, i) => o - prediction[i]!);
  let solved: Vec;
  try {
    solved = (mathjs().lusolve(covariance, d) as Mat).map((r) => r[0]!);
  } catch {
    return NaN; // a singular covariance matrix: the distance is undefined
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += solved[i]! * d[i]!;
  return Math.sqrt(s);
}

function mahalanobisSparse(observation: SparseVec, prediction: SparseVec, covariance: SparseMat): number {
  const name = 'model.reg.mahalanobis';
  const keys = [...observation.keys()];
  if (keys.length < 1) throw runtimeError(31040, 'too few rows/cols', name);
  if (prediction.size !== keys.length || keys.some((k) => !prediction.has(k))) throw runtimeError(31041, 'misaligned prediction', name);
  const cov = keys.map((i) =>
    keys.map((j) => {
      const v = covariance.get(i)?.get(j);
      if (v === undefined) throw runtimeError(31042, 'misaligned covariance', name);
      return v;
    }),
  );
  return mahalanobisDense(
    keys.map((k) => observation.get(k)!),
    keys.map((k) => prediction.get(k)!),
    cov,
  );
}

const CHI2_STATE = 'record A {chi2: double, DOF: int}';

export default defineLibrary('model.reg', {
  linear: {
    sig: [
      '(datum: array<double>, model: record M {coeff: array<double>, const: double}) -> double',
      '(datum: array<double>, model: record M {coeff: array<array<double>>, const: array<double>}) -> array<double>',
      '(datum: map<double>, model: record M {coeff: map<double>, const: double}) -> double',
      '(datum: map<double>, model: record M {coeff: map<map<double>>, const: map<double>}) -> map<double>',
    ],
    errors: [31000, 31001],
    make: makeLinear,
    // An affine step over arrays (the map signatures are not kernels).
    kernel: { kind: 'affine', sigs: [0, 1] },
  },

  linearVariance: {
    sig: [
      '(datum: array<double>, model: record M {covar: array<array<double>>}) -> double',
      '(datum: array<double>, model: record M {covar: array<array<array<double>>>}) -> array<double>',
      '(datum: map<double>, model: record M {covar: map<map<double>>}) -> double',
      '(datum: map<double>, model: record M {covar: map<map<map<double>>>}) -> map<double>',
    ],
    errors: [31010],
    make: makeLinearVariance,
  },

  gaussianProcess: {
    sig: [
      '(x: double, table: array<record R {x: double, to: double}>, krigingWeight: union<null, double>, kernel: fn(array<double>, array<double>) -> double) -> double',
      '(x: double, table: array<record R {x: double, to: array<double>}>, krigingWeight: union<null, double>, kernel: fn(array<double>, array<double>) -> double) -> array<double>',
      '(x: array<double>, table: array<record R {x: array<double>, to: double}>, krigingWeight: union<null, double>, kernel: fn(array<double>, array<double>) -> double) -> double',
      '(x: array<double>, table: array<record R {x: array<double>, to: array<double>}>, krigingWeight: union<null, double>, kernel: fn(array<double>, array<double>) -> double) -> array<double>',
    ],
    errors: [31080, 31081, 31082, 31083, 31084, 31085, 31086, 31087, 31088],
    make: makeGaussianProcess,
  },

  residual: {
    sig: [
      '(observation: double, prediciton: double) -> double',
      '(observation: array<double>, prediciton: array<double>) -> array<double>',
      '(observation: map<double>, prediciton: map<double>) -> map<double>',
    ],
    errors: [31020],
    deprecated: true,
    make: (site) =>
      elementwise(
        formOf(site.paramTypes[0] as AvroType),
        (o, p) => o! - p!,
        () => {
          throw runtimeError(31020, 'misaligned prediction', 'model.reg.residual');
        },
      ),
  },

  pull: {
    sig: [
      '(observation: double, prediciton: double, uncertainty: double) -> double',
      '(observation: array<double>, prediciton: array<double>, uncertainty: array<double>) -> array<double>',
      '(observation: map<double>, prediciton: map<double>, uncertainty: map<double>) -> map<double>',
    ],
    errors: [31030, 31031],
    deprecated: true,
    make: (site) =>
      elementwise(
        formOf(site.paramTypes[0] as AvroType),
        (o, p, u) => (o! - p!) / u!,
        (i) => {
          throw i === 1
            ? runtimeError(31030, 'misaligned prediction', 'model.reg.pull')
            : runtimeError(31031, 'misaligned uncertainty', 'model.reg.pull');
        },
      ),
  },

  mahalanobis: {
    sig: [
      '(observation: array<double>, prediction: array<double>, covariance: array<array<double>>) -> double',
      '(observation: map<double>, prediction: map<double>, covariance: map<map<double>>) -> double',
    ],
    errors: [31040, 31041, 31042],
    deprecated: true,
    make: (site) => {
      mathjs(); // loaded while compiling, not on the first score (see _mathjs.ts)
      const impl = (site.paramTypes[0]!.kind === 'array' ? mahalanobisDense : mahalanobisSparse) as (
        o: unknown,
        p: unknown,
        c: unknown,
      ) => number;
      const ctx = site.ctx;
      // A solve of the covariance's n x n system: n^3 work on a dense copy, both sized by the document.
      return (observation: Vec | SparseVec, prediction: unknown, covariance: unknown) => {
        const n = Array.isArray(observation) ? observation.length : (observation as SparseVec).size;
        ctx.allocate(2 * n * n);
        ctx.charge(n * n * n);
        return impl(observation, prediction, covariance);
      };
    },
  },

  updateChi2: {
    sig: [
      `(pull: double, state: ${CHI2_STATE}) -> A`,
      `(pull: array<double>, state: ${CHI2_STATE}) -> A`,
      `(pull: map<double>, state: ${CHI2_STATE}) -> A`,
    ],
    deprecated: true,
    make: (site) => {
      const squares = sumOfSquares(formOf(site.paramTypes[0] as AvroType));
      return (pull: unknown, state: Rec) => {
        const out = withField(state, 'chi2', (state.chi2 as number) + squares(pull));
        setField(out, 'DOF', (state.DOF as number) + 1);
        return out;
      };
    },
  },

  reducedChi2: {
    sig: `(state: ${CHI2_STATE}) -> double`,
    deprecated: true,
    fn: (state: Rec) => (state.chi2 as number) / (state.DOF as number),
  },

  chi2Prob: {
    sig: `(state: ${CHI2_STATE}) -> double`,
    errors: [31070],
    deprecated: true,
    make: () => {
      const chiSquareCdf = stdlib('stats-base-dists-chisquare-cdf');
      return (state: Rec) => {
        const dof = state.DOF as number;
        if (dof < 0) throw runtimeError(31070, 'invalid parameterization', 'model.reg.chi2Prob');
        return chiSquareCdf(state.chi2 as number, dof);
      };
    },
  },
});
