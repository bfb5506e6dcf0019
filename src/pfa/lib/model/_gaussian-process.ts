/**
 * The numerics of `model.reg.gaussianProcess`: Kriging with a user-supplied kernel, following the
 * reference engine's (scikit-learn style) procedure:
 *
 * 1. normalise the training positions X and outputs y to zero mean and unit (population) standard
 *    deviation;
 * 2. fill the correlation matrix R with the kernel of every pair of normalised positions, and
 *    1 + nugget on the diagonal (the nugget regularises the fit; with per-point uncertainties it is
 *    (sigma / to)^2);
 * 3. factor R = C C^T (Cholesky); a matrix that is not positive definite cannot be fitted;
 * 4. with F the column of ones, Ft = C^-1 F and Yt = C^-1 y: the regression weight beta is the
 *    given Kriging weight, or for universal Kriging the least-squares (Ft.Yt) / (Ft.Ft);
 * 5. gamma = C^-T (Yt - beta Ft), and the prediction at x is
 *    mean(y) + std(y) (beta + sum_i kernel(xnorm, Xnorm_i) gamma_i).
 *
 * Vector outputs are fitted one output at a time, each with its own normalisation, nugget and
 * gamma; which weight each one uses is decided by the caller (`model/reg.ts`).
 */

export type Kernel = (x: number[], y: number[]) => number;

/** A fitted model for one output dimension. */
interface Fit {
  readonly beta: number;
  readonly gamma: Float64Array;
}

/** Thrown when the kernel matrix has no Cholesky factorisation. */
export class NotPositiveDefinite extends Error {}

/** Mean and population standard deviation (as numpy's `mean` and `std`). */
function meanStd(values: readonly number[]): { mean: number; std: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(sq / values.length) };
}

/** Positions normalised column by column, with the column statistics to normalise new points alike. */
interface NormalisedPositions {
  readonly rows: number[][];
  readonly mean: number[];
  readonly std: number[];
}

function normalisePositions(X: readonly (readonly number[])[]): NormalisedPositions {
  const d = X[0]!.length;
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < d; j++) {
    const s = meanStd(X.map((row) => row[j]!));
    mean.push(s.mean);
    std.push(s.std);
  }
  return { rows: X.map((row) => normalise(row, mean, std)), mean, std };
}

function normalise(x: readonly number[], mean: readonly number[], std: readonly number[]): number[] {
  return x.map((v, j) => (v - mean[j]!) / std[j]!);
}

/** Lower-triangular Cholesky factor of a symmetric matrix, row-major n x n. */
function cholesky(A: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let diag = A[j * n + j]!;
    for (let k = 0; k < j; k++) diag -= L[j * n + k]! * L[j * n + k]!;
    // As LAPACK's potrf: a non-positive or NaN pivot means "not positive definite".
    if (!(diag > 0)) throw new NotPositiveDefinite();
    const ljj = Math.sqrt(diag);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** Solves L x = b for lower-triangular L. */
function forward(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/** Solves L^T x = b for lower-triangular L. */
function backward(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Fits one output dimension. `nugget` is one value for every point or one per point; `beta` is the
 * Kriging weight, or null for universal Kriging.
 */
function fit(
  X: NormalisedPositions,
  yNorm: readonly number[],
  nugget: number | readonly number[],
  beta: number | null,
  kernel: Kernel,
): Fit {
  const n = X.rows.length;
  const R = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    R[i * n + i] = 1 + (typeof nugget === 'number' ? nugget : nugget[i]!);
    for (let j = i + 1; j < n; j++) R[i * n + j] = R[j * n + i] = kernel(X.rows[i]!, X.rows[j]!);
  }
  const C = cholesky(R, n);
  const Ft = forward(C, n, new Float64Array(n).fill(1));
  const Yt = forward(C, n, yNorm);
  const b = beta ?? dot(Ft, Yt) / dot(Ft, Ft);
  const rho = Yt.map((v, i) => v - Ft[i]! * b);
  return { beta: b, gamma: backward(C, n, rho) };
}

/** A prediction, with the regression weight it was made with. */
export interface Kriged {
  readonly value: number;
  /** The given Kriging weight, or the one universal Kriging fitted. */
  readonly beta: number;
}

/**
 * Predicts the output at position `x` from training positions `X` (one row per point) and outputs
 * `y`. `nugget` is one value for every point or one per point; `beta` is the Kriging weight, or
 * null for universal Kriging. Throws NotPositiveDefinite.
 */
export function krige(
  X: readonly (readonly number[])[],
  y: readonly number[],
  nugget: number | readonly number[],
  x: readonly number[],
  beta: number | null,
  kernel: Kernel,
): Kriged {
  const positions = normalisePositions(X);
  const ys = meanStd(y);
  // biome-ignore lint/suspicious/noFocusedTests: `fit` is the model fit below, not a test runner's focused test
  const model = fit(
    positions,
    y.map((v) => (v - ys.mean) / ys.std),
    nugget,
    beta,
    kernel,
  );
  const xNorm = normalise(x, positions.mean, positions.std);
  let yNorm = model.beta;
  for (let i = 0; i < positions.rows.length; i++) yNorm += kernel(xNorm, positions.rows[i]!) * model.gamma[i]!;
  return { value: ys.mean + ys.std * yNorm, beta: model.beta };
}
