/**
 * PFA namespace `la`: linear algebra on dense matrices (arrays of arrays, vectors as arrays) and
 * sparse ones (maps of maps keyed by row then column, where a missing entry is zero).
 *
 * Every function has one implementation per signature; `make` picks it from `site.sigIndex` at
 * compile time. Inverse, determinant and eigen-decomposition come from mathjs.
 */
import { det as mathDet, eigs, multiply, pinv } from 'mathjs';
import { runtimeError } from '../../errors.js';
import { defineLibrary, type CallSite, type Impl } from './define.js';

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
  return multiply(x as number[][], y as number[]);
}

function dotMatrixMatrix(x: Matrix, y: Matrix): number[][] {
  if (x.length < 1 || x[0]!.length < 1 || y.length < 1 || y[0]!.length < 1) dotTooFew();
  if (!denseFinite(x) || !denseFinite(y)) dotNonFinite();
  if (x.some((row) => row.length !== y.length) || isRagged(y)) dotMisaligned();
  return multiply(x as number[][], y as number[][]);
}

function dotSparseMatrixVector(x: SparseMatrix, y: SparseVector): Map<string, number> {
  const rows = [...x.keys()];
  const inner = union(columnKeys(x), y.keys());
  if (rows.length < 1 || inner.length < 1) dotTooFew();
  if (!sparseFinite(x) || ![...y.values()].every(isFiniteNumber)) dotNonFinite();
  const product = multiply(toDense(x, rows, inner), inner.map((k) => y.get(k) ?? 0));
  return toSparseVector(product, rows);
}

function dotSparseMatrixMatrix(x: SparseMatrix, y: SparseMatrix): Map<string, Map<string, number>> {
  const rows = [...x.keys()];
  const inner = union(columnKeys(x), y.keys());
  const cols = columnKeys(y);
  if (rows.length < 1 || inner.length < 1 || cols.length < 1) dotTooFew();
  if (!sparseFinite(x) || !sparseFinite(y)) dotNonFinite();
  return toSparse(multiply(toDense(x, rows, inner), toDense(y, inner, cols)), rows, cols);
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
  return pinv(x as number[][]);
}

function inverseSparse(x: SparseMatrix): Map<string, Map<string, number>> {
  requireSparseEntries(x, INVERSE.tooFew, INVERSE.name);
  const rows = [...x.keys()];
  const cols = columnKeys(x);
  return toSparse(pinv(toDense(x, rows, cols)), cols, rows);
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
const determinant = (m: Matrix): number => (denseFinite(m) ? mathDet(m as number[][]) : NaN);

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
  return eigs(symmetrized)
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

const plus: Binary = (a, b) => a + b;
const minus: Binary = (a, b) => a - b;
const scaleBy = (alpha: number): Scalar => (v) => v * alpha;

export default defineLibrary('la', {
  map: {
    sig: [
      '(x: array<array<double>>, fcn: fn(double) -> double) -> array<array<double>>',
      '(x: map<map<double>>, fcn: fn(double) -> double) -> map<map<double>>',
    ],
    make: bySignature(mapMatrix, mapSparseMatrix),
  },
  scale: {
    sig: [
      '(x: array<double>, alpha: double) -> array<double>',
      '(x: array<array<double>>, alpha: double) -> array<array<double>>',
      '(x: map<double>, alpha: double) -> map<double>',
      '(x: map<map<double>>, alpha: double) -> map<map<double>>',
    ],
    make: bySignature(
      (x: Vector, alpha: number) => mapVector(x, scaleBy(alpha)),
      (x: Matrix, alpha: number) => mapMatrix(x, scaleBy(alpha)),
      (x: SparseVector, alpha: number) => mapSparseVector(x, scaleBy(alpha)),
      (x: SparseMatrix, alpha: number) => mapSparseMatrix(x, scaleBy(alpha)),
    ),
  },
  zipmap: {
    sig: [
      '(x: array<array<double>>, y: array<array<double>>, fcn: fn(double, double) -> double) -> array<array<double>>',
      '(x: map<map<double>>, y: map<map<double>>, fcn: fn(double, double) -> double) -> map<map<double>>',
    ],
    errors: [24020],
    make: bySignature(
      (x: Matrix, y: Matrix, fcn: Binary) => zipMatrices(x, y, fcn, 24020, 'la.zipmap'),
      zipSparseMatrices,
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
    make: elementwise(plus, 24030, 'la.add'),
  },
  sub: {
    sig: [
      '(x: array<double>, y: array<double>) -> array<double>',
      '(x: array<array<double>>, y: array<array<double>>) -> array<array<double>>',
      '(x: map<double>, y: map<double>) -> map<double>',
      '(x: map<map<double>>, y: map<map<double>>) -> map<map<double>>',
    ],
    errors: [24040],
    make: elementwise(minus, 24040, 'la.sub'),
  },
  dot: {
    sig: [
      '(x: array<array<double>>, y: array<double>) -> array<double>',
      '(x: map<map<double>>, y: map<double>) -> map<double>',
      '(x: array<array<double>>, y: array<array<double>>) -> array<array<double>>',
      '(x: map<map<double>>, y: map<map<double>>) -> map<map<double>>',
    ],
    errors: [24050, 24051, 24052],
    make: bySignature(dotMatrixVector, dotSparseMatrixVector, dotMatrixMatrix, dotSparseMatrixMatrix),
  },
  transpose: {
    sig: ['(x: array<array<double>>) -> array<array<double>>', '(x: map<map<double>>) -> map<map<double>>'],
    errors: [24060, 24061],
    make: bySignature(transposeDense, transposeSparse),
  },
  inverse: {
    sig: ['(x: array<array<double>>) -> array<array<double>>', '(x: map<map<double>>) -> map<map<double>>'],
    errors: [24070, 24071],
    make: bySignature(inverseDense, inverseSparse),
  },
  trace: {
    sig: ['(x: array<array<double>>) -> double', '(x: map<map<double>>) -> double'],
    errors: [24080],
    make: bySignature(traceDense, traceSparse),
  },
  det: {
    sig: ['(x: array<array<double>>) -> double', '(x: map<map<double>>) -> double'],
    errors: [24090, 24091, 24092],
    make: bySignature(detDense, detSparse),
  },
  symmetric: {
    sig: ['(x: array<array<double>>, tolerance: double) -> boolean', '(x: map<map<double>>, tolerance: double) -> boolean'],
    errors: [24100, 24101, 24102],
    make: bySignature(symmetricDense, symmetricSparse),
  },
  eigenBasis: {
    sig: ['(x: array<array<double>>) -> array<array<double>>', '(x: map<map<double>>) -> map<map<double>>'],
    errors: [24110, 24111, 24112, 24113],
    make: bySignature(eigenBasisDense, eigenBasisSparse),
  },
  truncate: {
    sig: ['(x: array<array<double>>, keep: int) -> array<array<double>>', '(x: map<map<double>>, keep: array<string>) -> map<map<double>>'],
    errors: [24120, 24121],
    make: bySignature(truncateDense, truncateSparse),
  },
});
