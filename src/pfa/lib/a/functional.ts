/**
 * `a.*` higher-order functions. Functional arguments are plain JS functions; they are always called
 * with exactly the arguments PFA gives them (never through Array.prototype callbacks, which would
 * append an index and the array).
 */
import { runtimeError } from '../../../errors.js';
import type { FnDef } from '../define.js';
import { requireNonEmpty } from './_checks.js';

type Arr = readonly unknown[];
type F1<R> = (x: unknown) => R;
type F2<R> = (x: unknown, y: unknown) => R;
type Indexed<R> = (i: number, x: unknown) => R;

function filterMapped(a: Arr, f: Indexed<unknown>): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < a.length; i++) {
    const y = f(i, a[i]);
    if (y !== null) out.push(y);
  }
  return out;
}

function flatMapped(a: Arr, f: Indexed<Arr>): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < a.length; i++) for (const y of f(i, a[i])) out.push(y);
  return out;
}

/** Calls `f(i, a_i, b_i, ...)` for each row of equally long arrays ("misaligned arrays" otherwise). */
function zipRows(name: string, code: number, arrays: Arr[], f: (i: number, row: unknown[]) => unknown): unknown[] {
  const n = arrays[0]!.length;
  if (arrays.some((x) => x.length !== n)) throw runtimeError(code, 'misaligned arrays', name);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    out[i] = f(i, arrays.map((x) => x[i]));
  }
  return out;
}

/** Splits `(a, b, ..., fcn)` into the arrays and the function. */
function arraysAndFn(args: unknown[]): [Arr[], (...xs: unknown[]) => unknown] {
  return [args.slice(0, -1) as Arr[], args[args.length - 1] as (...xs: unknown[]) => unknown];
}

function prefixLength(a: Arr, f: F1<boolean>): number {
  let i = 0;
  while (i < a.length && f(a[i])) i++;
  return i;
}

export const functional: Record<string, FnDef> = {
  map: { sig: '(a: array<any A>, fcn: fn(A) -> any B) -> array<B>', fn: (a: Arr, f: F1<unknown>) => a.map((x) => f(x)) },
  mapWithIndex: { sig: '(a: array<any A>, fcn: fn(int, A) -> any B) -> array<B>', fn: (a: Arr, f: Indexed<unknown>) => a.map((x, i) => f(i, x)) },
  filter: { sig: '(a: array<any A>, fcn: fn(A) -> boolean) -> array<A>', fn: (a: Arr, f: F1<boolean>) => a.filter((x) => f(x)) },
  filterWithIndex: {
    sig: '(a: array<any A>, fcn: fn(int, A) -> boolean) -> array<A>',
    fn: (a: Arr, f: Indexed<boolean>) => a.filter((x, i) => f(i, x)),
  },
  filterMap: {
    sig: '(a: array<any A>, fcn: fn(A) -> union<any B, null>) -> array<B>',
    fn: (a: Arr, f: F1<unknown>) => filterMapped(a, (_, x) => f(x)),
  },
  filterMapWithIndex: { sig: '(a: array<any A>, fcn: fn(int, A) -> union<any B, null>) -> array<B>', fn: filterMapped },
  flatMap: { sig: '(a: array<any A>, fcn: fn(A) -> array<any B>) -> array<B>', fn: (a: Arr, f: F1<Arr>) => flatMapped(a, (_, x) => f(x)) },
  flatMapWithIndex: { sig: '(a: array<any A>, fcn: fn(int, A) -> array<any B>) -> array<B>', fn: flatMapped },

  zipmap: {
    sig: [
      '(a: array<any A>, b: array<any B>, fcn: fn(A, B) -> any Z) -> array<Z>',
      '(a: array<any A>, b: array<any B>, c: array<any C>, fcn: fn(A, B, C) -> any Z) -> array<Z>',
      '(a: array<any A>, b: array<any B>, c: array<any C>, d: array<any D>, fcn: fn(A, B, C, D) -> any Z) -> array<Z>',
    ],
    errors: [15650],
    fn: (...args: unknown[]) => {
      const [arrays, f] = arraysAndFn(args);
      return zipRows('a.zipmap', 15650, arrays, (_, row) => f(...row));
    },
  },
  zipmapWithIndex: {
    sig: [
      '(a: array<any A>, b: array<any B>, fcn: fn(int, A, B) -> any Z) -> array<Z>',
      '(a: array<any A>, b: array<any B>, c: array<any C>, fcn: fn(int, A, B, C) -> any Z) -> array<Z>',
      '(a: array<any A>, b: array<any B>, c: array<any C>, d: array<any D>, fcn: fn(int, A, B, C, D) -> any Z) -> array<Z>',
    ],
    errors: [15660],
    fn: (...args: unknown[]) => {
      const [arrays, f] = arraysAndFn(args);
      return zipRows('a.zipmapWithIndex', 15660, arrays, (i, row) => f(i, ...row));
    },
  },

  reduce: {
    sig: '(a: array<any A>, fcn: fn(A, A) -> A) -> A',
    errors: [15670],
    fn: (a: Arr, f: F2<unknown>) => {
      requireNonEmpty(a, 15670, 'a.reduce');
      return a.reduce((acc, x) => f(acc, x));
    },
  },
  // The tally is the second argument, accumulated from the end.
  reduceRight: {
    sig: '(a: array<any A>, fcn: fn(A, A) -> A) -> A',
    errors: [15680],
    fn: (a: Arr, f: F2<unknown>) => {
      requireNonEmpty(a, 15680, 'a.reduceRight');
      return a.reduceRight((acc, x) => f(x, acc));
    },
  },
  fold: { sig: '(a: array<any A>, zero: any B, fcn: fn(B, A) -> B) -> B', fn: (a: Arr, zero: unknown, f: F2<unknown>) => a.reduce((acc, x) => f(acc, x), zero) },
  foldRight: {
    sig: '(a: array<any A>, zero: any B, fcn: fn(A, B) -> B) -> B',
    fn: (a: Arr, zero: unknown, f: F2<unknown>) => a.reduceRight((acc, x) => f(x, acc), zero),
  },

  takeWhile: { sig: '(a: array<any A>, fcn: fn(A) -> boolean) -> array<A>', fn: (a: Arr, f: F1<boolean>) => a.slice(0, prefixLength(a, f)) },
  dropWhile: { sig: '(a: array<any A>, fcn: fn(A) -> boolean) -> array<A>', fn: (a: Arr, f: F1<boolean>) => a.slice(prefixLength(a, f)) },

  any: { sig: '(a: array<any A>, fcn: fn(A) -> boolean) -> boolean', fn: (a: Arr, f: F1<boolean>) => a.some((x) => f(x)) },
  all: { sig: '(a: array<any A>, fcn: fn(A) -> boolean) -> boolean', fn: (a: Arr, f: F1<boolean>) => a.every((x) => f(x)) },
  corresponds: {
    sig: '(a: array<any A>, b: array<any B>, fcn: fn(A, B) -> boolean) -> boolean',
    fn: (a: Arr, b: Arr, f: F2<boolean>) => a.length === b.length && a.every((x, i) => f(x, b[i])),
  },
  correspondsWithIndex: {
    sig: '(a: array<any A>, b: array<any B>, fcn: fn(int, A, B) -> boolean) -> boolean',
    fn: (a: Arr, b: Arr, f: (i: number, x: unknown, y: unknown) => boolean) => a.length === b.length && a.every((x, i) => f(i, x, b[i])),
  },

  groupby: {
    sig: '(a: array<any A>, fcn: fn(A) -> string) -> map<array<A>>',
    fn: (a: Arr, f: F1<string>) => {
      const out = new Map<string, unknown[]>();
      for (const x of a) {
        const key = f(x);
        const group = out.get(key);
        if (group) group.push(x);
        else out.set(key, [x]);
      }
      return out;
    },
  },
};
