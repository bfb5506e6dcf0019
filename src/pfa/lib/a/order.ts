/**
 * `a.*` functions that depend on an ordering of the items: sorting, extremes and their indexes,
 * median, n-tiles and mode. The ordering is Avro's sort order for the item type (`comparator`), or
 * a user's `lessThan` read as Titus does: x < y if lessThan(x, y), x > y if lessThan(y, x), else tie.
 * Ties always keep the items' original order.
 */
import { comparator, type Comparator } from '../../../avro/compare.js';
import type { AvroType } from '../../../avro/types.js';
import { runtimeError } from '../../../errors.js';
import type { EngineContext, FnDef } from '../define.js';
import { itemsOf, requireCount, requireNonEmpty } from './_checks.js';

type Arr = readonly unknown[];
type LessThan = (x: unknown, y: unknown) => boolean;

/**
 * A sort of `n` items about to be made: about n log2 n comparisons charged (a user's `lessThan`
 * also charges its own calls) and the sorted copy reserved.
 */
function sorting(ctx: EngineContext, n: number): void {
  ctx.allocate(n);
  ctx.charge(n * (32 - Math.clz32(n)));
}

function ltComparator(lt: LessThan): Comparator {
  return (x, y) => (lt(x, y) ? -1 : lt(y, x) ? 1 : 0);
}

function descending(cmp: Comparator): Comparator {
  return (x, y) => cmp(y, x);
}

/** Index of the first item that sorts first: later ties do not replace it. */
function firstBest(a: Arr, cmp: Comparator): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (cmp(a[i], a[best]) < 0) best = i;
  return best;
}

/** Indexes of the first `n` items of a stable sort (Array.prototype.sort is stable). */
function firstN(a: Arr, n: number, cmp: Comparator): number[] {
  const idx = Array.from(a, (_, i) => i);
  idx.sort((i, j) => cmp(a[i], a[j]));
  return idx.slice(0, n);
}

/**
 * firstN for numbers (int, float, double) in the type's order, when none is NaN: `<` orders them as
 * the type's comparator does (-0 equal to 0, infinities by sign). A boosted ensemble's weighted
 * median sorts its trees' predictions once a record (`a.argminN`), where calls of the comparator
 * were most of the time: a short array is sorted by insertion, with the comparisons inline (stable,
 * as Array.prototype.sort is); a longer one by sort with a comparator of two subtractions' worth.
 */
function firstNNumbers(a: readonly number[], n: number, max: boolean): number[] | undefined {
  for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i])) return undefined;
  const idx = Array.from(a, (_, i) => i);
  if (a.length > INSERTION_SORT) idx.sort(max ? (i, j) => a[j]! - a[i]! : (i, j) => a[i]! - a[j]!);
  else
    for (let k = 1; k < idx.length; k++) {
      const i = idx[k]!;
      const x = a[i]!;
      let m = k - 1;
      // Moves past the items that sort after x (strictly: equal ones keep their order).
      if (max) for (; m >= 0 && a[idx[m]!]! < x; m--) idx[m + 1] = idx[m]!;
      else for (; m >= 0 && a[idx[m]!]! > x; m--) idx[m + 1] = idx[m]!;
      idx[m + 1] = i;
    }
  return idx.length > n ? idx.slice(0, n) : idx;
}

/** Arrays up to this long are sorted by insertion in firstNNumbers. */
const INSERTION_SORT = 64;

/**
 * firstBest for numbers in the type's order (NaN above every number, -0 equal to 0), without a
 * comparator call per item: an ensemble's class probabilities go through `a.argmax` once a record,
 * and the comparator (descending, then compareNumbers) was about a tenth of scoring a small one
 * (sklearn-LightGBMIris). Bigints (long) compare with the same operators and are never NaN.
 */
function firstBestNumber(a: readonly (number | bigint)[], max: boolean): number {
  let best = 0;
  let b = a[0]!;
  if (max) {
    if (Number.isNaN(b)) return 0; // NaN is the greatest; the first one wins
    for (let i = 1; i < a.length; i++) {
      const v = a[i]!;
      if (Number.isNaN(v)) return i;
      if (v > b) {
        best = i;
        b = v;
      }
    }
  } else {
    for (let i = 1; i < a.length; i++) {
      const v = a[i]!;
      // Smaller, or a number where the best so far is NaN.
      if (v < b || (Number.isNaN(b) && !Number.isNaN(v))) {
        best = i;
        b = v;
      }
    }
  }
  return best;
}

const NUMBER_KINDS: ReadonlySet<string> = new Set(['int', 'long', 'float', 'double']);

/** The number kinds held as JS numbers (a long is a bigint, which firstNNumbers' sort cannot subtract into a number). */
const FLOATING_OR_INT: ReadonlySet<string> = new Set([...NUMBER_KINDS].filter((k) => k !== 'long'));

interface ExtremeKind {
  readonly max: boolean;
  /** Ordered by a `lessThan` argument (the last one) instead of the item type. */
  readonly lt: boolean;
  /** Takes a count `n` (second argument) and returns that many. */
  readonly n: boolean;
  /** Returns indexes rather than items. */
  readonly index: boolean;
}

/**
 * The sixteen max/min functions differ only along the four axes of ExtremeKind. Errors: `code` for
 * an empty array, `code + 1` for a negative n.
 */
function extreme(local: string, sig: string, code: number, kind: ExtremeKind): FnDef {
  const name = `a.${local}`;
  const orient = (cmp: Comparator): Comparator => (kind.max ? descending(cmp) : cmp);
  return {
    sig,
    errors: kind.n ? [code, code + 1] : [code],
    make: (site) => {
      const items = itemsOf(site);
      const ctx = site.ctx;
      if (!kind.lt && !kind.n && NUMBER_KINDS.has(items.kind))
        return (a: Arr) => {
          requireNonEmpty(a, code, name);
          ctx.charge(a.length);
          const i = firstBestNumber(a as readonly (number | bigint)[], kind.max);
          return kind.index ? i : a[i];
        };
      const byType = kind.lt ? undefined : orient(comparator(items));
      const numbers = !kind.lt && FLOATING_OR_INT.has(items.kind);
      return (a: Arr, ...rest: unknown[]) => {
        requireNonEmpty(a, code, name);
        const cmp = byType ?? orient(ltComparator(rest[rest.length - 1] as LessThan));
        if (!kind.n) {
          ctx.charge(a.length);
          const i = firstBest(a, cmp);
          return kind.index ? i : a[i];
        }
        const n = rest[0] as number;
        requireCount(n, code + 1, name);
        sorting(ctx, a.length);
        const idx = (numbers ? firstNNumbers(a as readonly number[], n, kind.max) : undefined) ?? firstN(a, n, cmp);
        return kind.index ? idx : idx.map((i) => a[i]);
      };
    },
  };
}

/** How the items are ordered and, for float and double items only, averaged between neighbours. */
interface Ranking {
  readonly cmp: Comparator;
  readonly floating: boolean;
  /** Rounds an average to the item type (float results are 32-bit). */
  readonly round: (x: number) => number;
}

function ranking(items: AvroType): Ranking {
  const floating = items.kind === 'float' || items.kind === 'double';
  return { cmp: comparator(items), floating, round: items.kind === 'float' ? Math.fround : (x) => x };
}

/** The center of a sorted array; for an even length, the average for float/double, else the left one. */
function medianOfSorted(sa: Arr, r: Ranking): unknown {
  const half = sa.length >> 1;
  if (sa.length % 2 === 1) return sa[half];
  return r.floating ? r.round(((sa[half - 1] as number) + (sa[half] as number)) / 2) : sa[half - 1];
}

export const order: Record<string, FnDef> = {
  sort: {
    sig: '(a: array<any A>) -> array<A>',
    make: (site) => {
      const cmp = comparator(itemsOf(site));
      const ctx = site.ctx;
      return (a: Arr) => {
        sorting(ctx, a.length);
        return a.slice().sort(cmp);
      };
    },
  },
  sortLT: {
    sig: '(a: array<any A>, lessThan: fn(A, A) -> boolean) -> array<A>',
    make:
      ({ ctx }) =>
      (a: Arr, lt: LessThan) => {
        sorting(ctx, a.length);
        return a.slice().sort(ltComparator(lt));
      },
  },

  // Fisher-Yates with the engine's generator.
  shuffle: {
    sig: '(a: array<any A>) -> array<A>',
    make: (site) => (a: Arr) => {
      site.ctx.charge(a.length);
      site.ctx.allocate(a.length);
      const out = a.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(site.ctx.random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  },

  max: extreme('max', '(a: array<any A>) -> A', 15240, { max: true, lt: false, n: false, index: false }),
  min: extreme('min', '(a: array<any A>) -> A', 15250, { max: false, lt: false, n: false, index: false }),
  maxLT: extreme('maxLT', '(a: array<any A>, lessThan: fn(A, A) -> boolean) -> A', 15260, { max: true, lt: true, n: false, index: false }),
  minLT: extreme('minLT', '(a: array<any A>, lessThan: fn(A, A) -> boolean) -> A', 15270, { max: false, lt: true, n: false, index: false }),
  maxN: extreme('maxN', '(a: array<any A>, n: int) -> array<A>', 15280, { max: true, lt: false, n: true, index: false }),
  minN: extreme('minN', '(a: array<any A>, n: int) -> array<A>', 15290, { max: false, lt: false, n: true, index: false }),
  maxNLT: extreme('maxNLT', '(a: array<any A>, n: int, lessThan: fn(A, A) -> boolean) -> array<A>', 15300, {
    max: true,
    lt: true,
    n: true,
    index: false,
  }),
  minNLT: extreme('minNLT', '(a: array<any A>, n: int, lessThan: fn(A, A) -> boolean) -> array<A>', 15310, {
    max: false,
    lt: true,
    n: true,
    index: false,
  }),
  argmax: extreme('argmax', '(a: array<any A>) -> int', 15320, { max: true, lt: false, n: false, index: true }),
  argmin: extreme('argmin', '(a: array<any A>) -> int', 15330, { max: false, lt: false, n: false, index: true }),
  argmaxLT: extreme('argmaxLT', '(a: array<any A>, lessThan: fn(A, A) -> boolean) -> int', 15340, {
    max: true,
    lt: true,
    n: false,
    index: true,
  }),
  argminLT: extreme('argminLT', '(a: array<any A>, lessThan: fn(A, A) -> boolean) -> int', 15350, {
    max: false,
    lt: true,
    n: false,
    index: true,
  }),
  argmaxN: extreme('argmaxN', '(a: array<any A>, n: int) -> array<int>', 15360, { max: true, lt: false, n: true, index: true }),
  argminN: extreme('argminN', '(a: array<any A>, n: int) -> array<int>', 15370, { max: false, lt: false, n: true, index: true }),
  argmaxNLT: extreme('argmaxNLT', '(a: array<any A>, n: int, lessThan: fn(A, A) -> boolean) -> array<int>', 15380, {
    max: true,
    lt: true,
    n: true,
    index: true,
  }),
  argminNLT: extreme('argminNLT', '(a: array<any A>, n: int, lessThan: fn(A, A) -> boolean) -> array<int>', 15390, {
    max: false,
    lt: true,
    n: true,
    index: true,
  }),

  median: {
    sig: '(a: array<any A>) -> A',
    errors: [15450],
    make: (site) => {
      const r = ranking(itemsOf(site));
      return (a: Arr) => {
        requireNonEmpty(a, 15450, 'a.median');
        sorting(site.ctx, a.length);
        return medianOfSorted(a.slice().sort(r.cmp), r);
      };
    },
  },

  // Titus: p <= 0 and p >= 1 give the first minimum and maximum; in between, the item at rank
  // (n - 1) p of the sorted array, interpolated linearly for float and double items.
  ntile: {
    sig: '(a: array<any A>, p: double) -> A',
    errors: [15460, 15461],
    make: (site) => {
      const r = ranking(itemsOf(site));
      return (a: Arr, p: number) => {
        requireNonEmpty(a, 15460, 'a.ntile');
        if (Number.isNaN(p)) throw runtimeError(15461, 'p not a number', 'a.ntile');
        site.ctx.charge(a.length);
        if (p <= 0) return a[firstBest(a, r.cmp)];
        if (p >= 1) return a[firstBest(a, descending(r.cmp))];
        sorting(site.ctx, a.length);
        const sa = a.slice().sort(r.cmp);
        const k = (sa.length - 1) * p;
        const f = Math.floor(k);
        const c = Math.ceil(k);
        if (!r.floating || f === c) return sa[f];
        return r.round((sa[f] as number) * (c - k) + (sa[c] as number) * (k - f));
      };
    },
  },

  // Values equal in the sort order (NaN included) count as one; ties between equally common values
  // are settled by the median of those values, as Titus does.
  mode: {
    sig: '(a: array<any A>) -> A',
    errors: [15470],
    make: (site) => {
      const r = ranking(itemsOf(site));
      return (a: Arr) => {
        requireNonEmpty(a, 15470, 'a.mode');
        sorting(site.ctx, a.length);
        const sa = a.slice().sort(r.cmp);
        let best: unknown[] = [];
        let bestCount = 0;
        let start = 0;
        while (start < sa.length) {
          let end = start + 1;
          while (end < sa.length && r.cmp(sa[start], sa[end]) === 0) end++;
          const count = end - start;
          if (count > bestCount) {
            best = [];
            bestCount = count;
          }
          if (count === bestCount) best.push(sa[start]);
          start = end;
        }
        return medianOfSorted(best, r);
      };
    },
  },
};
