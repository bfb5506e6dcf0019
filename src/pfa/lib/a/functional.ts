/**
 * `a.*` higher-order functions. Functional arguments are plain JS functions; they are always called
 * with exactly the arguments PFA gives them (never through Array.prototype callbacks, which would
 * append an index and the array).
 */
import { runtimeError } from '../../../errors.js';
import type { EngineContext, FnDef } from '../define.js';
import { requireNonEmpty } from './_checks.js';

type Arr = readonly unknown[];
type F1<R> = (x: unknown) => R;
type F2<R> = (x: unknown, y: unknown) => R;
type Indexed<R> = (i: number, x: unknown) => R;

/*
 * Each function charges one unit per item it visits (the functional argument charges its own work:
 * a user function's call is a step) and reserves its result's items before making them.
 */

/** One unit per item visited; a result as long as the input reserved with it. */
function visits(ctx: EngineContext, n: number, made = n): void {
  ctx.allocate(made);
  ctx.charge(n);
}

function filterMapped(ctx: EngineContext, a: Arr, f: Indexed<unknown>): unknown[] {
  visits(ctx, a.length);
  const out: unknown[] = [];
  for (let i = 0; i < a.length; i++) {
    const y = f(i, a[i]);
    if (y !== null) out.push(y);
  }
  return out;
}

function flatMapped(ctx: EngineContext, a: Arr, f: Indexed<Arr>): unknown[] {
  ctx.charge(a.length);
  const out: unknown[] = [];
  for (let i = 0; i < a.length; i++) {
    const ys = f(i, a[i]);
    ctx.allocate(ys.length);
    for (const y of ys) out.push(y);
  }
  return out;
}

/** Calls `f(i, a_i, b_i, ...)` for each row of equally long arrays ("misaligned arrays" otherwise). */
function zipRows(ctx: EngineContext, name: string, code: number, arrays: Arr[], f: (i: number, row: unknown[]) => unknown): unknown[] {
  const n = arrays[0]!.length;
  if (arrays.some((x) => x.length !== n)) throw runtimeError(code, 'misaligned arrays', name);
  visits(ctx, n * arrays.length, n * (arrays.length + 1));
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    out[i] = f(
      i,
      arrays.map((x) => x[i]),
    );
  }
  return out;
}

/** Splits `(a, b, ..., fcn)` into the arrays and the function. */
function arraysAndFn(args: unknown[]): [Arr[], (...xs: unknown[]) => unknown] {
  return [args.slice(0, -1) as Arr[], args[args.length - 1] as (...xs: unknown[]) => unknown];
}

function prefixLength(ctx: EngineContext, a: Arr, f: F1<boolean>): number {
  visits(ctx, a.length);
  let i = 0;
  while (i < a.length && f(a[i])) i++;
  return i;
}

export const functional: Record<string, FnDef> = {
  map: {
    sig: '(a: array<any A>, fcn: fn(A) -> any B) -> array<B>',
    // A tree walk mapped over a constant array of trees is an ensemble kernel.
    kernel: { kind: 'ensemble', sigs: [0], collect: 'array' },
    make:
      ({ ctx }) =>
      (a: Arr, f: F1<unknown>) => (visits(ctx, a.length), a.map((x) => f(x))),
  },
  mapWithIndex: {
    sig: '(a: array<any A>, fcn: fn(int, A) -> any B) -> array<B>',
    make:
      ({ ctx }) =>
      (a: Arr, f: Indexed<unknown>) => (visits(ctx, a.length), a.map((x, i) => f(i, x))),
  },
  filter: {
    sig: '(a: array<any A>, fcn: fn(A) -> boolean) -> array<A>',
    make:
      ({ ctx }) =>
      (a: Arr, f: F1<boolean>) => (visits(ctx, a.length), a.filter((x) => f(x))),
  },
  filterWithIndex: {
    sig: '(a: array<any A>, fcn: fn(int, A) -> boolean) -> array<A>',
    make:
      ({ ctx }) =>
      (a: Arr, f: Indexed<boolean>) => (visits(ctx, a.length), a.filter((x, i) => f(i, x))),
  },
  filterMap: {
    sig: '(a: array<any A>, fcn: fn(A) -> union<any B, null>) -> array<B>',
    make:
      ({ ctx }) =>
      (a: Arr, f: F1<unknown>) =>
        filterMapped(ctx, a, (_, x) => f(x)),
  },
  filterMapWithIndex: {
    sig: '(a: array<any A>, fcn: fn(int, A) -> union<any B, null>) -> array<B>',
    make:
      ({ ctx }) =>
      (a: Arr, f: Indexed<unknown>) =>
        filterMapped(ctx, a, f),
  },
  flatMap: {
    sig: '(a: array<any A>, fcn: fn(A) -> array<any B>) -> array<B>',
    make:
      ({ ctx }) =>
      (a: Arr, f: F1<Arr>) =>
        flatMapped(ctx, a, (_, x) => f(x)),
  },
  flatMapWithIndex: {
    sig: '(a: array<any A>, fcn: fn(int, A) -> array<any B>) -> array<B>',
    make:
      ({ ctx }) =>
      (a: Arr, f: Indexed<Arr>) =>
        flatMapped(ctx, a, f),
  },

  zipmap: {
    sig: [
      '(a: array<any A>, b: array<any B>, fcn: fn(A, B) -> any Z) -> array<Z>',
      '(a: array<any A>, b: array<any B>, c: array<any C>, fcn: fn(A, B, C) -> any Z) -> array<Z>',
      '(a: array<any A>, b: array<any B>, c: array<any C>, d: array<any D>, fcn: fn(A, B, C, D) -> any Z) -> array<Z>',
    ],
    errors: [15650],
    make:
      ({ ctx }) =>
      (...args: unknown[]) => {
        const [arrays, f] = arraysAndFn(args);
        return zipRows(ctx, 'a.zipmap', 15650, arrays, (_, row) => f(...row));
      },
  },
  zipmapWithIndex: {
    sig: [
      '(a: array<any A>, b: array<any B>, fcn: fn(int, A, B) -> any Z) -> array<Z>',
      '(a: array<any A>, b: array<any B>, c: array<any C>, fcn: fn(int, A, B, C) -> any Z) -> array<Z>',
      '(a: array<any A>, b: array<any B>, c: array<any C>, d: array<any D>, fcn: fn(int, A, B, C, D) -> any Z) -> array<Z>',
    ],
    errors: [15660],
    make:
      ({ ctx }) =>
      (...args: unknown[]) => {
        const [arrays, f] = arraysAndFn(args);
        return zipRows(ctx, 'a.zipmapWithIndex', 15660, arrays, (i, row) => f(i, ...row));
      },
  },

  reduce: {
    sig: '(a: array<any A>, fcn: fn(A, A) -> A) -> A',
    errors: [15670],
    make:
      ({ ctx }) =>
      (a: Arr, f: F2<unknown>) => {
        requireNonEmpty(a, 15670, 'a.reduce');
        ctx.charge(a.length);
        return a.reduce((acc, x) => f(acc, x));
      },
  },
  // The tally is the second argument, accumulated from the end.
  reduceRight: {
    sig: '(a: array<any A>, fcn: fn(A, A) -> A) -> A',
    errors: [15680],
    make:
      ({ ctx }) =>
      (a: Arr, f: F2<unknown>) => {
        requireNonEmpty(a, 15680, 'a.reduceRight');
        ctx.charge(a.length);
        return a.reduceRight((acc, x) => f(x, acc));
      },
  },
  fold: {
    sig: '(a: array<any A>, zero: any B, fcn: fn(B, A) -> B) -> B',
    // A float32 sum of an ensemble's scores is collected by its kernel (recognise-tree.ts says which folds are).
    kernel: { kind: 'ensemble', sigs: [0], collect: 'fold' },
    make:
      ({ ctx }) =>
      (a: Arr, zero: unknown, f: F2<unknown>) => (ctx.charge(a.length), a.reduce((acc, x) => f(acc, x), zero)),
  },
  foldRight: {
    sig: '(a: array<any A>, zero: any B, fcn: fn(A, B) -> B) -> B',
    make:
      ({ ctx }) =>
      (a: Arr, zero: unknown, f: F2<unknown>) => (ctx.charge(a.length), a.reduceRight((acc, x) => f(x, acc), zero)),
  },

  takeWhile: {
    sig: '(a: array<any A>, fcn: fn(A) -> boolean) -> array<A>',
    make:
      ({ ctx }) =>
      (a: Arr, f: F1<boolean>) =>
        a.slice(0, prefixLength(ctx, a, f)),
  },
  dropWhile: {
    sig: '(a: array<any A>, fcn: fn(A) -> boolean) -> array<A>',
    make:
      ({ ctx }) =>
      (a: Arr, f: F1<boolean>) =>
        a.slice(prefixLength(ctx, a, f)),
  },

  any: {
    sig: '(a: array<any A>, fcn: fn(A) -> boolean) -> boolean',
    make:
      ({ ctx }) =>
      (a: Arr, f: F1<boolean>) => (ctx.charge(a.length), a.some((x) => f(x))),
  },
  all: {
    sig: '(a: array<any A>, fcn: fn(A) -> boolean) -> boolean',
    make:
      ({ ctx }) =>
      (a: Arr, f: F1<boolean>) => (ctx.charge(a.length), a.every((x) => f(x))),
  },
  corresponds: {
    sig: '(a: array<any A>, b: array<any B>, fcn: fn(A, B) -> boolean) -> boolean',
    make:
      ({ ctx }) =>
      (a: Arr, b: Arr, f: F2<boolean>) => (ctx.charge(a.length), a.length === b.length && a.every((x, i) => f(x, b[i]))),
  },
  correspondsWithIndex: {
    sig: '(a: array<any A>, b: array<any B>, fcn: fn(int, A, B) -> boolean) -> boolean',
    make:
      ({ ctx }) =>
      (a: Arr, b: Arr, f: (i: number, x: unknown, y: unknown) => boolean) => (
        ctx.charge(a.length), a.length === b.length && a.every((x, i) => f(i, x, b[i]))
      ),
  },

  groupby: {
    sig: '(a: array<any A>, fcn: fn(A) -> string) -> map<array<A>>',
    make:
      ({ ctx }) =>
      (a: Arr, f: F1<string>) => {
        visits(ctx, a.length);
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
