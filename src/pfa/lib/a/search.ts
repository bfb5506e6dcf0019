/**
 * `a.*` functions that look for a needle in a haystack. Each has up to three signatures, tried in
 * this order: the needle is a subsequence (array of items), a single item, or a predicate.
 */
import { equalByIdentity, equality } from '../../../avro/compare.js';
import type { CallSite, EngineContext, FnDef } from '../define.js';
import { itemsOf } from './_checks.js';

type Arr = readonly unknown[];
type Predicate = (x: unknown) => boolean;

/** Where a needle can be found: candidate start positions run from 0 to `last`. */
interface Search {
  /** The most items one look at a position compares (the needle's length for a subsequence). */
  width(needle: unknown): number;
  last(haystack: Arr, needle: unknown): number;
  /** Whether the needle occurs at position `i` of the haystack. */
  at(haystack: Arr, needle: unknown, i: number): boolean;
}

const SUBSEQUENCE = 0;
const ITEM = 1;

/*
 * The checker picks the signature. Note that an array needle searched in an array of arrays fits the
 * first one, with A widened to a union of both item types, so it is looked for as a subsequence
 * (and `a.contains([[1]], [1])` is false), as in the reference engines.
 */
function searchFor(site: CallSite): Search {
  if (site.sigIndex === SUBSEQUENCE) {
    const eq = equality(itemsOf(site));
    return {
      width: (n) => (n as Arr).length + 1,
      last: (h, n) => h.length - (n as Arr).length,
      at: (h, n, i) => {
        const needle = n as Arr;
        for (let k = 0; k < needle.length; k++) if (!eq(h[i + k], needle[k])) return false;
        return true;
      },
    };
  }
  if (site.sigIndex === ITEM) {
    const eq = equality(itemsOf(site));
    return { width: () => 1, last: (h) => h.length - 1, at: (h, n, i) => eq(h[i], n) };
  }
  return { width: () => 1, last: (h) => h.length - 1, at: (h, n, i) => (n as Predicate)(h[i]) };
}

/** Charges a whole scan of the haystack: the positions times what one look compares. */
function chargeScan(ctx: EngineContext, s: Search, h: Arr, needle: unknown): void {
  ctx.charge((Math.max(s.last(h, needle), 0) + 1) * s.width(needle));
}

/**
 * `a.count` of a subsequence whose items are equal when `===` says so (strings, numbers): the
 * comparisons written out rather than two calls each (text models count every term of their
 * vocabulary in the text's tokens, some hundreds of times a record). The generic count is the
 * baseline a spec compares it with.
 */
function countByIdentity(ctx: EngineContext, s: Search): (h: Arr, needle: Arr) => number {
  return (h, needle) => {
    const m = needle.length;
    if (m === 0) return 0;
    chargeScan(ctx, s, h, needle);
    const first = needle[0];
    const last = h.length - m;
    let n = 0;
    // indexOf compares with `===` too, natively: most needles are absent or one item long.
    for (let i = h.indexOf(first); i >= 0 && i <= last; i = h.indexOf(first, i + 1)) {
      let k = 1;
      while (k < m && h[i + k] === needle[k]) k++;
      if (k === m) n++;
    }
    return n;
  };
}

function firstIndex(ctx: EngineContext, s: Search, h: Arr, needle: unknown): number {
  chargeScan(ctx, s, h, needle);
  const last = s.last(h, needle);
  for (let i = 0; i <= last; i++) if (s.at(h, needle, i)) return i;
  return -1;
}

const BOOLEAN_SIGS = [
  '(haystack: array<any A>, needle: array<A>) -> boolean',
  '(haystack: array<any A>, needle: A) -> boolean',
  '(haystack: array<any A>, needle: fn(A) -> boolean) -> boolean',
];
const INT_SIGS = [
  '(haystack: array<any A>, needle: array<A>) -> int',
  '(haystack: array<any A>, needle: A) -> int',
  '(haystack: array<any A>, needle: fn(A) -> boolean) -> int',
];

export const search: Record<string, FnDef> = {
  contains: {
    sig: BOOLEAN_SIGS,
    kernel: { kind: 'membership', sigs: [ITEM] },
    make: (site) => {
      const s = searchFor(site);
      return (h: Arr, needle: unknown) => firstIndex(site.ctx, s, h, needle) >= 0;
    },
  },

  // Occurrences of a subsequence may overlap; an empty subsequence counts zero times.
  count: {
    sig: INT_SIGS,
    make: (site) => {
      const s = searchFor(site);
      const subsequence = site.sigIndex === SUBSEQUENCE;
      if (subsequence && equalByIdentity(itemsOf(site))) return countByIdentity(site.ctx, s);
      return (h: Arr, needle: unknown) => {
        if (subsequence && (needle as Arr).length === 0) return 0;
        chargeScan(site.ctx, s, h, needle);
        let n = 0;
        const last = s.last(h, needle);
        for (let i = 0; i <= last; i++) if (s.at(h, needle, i)) n++;
        return n;
      };
    },
  },

  index: {
    sig: INT_SIGS,
    make: (site) => {
      const s = searchFor(site);
      return (h: Arr, needle: unknown) => firstIndex(site.ctx, s, h, needle);
    },
  },
  rindex: {
    sig: INT_SIGS,
    make: (site) => {
      const s = searchFor(site);
      return (h: Arr, needle: unknown) => {
        chargeScan(site.ctx, s, h, needle);
        for (let i = s.last(h, needle); i >= 0; i--) if (s.at(h, needle, i)) return i;
        return -1;
      };
    },
  },

  startswith: {
    sig: BOOLEAN_SIGS.slice(0, 2),
    make: (site) => {
      const s = searchFor(site);
      return (h: Arr, needle: unknown) => s.last(h, needle) >= 0 && s.at(h, needle, 0);
    },
  },
  endswith: {
    sig: BOOLEAN_SIGS.slice(0, 2),
    make: (site) => {
      const s = searchFor(site);
      return (h: Arr, needle: unknown) => {
        const last = s.last(h, needle);
        return last >= 0 && s.at(h, needle, last);
      };
    },
  },
};
