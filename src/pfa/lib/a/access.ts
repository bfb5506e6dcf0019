/** `a.*` functions that read or rebuild an array by position: length, slices, insertion, rotation. */
import { runtimeError } from '../../../errors.js';
import type { FnDef } from '../define.js';
import { checkedIndex, requireNonEmpty } from './_checks.js';
import { sliceBounds } from '../_slices.js';

type Arr = readonly unknown[];

export const access: Record<string, FnDef> = {
  len: { sig: '(a: array<any A>) -> int', fn: (a: Arr) => a.length },

  // JS's slice already follows Python's slice rules.
  subseq: {
    sig: '(a: array<any A>, start: int, end: int) -> array<A>',
    make:
      ({ ctx }) =>
      (a: Arr, start: number, end: number) => {
        const [s, e] = sliceBounds(a.length, start, end);
        ctx.allocate(Math.max(0, e - s));
        return a.slice(start, end);
      },
  },

  head: {
    sig: '(a: array<any A>) -> A',
    errors: [15020],
    fn: (a: Arr) => {
      requireNonEmpty(a, 15020, 'a.head');
      return a[0];
    },
  },
  tail: {
    sig: '(a: array<any A>) -> array<A>',
    errors: [15030],
    make:
      ({ ctx }) =>
      (a: Arr) => {
        requireNonEmpty(a, 15030, 'a.tail');
        ctx.allocate(a.length);
        return a.slice(1);
      },
  },
  last: {
    sig: '(a: array<any A>) -> A',
    errors: [15040],
    fn: (a: Arr) => {
      requireNonEmpty(a, 15040, 'a.last');
      return a[a.length - 1];
    },
  },
  init: {
    sig: '(a: array<any A>) -> array<A>',
    errors: [15050],
    make:
      ({ ctx }) =>
      (a: Arr) => {
        requireNonEmpty(a, 15050, 'a.init');
        ctx.allocate(a.length);
        return a.slice(0, -1);
      },
  },

  subseqto: {
    sig: '(a: array<any A>, start: int, end: int, replacement: array<A>) -> array<A>',
    make:
      ({ ctx }) =>
      (a: Arr, start: number, end: number, replacement: Arr) => {
        const [s, e] = sliceBounds(a.length, start, end);
        ctx.allocate(a.length + replacement.length);
        return [...a.slice(0, s), ...replacement, ...a.slice(e)];
      },
  },

  // Every copy counts against the allocation budget, so a loop that rebuilds a growing array
  // (quadratic work) meets it long before memory or time runs out.
  concat: {
    sig: '(a: array<any A>, b: array<A>) -> array<A>',
    make:
      ({ ctx }) =>
      (a: Arr, b: Arr) => {
        ctx.allocate(a.length + b.length);
        return [...a, ...b];
      },
  },
  append: {
    sig: '(a: array<any A>, item: A) -> array<A>',
    make:
      ({ ctx }) =>
      (a: Arr, item: unknown) => {
        ctx.allocate(a.length + 1);
        // A copy and a push: a spread goes through the array's iterator.
        const out = a.slice();
        out.push(item);
        return out;
      },
  },

  cycle: {
    sig: '(a: array<any A>, item: A, maxLength: int) -> array<A>',
    errors: [15150],
    make:
      ({ ctx }) =>
      (a: Arr, item: unknown, maxLength: number) => {
        if (maxLength < 0) throw runtimeError(15150, 'maxLength out of range', 'a.cycle');
        ctx.allocate(2 * (a.length + 1));
        // slice(-0) would keep everything, hence the explicit empty case.
        return maxLength === 0 ? [] : [...a, item].slice(-maxLength);
      },
  },

  // Titus checks the index against the current items, so inserting at index len(a) is an error.
  insert: {
    sig: '(a: array<any A>, index: int, item: A) -> array<A>',
    errors: [15160],
    make:
      ({ ctx }) =>
      (a: Arr, index: number, item: unknown) => {
        const i = checkedIndex(a.length, index, 15160, 'a.insert');
        ctx.allocate(a.length + 1);
        return [...a.slice(0, i), item, ...a.slice(i)];
      },
  },
  replace: {
    sig: '(a: array<any A>, index: int, item: A) -> array<A>',
    errors: [15170],
    make:
      ({ ctx }) =>
      (a: Arr, index: number, item: unknown) => {
        const i = checkedIndex(a.length, index, 15170, 'a.replace');
        ctx.allocate(a.length + 1);
        return [...a.slice(0, i), item, ...a.slice(i + 1)];
      },
  },
  remove: {
    sig: ['(a: array<any A>, start: int, end: int) -> array<A>', '(a: array<any A>, index: int) -> array<A>'],
    errors: [15180],
    make:
      ({ ctx }) =>
      (a: Arr, start: number, end?: number) => {
        ctx.allocate(a.length);
        if (end === undefined) {
          const i = checkedIndex(a.length, start, 15180, 'a.remove');
          return [...a.slice(0, i), ...a.slice(i + 1)];
        }
        const [s, e] = sliceBounds(a.length, start, end);
        return [...a.slice(0, s), ...a.slice(e)];
      },
  },

  rotate: {
    sig: '(a: array<any A>, steps: int) -> array<A>',
    errors: [15190],
    make:
      ({ ctx }) =>
      (a: Arr, steps: number) => {
        if (steps < 0) throw runtimeError(15190, 'steps out of range', 'a.rotate');
        ctx.allocate(a.length);
        if (a.length === 0) return [];
        const k = steps % a.length;
        return [...a.slice(k), ...a.slice(0, k)];
      },
  },

  reverse: {
    sig: '(a: array<any A>) -> array<A>',
    make:
      ({ ctx }) =>
      (a: Arr) => {
        ctx.allocate(a.length);
        return a.slice().reverse();
      },
  },
};
