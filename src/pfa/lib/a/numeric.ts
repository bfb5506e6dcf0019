/** `a.*` arithmetic over numeric arrays. */
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN } from '../../../avro/values.js';
import { runtimeError } from '../../../errors.js';
import type { FnDef, Impl } from '../define.js';
import { itemsOf } from './_checks.js';

type Nums = readonly number[];
type Longs = readonly bigint[];

type Exact = (a: readonly (number | bigint)[]) => bigint;

/**
 * The int/long/float/double variants of an accumulation. Integer results are computed exactly and
 * range-checked once at the end, as Titus does (an intermediate overflow that cancels out is not an
 * error): `code` for int, `code + 1` for long.
 */
function accumulation(name: string, code: number, exact: Exact, inexact: (a: Nums) => number): FnDef {
  const byKind: Record<string, Impl> = {
    int: (a: Nums) => {
      const r = exact(a);
      if (r < INT_MIN || r > INT_MAX) throw runtimeError(code, 'int overflow', name);
      return Number(r);
    },
    long: (a: Longs) => {
      const r = exact(a);
      if (r < LONG_MIN || r > LONG_MAX) throw runtimeError(code + 1, 'long overflow', name);
      return r;
    },
    float: (a: Nums) => Math.fround(inexact(a)),
    double: inexact,
  };
  return {
    sig: '(a: array<any A of int|long|float|double>) -> A',
    errors: [code, code + 1],
    make: (site) => {
      const f = byKind[itemsOf(site).kind]!;
      const ctx = site.ctx;
      return (a: Nums | Longs) => (ctx.charge(a.length), f(a));
    },
  };
}

const exactSum: Exact = (a) => {
  let s = 0n;
  for (const x of a) s += BigInt(x);
  return s;
};

const exactProduct: Exact = (a) => {
  let p = 1n;
  for (const x of a) p *= BigInt(x);
  return p;
};

/** Python's max(): the first item unless a later one is greater, so a leading NaN wins. */
function pythonMax(a: Nums): number {
  let m = a[0]!;
  for (const x of a) if (x > m) m = x;
  return m;
}

function sumOf(a: Nums): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

function productOf(a: Nums): number {
  let p = 1;
  for (const x of a) p *= x;
  return p;
}

export const numeric: Record<string, FnDef> = {
  // The sum and the mean of an ensemble's scores are collected by its kernel (the double sum only).
  sum: { ...accumulation('a.sum', 15400, exactSum, sumOf), kernel: { kind: 'ensemble', sigs: [0], collect: 'sum' } },
  product: accumulation('a.product', 15410, exactProduct, productOf),

  // Math.log already gives -Infinity at 0 and NaN below.
  lnsum: {
    sig: '(a: array<double>) -> double',
    make:
      ({ ctx }) =>
      (a: Nums) => {
        ctx.charge(a.length);
        let s = 0;
        for (const x of a) s += Math.log(x);
        return s;
      },
  },
  // 0 / 0 makes the empty mean NaN.
  mean: {
    sig: '(a: array<double>) -> double',
    kernel: { kind: 'ensemble', sigs: [0], collect: 'mean' },
    make:
      ({ ctx }) =>
      (a: Nums) => (ctx.charge(a.length), sumOf(a) / a.length),
  },
  geomean: {
    sig: '(a: array<double>) -> double',
    make:
      ({ ctx }) =>
      (a: Nums) => (ctx.charge(a.length), a.length === 0 ? NaN : productOf(a) ** (1 / a.length)),
  },

  // Shifting by the maximum keeps exp() from overflowing.
  logsumexp: {
    sig: '(a: array<double>) -> double',
    make:
      ({ ctx }) =>
      (a: Nums) => {
        ctx.charge(a.length);
        if (a.length === 0) return NaN;
        const m = pythonMax(a);
        let s = 0;
        for (const x of a) s += Math.exp(x - m);
        return Math.log(s) + m;
      },
  },
};
