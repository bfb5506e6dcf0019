/**
 * PFA namespace `la`: linear algebra on dense matrices (arrays of arrays, vectors as arrays) and
 * sparse ones (maps of maps keyed by row then column, where a missing entry is zero).
 *
 * Every function has one implementation per signature; `make` picks it from `site.sigIndex` at
 * compile time. Products, inverse, determinant and eigen-decomposition come from mathjs, loaded
 * when a document calling them is compiled (see `_mathjs.ts`).
 */
import { mathjs } from './_mathjs.js';
import { runtimeError } from '../../errors.js';
import { NATIVE_BLOCK, defineLibrary, type CallSite, type EngineContext, type Impl } from './define.js';

type Vector = readonly number[];
type Matrix = readonly (readonly number[])[];
type SparseVector = ReadonlyMap<string, number>;
type SparseMatrix = ReadonlyMap<string, SparseVector>;
type Scalar = (x: number) => number;
type Binary = (x: number, y: number) => number;

/** One implementation per signature, in signature order. */
const bySignature =
  (...impls: Impl[]) =>
  (site: CallSite): Impl =>
    impls[site.sigIndex]!;

/**
 * For the functions that call mathjs: loads it while the call is compiled, so that scoring never
 * pays for the load and a failure to load it surfaces at compile time.
 */
const withMathjs =
  (make: (site: CallSite) => Impl) =>
  (site: CallSite): Impl => {
    mathjs();
    return make(site);
  };

// ---------------------------------------------------------------- budgets

/**
 * The size of an argument as the budgets see it: rows, columns (the widest row of a dense matrix,
 * the distinct column keys of a sparse one) and stored entries. Reading it is linear in the rows
 * (and in the entries of a sparse matrix), never in a product of dimensions.
 */
interface Shape {
  readonly rows: number;
  readonly cols: number;
  readonly entries: number;
  readonly dense: boolean;
}

function shapeOf(x: unknown): Shape {
  if (Array.isArray(x)) {
    if (x.length === 0 || !Array.isArray(x[0])) return { rows: x.length, cols: 1, entries: x.length, dense: true };
    let cols = 0;
    let entries = 0;
    for (const row of x as Matrix) {
      cols = Math.max(cols, row.length);
      entries += row.length;
    }
    return { rows: x.length, cols, entries, dense: true };
  }
  const m = x as ReadonlyMap<string, unknown>;
  const first = m.values().next().value;
  if (!(first instanceof Map)) return { rows: m.size, cols: 1, entries: m.size, dense: false };
  const keys = new Set<string>();
  let entries = 0;
  for (const row of (m as SparseMatrix).values()) {
    entries += row.size;
    for (const k of row.keys()) keys.add(k);
  }
  return { rows: m.size, cols: keys.size, entries, dense: false };
}

/**
 * What one call costs, from its arguments' shapes: units of work and elements made. mathjs's dense
 * products take about as long per multiply-add as a PFA loop takes per iteration, so a multiply-add
 * is one unit; elementwise passes run in plain loops and count by blocks (NATIVE_BLOCK).
 */
type Cost = (shapes: readonly Shape[]) => { readonly work: number; readonly made: number };

/**
 * Wraps every signature's implementation in its budget: the work is charged and the result (with
 * any dense copy of a sparse operand) reserved before anything is computed, so a product of a
 * 10^5 x 1 by a 1 x 10^5 matrix fails at once instead of filling memory.
 */
function budgeted(make: (site: CallSite) => Impl, cost: Cost, matrices = 1): (site: CallSite) => Impl {
  return (site) => {
    const impl = make(site);
    const ctx: EngineContext = site.ctx;
    return (...args: unknown[]) => {
      const shapes: Shape[] = [];
      for (let i = 0; i < matrices; i++) shapes.push(shapeOf(args[i]));
      const { work, made } = cost(shapes);
      ctx.allocate(made);
      ctx.charge(work);
      return impl(...args);
    };
  };
}

/** Elementwise results: as many entries as the operands' rows by columns (sparse ones are aligned on the union of keys). */
const elementwiseCost: Cost = (shapes) => {
  const rows = shapes.reduce((n, s) => n + s.rows, 0);
  const cols = shapes.reduce((n, s) => n + s.cols, 0);
  const first = shapes[0]!;
  const made = shapes.length === 1 || first.dense ? first.entries + first.rows : rows * cols + rows;
  return { work: Math.ceil(made / NATIVE_BLOCK), made };
};

/** x . y: x's rows by the inner dimension (y's rows, or x's columns if larger) by y's columns. */
const dotCost: Cost = ([x, y]) => {
  const inner = Math.max(x!.cols, y!.rows);
  const cols = y!.cols;
  return { work: x!.rows * inner * cols, made: x!.rows * inner + inner * cols + x!.rows * cols };
};

/** Decompositions of an n x m matrix: about n m min(n, m) operations, times a factor for the method. */
const cubicCost =
  (factor: number): Cost =>
  ([x]) => {
    const n = Math.max(x!.rows, x!.cols);
    return { work: factor * n * n * n, made: 4 * n * n };
  };

/** A pass over the stored entries, making nothing of size. */
const visitCost: Cost = ([x]) => ({ work: Math.ceil(x!.entries / NATIVE_BLOCK), made: 0 });

// ---------------------------------------------------------------- shapes and validation

/** Codes a function raises for a dense matrix that is empty or ragged. */
interface ShapeErrors {
  readonly name: string;
  readonly tooFew: number;
  readonly ragged: number;
}

/** The number of columns of a dense matrix that must have at least one row and one column. */
function rectangularColumns(x: Matrix, e: ShapeErrors): number {
  if (x.length < 1 || x[0]!.length < 1) throw runtimeError(e.tooFew, 'too few rows/cols', e.name);
  if (isRagged(x)) throw runtimeError(e.ragged, 'ragged columns', e.name);
  return x[0]!.length;
}

function isRagged(x: Matrix): boolean {
  return x.some((row) => row.length !== x[0]!.length);
}

function requireSquare(rows: number, cols: number, code: number, name: string): void {
  if (rows !== cols) throw runtimeError(code, 'non-square matrix', name);
}

/** A sparse matrix with no entry at all has no columns (and so "too few rows/cols"). */
function requireSparseEntries(x: SparseMatrix, code: number, name: string): void {
  if (columnKeys(x).length < 1) throw runtimeError(code, 'too few rows/cols', name);
}

const isFiniteNumber = Number.isFinite as (x: number) => boolean;
const denseFinite = (x: Matrix): boolean => x.every((row) => row.every(isFiniteNumber));
const sparseFinite = (x: SparseMatrix): boolean => [...x.values()].every((row) => [...row.values()].every(isFiniteNumber));

// ---------------------------------------------------------------- sparse <-> dense

/** Union of the keys of every row, in first-seen order. */
function columnKeys(x: SparseMatrix): string[] {
  const keys = new Set<string>();
  for (const row of x.values()) for (const k of row.keys()) keys.add(k);
  return [...keys];
}

const union = (a: Iterable<string>, b: Iterable<string>): string[] => [...new Set([...a, ...b])];

function toDense(x: SparseMatrix, rows: readonly string[], cols: readonly string[]): number[][] {
  return rows.map((r) => {
    const row = x.get(r);
    return cols.map((c) => row?.get(c) ?? 0);
  });
}

function toSparse(m: Matrix, rows: readonly string[], cols: readonly string[]): Map<string, Map<string, number>> {
  return new Map(rows.map((r, i) => [r, toSparseVector(m[i]!, cols)]));
}

function toSparseVector(v: Vector, keys: readonly string[]): Map<string, number> {
  return new Map(keys.map((k, i) => [k, v[i]!]));
}

// ---------------------------------------------------------------- elementwise maps

const mapVector = (x: Vector, f: Scalar): number[] => x.map((v) => f(v));
const mapMatrix = (x: Matrix, f: Scalar): number[][] => x.map((row) => mapVector(row, f));

function mapSparseVector(x: SparseVector, f: Scalar): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of x) out.set(k, f(v));
  return out;
}

function mapSparseMatrix(x: SparseMatrix, f: Scalar): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [k, row] of x) out.set(k, mapSparseVector(row, f));
  return out;
}

// ---------------------------------------------------------------- elementwise zips

function zipVectors(x: Vector, y: Vector, f: Binary, code: number, name: string): number[] {
  if (x.length !== y.length) throw runtimeError(code, 'misaligned matrices', name);
  return x.map((v, i) => f(v, y[i]!));
}

function zipMatrices(x: Matrix, y: Matrix, f: Binary, code: number, name: string): number[][] {
  if (x.length !== y.length || x.some((row, i) => row.length !== y[i]!.length)) {
    throw runtimeError(code, 'misaligned matrices', name);
  }
  return x.map((row, i) => row.map((v, j) => f(v, y[i]![j]!)));
}

/** Sparse operands are aligned on the union of their keys, missing entries counting as zero. */
function zipSparseVectors(x: SparseVector, y: SparseVector, f: Binary): Map<string, number> {
  return new Map(union(x.keys(), y.keys()).map((k) => [k, f(x.get(k) ?? 0, y.get(k) ?? 0)]));
}

function zipSparseMatrices(x: SparseMatrix, y: SparseMatrix, f: Binary): Map<string, Map<string, number>> {
  const cols = union(columnKeys(x), columnKeys(y));
  const zero: SparseVector = new Map();
  return new Map(
    union(x.keys(), y.keys()).map((r) => {
      const xr = x.get(r) ?? zero;
      const yr = y.get(r) ?? zero;
      return [r, new Map(cols.map((c) => [c, f(xr.get(c) ?? 0, yr.get(c) ?? 0)]))];
    }),
  );
}

/** `la.add` and `la.sub`: the four signatures of an elementwise operator. */
function elementwise(op: Binary, code: number, name: string): (site: CallSite) => Impl {
  return bySignature(
    (x: Vector, y: Vector) => zipVectors(x, y, op, code, name),
    (x: Matrix, y: Matrix) => zipMatrices(x, y, op, code, name),
    (x: SparseVector, y: SparseVector) => zipSparseVectors(x, y, op),
    (x: SparseMatrix, y: SparseMatrix) => zipSparseMatrices(x, y, op),
  );
}

// ---------------------------------------------------------------- dot

const DOT = 'la.dot';

function dotTooFew(): never {
  throw runtimeError(24051, 'too few rows/cols', DOT);
}

function dotNonFinite(): never {
  throw runtimeError(24052, 'contains non-finite value', DOT);
}

function dotMisaligned(): never {
  throw runtimeError(24050, 'misaligned matrices', DOT);
}

// Titus checks emptiness first, then finiteness, then alignment; the order decides the error code.
function dotMatrixVector(x: Matrix, y: Vector): number[] {
  if (x.length < 1 || x[0]!.length < 1 || y.length < 1) dotTooFew();
  if (!denseFinite(x) || !y.every(isFiniteNumber)) dotNonFinite();
  if (x.some((row) => row.length !== y.length)) dotMisaligned();
  return mathjs().multiply(x as number[][], y as number[]);
}

function dotMatrixMatrix(x: Matrix, y: Matrix): number[][] {
  if (x.length < 1 || x[0]!.length < 1 || y.length < 1 || y[0]!.length < 1) dotTooFew();
  if (!denseFinite(x) || !denseFinite(y)) dotNonFinite();
  if (x.some((row) => row.length !== y.length) || isRagged(y)) dotMisaligned();
  return mathjs().multiply(x as number[][], y as number[][]);
}

function dotSparseMatrixVector(x: SparseMatrix, y: SparseVector): Map<string, number> {
  const rows = [...x.keys()];
  const inner = union(columnKeys(x), y.keys());
  if (rows.length < 1 || inner.length < 1) dotTooFew();
  if (!sparseFinite(x) || ![...y.values()].every(isFiniteNumber)) dotNonFinite();
  const product = mathjs().multiply(
    toDense(x, rows, inner),
    inner.map((k) => y.get(k) ?? 0),
  );
  return toSparseVector(product, rows);
}

function dotSparseMatrixMatrix(x: SparseMatrix, y: SparseMatrix): Map<string, Map<string, number>> {
  const rows = [...x.keys()];
  const inner = union(columnKeys(x), y.keys());
  const cols = columnKeys(y);
  if (rows.length < 1 || inner.length < 1 || cols.length < 1) dotTooFew();
  if (!sparseFinite(x) || !sparseFinite(y)) dotNonFinite();
  return toSparse(mathjs().multiply(toDense(x, rows, inner), toDense(y, inner, cols)), rows, cols);
}

// ---------------------------------------------------------------- transpose, inverse, trace, det

const TRANSPOSE: ShapeErrors = { name: 'la.transpose', tooFew: 24060, ragged: 24061 };

function transposeDense(x: Matrix): number[][] {
  const cols = rectangularColumns(x, TRANSPOSE);
  return Array.from({ length: cols }, (_, c) => x.map((row) => row[c]!));
}

function transposeSparse(x: SparseMatrix): Map<string, Map<string, number>> {
  const cols = columnKeys(x);
  if (cols.length < 1) throw runtimeError(TRANSPOSE.tooFew, 'too few rows/cols', TRANSPOSE.name);
  // Every row must have the same set of keys: one that lacks a column has no value to move there.
  if ([...x.values()].some((row) => row.size !== cols.length)) {
    throw runtimeError(TRANSPOSE.ragged, 'ragged columns', TRANSPOSE.name);
  }
  return new Map(cols.map((c) => [c, new Map([...x].map(([r, row]) => [r, row.get(c)!]))]));
}

const INVERSE: ShapeErrors = { name: 'la.inverse', tooFew: 24070, ragged: 24071 };

/** mathjs `pinv` is the ordinary inverse for invertible square matrices, Moore-Penrose otherwise. */
function inverseDense(x: Matrix): number[][] {
  rectangularColumns(x, INVERSE);
  return mathjs().pinv(x as number[][]);
}

function inverseSparse(x: SparseMatrix): Map<string, Map<string, number>> {
  requireSparseEntries(x, INVERSE.tooFew, INVERSE.name);
  const rows = [...x.keys()];
  const cols = columnKeys(x);
  return toSparse(mathjs().pinv(toDense(x, rows, cols)), cols, rows);
}

function traceDense(x: Matrix): number {
  if (x.length === 0) return 0;
  if (isRagged(x)) throw runtimeError(24080, 'ragged columns', 'la.trace');
  let sum = 0;
  for (let i = 0; i < Math.min(x.length, x[0]!.length); i++) sum += x[i]![i]!;
  return sum;
}

function traceSparse(x: SparseMatrix): number {
  let sum = 0;
  for (const [k, row] of x) sum += row.get(k) ?? 0;
  return sum;
}

const DET: ShapeErrors = { name: 'la.det', tooFew: 24090, ragged: 24091 };

/** A matrix with a non-finite entry has no meaningful determinant: NaN, as in Titus. */
const determinant = (m: Matrix): number => (denseFinite(m) ? mathjs().det(m as number[][]) : NaN);

function detDense(x: Matrix): number {
  requireSquare(x.length, rectangularColumns(x, DET), 24092, DET.name);
  return determinant(x);
}

/** Sparse square operations index rows and columns by the same keys: every key in either role. */
function squareKeys(x: SparseMatrix): string[] {
  return union(x.keys(), columnKeys(x));
}

function detSparse(x: SparseMatrix): number {
  requireSparseEntries(x, DET.tooFew, DET.name);
  const keys = squareKeys(x);
  return determinant(toDense(x, keys, keys));
}

// ---------------------------------------------------------------- symmetric

const SYMMETRIC: ShapeErrors = { name: 'la.symmetric', tooFew: 24100, ragged: 24101 };

/** Equal infinities and NaN pairs count as symmetric; otherwise finite values within tolerance. */
function sameWithin(a: number, b: number, tolerance: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) < tolerance;
}

function isSymmetric(m: Matrix, tolerance: number): boolean {
  return m.every((row, i) => row.every((v, j) => sameWithin(v, m[j]![i]!, tolerance)));
}

function symmetricDense(x: Matrix, tolerance: number): boolean {
  requireSquare(x.length, rectangularColumns(x, SYMMETRIC), 24102, SYMMETRIC.name);
  return isSymmetric(x, tolerance);
}

function symmetricSparse(x: SparseMatrix, tolerance: number): boolean {
  requireSparseEntries(x, SYMMETRIC.tooFew, SYMMETRIC.name);
  const keys = squareKeys(x);
  return isSymmetric(toDense(x, keys, keys), tolerance);
}

// ---------------------------------------------------------------- eigenBasis

const EIGEN: ShapeErrors = { name: 'la.eigenBasis', tooFew: 24110, ragged: 24111 };

function requireFiniteForEigen(finite: boolean): void {
  if (!finite) throw runtimeError(24113, 'non-finite matrix', EIGEN.name);
}

/**
 * Rows are the eigenvectors of the symmetrized matrix, each scaled by 1/sqrt(|eigenvalue|) and
 * signed so that its first component is non-negative, ordered by decreasing |eigenvalue| (as
 * Titus orders them: by increasing scale factor).
 */
function eigenBasis(m: Matrix): number[][] {
  const symmetrized = m.map((row, i) => row.map((v, j) => (v + m[j]![i]!) / 2));
  return mathjs()
    .eigs(symmetrized)
    .eigenvectors.map(({ value, vector }) => {
      const v = vector as number[];
      const scale = 1 / Math.sqrt(Math.abs(value as number));
      const sign = v[0]! < 0 ? -1 : 1;
      return { scale, row: v.map((c) => c * sign * scale) };
    })
    .sort((a, b) => a.scale - b.scale)
    .map((e) => e.row);
}

function eigenBasisDense(x: Matrix): number[][] {
  requireSquare(x.length, rectangularColumns(x, EIGEN), 24112, EIGEN.name);
  requireFiniteForEigen(denseFinite(x));
  return eigenBasis(x);
}

/** Output rows are keyed "0", "1", ... in the order of the dense result. */
function eigenBasisSparse(x: SparseMatrix): Map<string, Map<string, number>> {
  requireSparseEntries(x, EIGEN.tooFew, EIGEN.name);
  requireFiniteForEigen(sparseFinite(x));
  const keys = squareKeys(x).sort();
  const basis = eigenBasis(toDense(x, keys, keys));
  return toSparse(
    basis,
    basis.map((_, i) => String(i)),
    keys,
  );
}

// ---------------------------------------------------------------- truncate

const TRUNCATE: ShapeErrors = { name: 'la.truncate', tooFew: 24120, ragged: 24121 };

function truncateDense(x: Matrix, keep: number): Matrix {
  rectangularColumns(x, TRUNCATE);
  return x.slice(0, Math.max(keep, 0));
}

function truncateSparse(x: SparseMatrix, keep: readonly string[]): Map<string, SparseVector> {
  requireSparseEntries(x, TRUNCATE.tooFew, TRUNCATE.name);
  const wanted = new Set(keep);
  return new Map([...x].filter(([k]) => wanted.has(k)));
}

// ---------------------------------------------------------------- the namespace

/**
 * Time per n^3 of mathjs's inverse (pseudo-inverse), determinant and eigen-decomposition, measured
 * against its product's time per multiply-add, rounded up: their budget in the same units.
 */
const INVERSE_FACTOR = 5;
const DET_FACTOR = 3;
const EIGEN_FACTOR = 4;

const plus: Binary = (a, b) => a + b;
const minus: Binary = (a, b) => a - b;
const scaleBy =
  (alpha: number): Scalar =>
  (v) =>
    v * alpha;

export default defineLibrary('la', {
  map: {
    sig: [
      '(x: array<array<double>>, fcn: fn(double) -> double) -> array<array<double>>',
      '(x: map<map<double>>, fcn: fn(double) -> double) -> map<map<double>>',
    ],
    make: budgeted(bySignature(mapMatrix, mapSparseMatrix), elementwiseCost),
  },
  scale: {
    sig: [
      '(x: array<double>, alpha: double) -> array<double>',
      '(x: array<array<double>>, alpha: double) -> array<array<double>>',
      '(x: map<double>, alpha: double) -> map<double>',
      '(x: map<map<double>>, alpha: double) -> map<map<double>>',
    ],
    make: budgeted(
      bySignature(
        (x: Vector, alpha: number) => mapVector(x, scaleBy(alpha)),
        (x: Matrix, alpha: number) => mapMatrix(x, scaleBy(alpha)),
        (x: SparseVector, alpha: number) => mapSparseVector(x, scaleBy(alpha)),
        (x: SparseMatrix, alpha: number) => mapSparseMatrix(x, scaleBy(alpha)),
      ),
      elementwiseCost,
    ),
  },
  zipmap: {
    sig: [
      '(x: array<array<double>>, y: array<array<double>>, fcn: fn(double, double) -> double) -> array<array<double>>',
      '(x: map<map<double>>, y: map<map<double>>, fcn: fn(double, double) -> double) -> map<map<double>>',
    ],
    errors: [24020],
    make: budgeted(
      bySignature((x: Matrix, y: Matrix, fcn: Binary) => zipMatrices(x, y, fcn, 24020, 'la.zipmap'), zipSparseMatrices),
      elementwiseCost,
      2,
    ),
  },
  add: {
    sig: [
      '(x: array<double>, y: array<double>) -> array<double>',
      '(x: array<array<double>>, y: array<array<double>>) -> array<array<double>>',
      '(x: map<double>, y: map<double>) -> map<double>',
      '(x: map<map<double>>, y: map<map<double>>) -> map<map<double>>',
    ],
    errors: [24030],
    make: budgeted(elementwise(plus, 24030, 'la.add'), elementwiseCost, 2),
  },
  sub: {
    sig: [
      '(x: array<double>, y: array<double>) -> array<double>',
      '(x: array<array<double>>, y: array<array<double>>) -> array<array<double>>',
      '(x: map<double>, y: map<double>) -> map<double>',
      '(x: map<map<double>>, y: map<map<double>>) -> map<map<double>>',
    ],
    errors: [24040],
    make: budgeted(elementwise(minus, 24040, 'la.sub'), elementwiseCost, 2),
  },
  dot: {
    sig: [
      '(x: array<array<double>>, y: array<double>) -> array<double>',
      '(x: map<map<double>>, y: map<double>) -> map<double>',
      '(x: array<array<double>>, y: array<array<double>>) -> array<array<double>>',
      '(x: map<map<double>>, y: map<map<double>>) -> map<map<double>>',
    ],
    errors: [24050, 24051, 24052],
    make: withMathjs(budgeted(bySignature(dotMatrixVector, dotSparseMatrixVector, dotMatrixMatrix, dotSparseMatrixMatrix), dotCost, 2)),
  },
  transpose: {
    sig: ['(x: array<array<double>>) -> array<array<double>>', '(x: map<map<double>>) -> map<map<double>>'],
    errors: [24060, 24061],
    make: budgeted(bySignature(transposeDense, transposeSparse), elementwiseCost),
  },
  inverse: {
    sig: ['(x: array<array<double>>) -> array<array<double>>', '(x: map<map<double>>) -> map<map<double>>'],
    errors: [24070, 24071],
    make: withMathjs(budgeted(bySignature(inverseDense, inverseSparse), cubicCost(INVERSE_FACTOR))),
  },
  trace: {
    sig: ['(x: array<array<double>>) -> double', '(x: map<map<double>>) -> double'],
    errors: [24080],
    make: budgeted(bySignature(traceDense, traceSparse), visitCost),
  },
  det: {
    sig: ['(x: array<array<double>>) -> double', '(x: map<map<double>>) -> double'],
    errors: [24090, 24091, 24092],
    make: withMathjs(budgeted(bySignature(detDense, detSparse), cubicCost(DET_FACTOR))),
  },
  symmetric: {
    sig: ['(x: array<array<double>>, tolerance: double) -> boolean', '(x: map<map<double>>, tolerance: double) -> boolean'],
    errors: [24100, 24101, 24102],
    make: budgeted(bySignature(symmetricDense, symmetricSparse), visitCost),
  },
  eigenBasis: {
    sig: ['(x: array<array<double>>) -> array<array<double>>', '(x: map<map<double>>) -> map<map<double>>'],
    errors: [24110, 24111, 24112, 24113],
    make: withMathjs(budgeted(bySignature(eigenBasisDense, eigenBasisSparse), cubicCost(EIGEN_FACTOR))),
  },
  truncate: {
    sig: ['(x: array<array<double>>, keep: int) -> array<array<double>>', '(x: map<map<double>>, keep: array<string>) -> map<map<double>>'],
    errors: [24120, 24121],
    make: budgeted(bySignature(truncateDense, truncateSparse), elementwiseCost),
  },
});
