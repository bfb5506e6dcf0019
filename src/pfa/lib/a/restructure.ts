/** `a.*` functions that regroup items: windows, combinations, permutations, flattening. */
import { runtimeError } from '../../../errors.js';
import type { FnDef } from '../define.js';
import { binomial } from './_checks.js';

type Arr = readonly unknown[];

/** Index tuples of `size` out of `n` in lexicographic order, as Python's itertools.combinations. */
function* combinationIndexes(n: number, size: number): Generator<number[]> {
  if (size > n) return;
  const idx = Array.from({ length: size }, (_, i) => i);
  for (;;) {
    yield idx.slice();
    // The rightmost position that can still move right; everything after it restarts just past it.
    let i = size - 1;
    while (i >= 0 && idx[i] === n - size + i) i--;
    if (i < 0) return;
    idx[i]!++;
    for (let j = i + 1; j < size; j++) idx[j] = idx[j - 1]! + 1;
  }
}

/** Orderings of 0..n-1 in lexicographic order (itertools.permutations), by next-permutation steps. */
function* permutationIndexes(n: number): Generator<number[]> {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (;;) {
    yield idx.slice();
    let i = n - 2;
    while (i >= 0 && idx[i]! > idx[i + 1]!) i--;
    if (i < 0) return;
    let j = n - 1;
    while (idx[j]! < idx[i]!) j--;
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    idx.splice(i + 1, n - i - 1, ...idx.slice(i + 1).reverse());
  }
}

export const restructure: Record<string, FnDef> = {
  // Windows start every `step` items; a final window shorter than `size` is dropped.
  slidingWindow: {
    sig: '(a: array<any A>, size: int, step: int) -> array<array<A>>',
    errors: [15770, 15771],
    make:
      ({ ctx }) =>
      (a: Arr, size: number, step: number) => {
        if (size < 1) throw runtimeError(15770, 'size < 1', 'a.slidingWindow');
        if (step < 1) throw runtimeError(15771, 'step < 1', 'a.slidingWindow');
        const windows = a.length < size ? 0 : Math.floor((a.length - size) / step) + 1;
        ctx.allocate(windows * (size + 1));
        const out: unknown[][] = [];
        for (let start = 0; start + size <= a.length; start += step) out.push(a.slice(start, start + size));
        return out;
      },
  },

  combinations: {
    sig: '(a: array<any A>, size: int) -> array<array<A>>',
    errors: [15780],
    make:
      ({ ctx }) =>
      (a: Arr, size: number) => {
        if (size < 1) throw runtimeError(15780, 'size < 1', 'a.combinations');
        // Reserved from the count C(n, size) before the first one is made.
        if (size <= a.length) ctx.allocate(binomial(a.length, size) * (size + 1));
        return Array.from(combinationIndexes(a.length, size), (idx) => idx.map((i) => a[i]));
      },
  },

  permutations: {
    sig: '(a: array<any A>) -> array<array<A>>',
    make:
      ({ ctx }) =>
      (a: Arr) => {
        let count = 1;
        for (let k = 2; k <= a.length && count < Infinity; k++) count *= k;
        ctx.allocate(count * (a.length + 1));
        return Array.from(permutationIndexes(a.length), (idx) => idx.map((i) => a[i]));
      },
  },

  flatten: {
    sig: '(a: array<array<any A>>) -> array<A>',
    make:
      ({ ctx }) =>
      (a: readonly Arr[]) => {
        let total = 0;
        for (const x of a) total += x.length;
        ctx.charge(a.length);
        ctx.allocate(total);
        return a.flat();
      },
  },
};
