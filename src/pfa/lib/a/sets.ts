/**
 * `a.*` functions treating arrays as sets. Membership is Avro equality, under which NaN equals
 * nothing (so NaNs are never merged), matching Titus. Results keep the order of the inputs and, as
 * in Titus, `intersection`, `diff` and `symdiff` keep the duplicates of their inputs.
 */
import { equality } from '../../../avro/compare.js';
import type { AvroType } from '../../../avro/types.js';
import type { EngineContext, FnDef } from '../define.js';
import { itemsOf } from './_checks.js';

type Arr = readonly unknown[];

/** A growable collection answering "is an equal item in here?". */
interface Bag {
  has(x: unknown): boolean;
  add(x: unknown): void;
}

const HASHABLE = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'string', 'enum']);

/**
 * Values whose equality is JS's SameValueZero (primitives, bigints, enum symbols), hashed in a Set,
 * except NaN, which a Set would find.
 */
class HashBag implements Bag {
  private readonly set: Set<unknown>;
  constructor(items: Arr) {
    this.set = new Set(items);
  }
  has(x: unknown): boolean {
    // biome-ignore lint/suspicious/noSelfCompare: `x === x` is false for NaN alone, whatever x's type, and a NaN is never a member
    return x === x && this.set.has(x);
  }
  add(x: unknown): void {
    this.set.add(x);
  }
}

/** Items compared one by one: each question charges the scan it makes, as these sets are quadratic. */
class ScanBag implements Bag {
  private readonly list: unknown[];
  constructor(
    items: Arr,
    private readonly eq: (a: unknown, b: unknown) => boolean,
    private readonly ctx: EngineContext,
  ) {
    this.list = items.slice();
  }
  has(x: unknown): boolean {
    const { list, eq } = this;
    this.ctx.charge(list.length + 1);
    for (let i = 0; i < list.length; i++) if (eq(x, list[i])) return true;
    return false;
  }
  add(x: unknown): void {
    this.list.push(x);
  }
}

/**
 * Bags for items of type `t`, chosen at compile time. (Classes, not objects of closures: a bag is
 * made at every call, and association rules test some hundred item sets a record.)
 */
function bagsFor(t: AvroType, ctx: EngineContext): (items?: Arr) => Bag {
  if (HASHABLE.has(t.kind)) {
    return (items = []) => {
      ctx.charge(items.length);
      ctx.allocate(items.length);
      return new HashBag(items);
    };
  }
  const eq = equality(t);
  return (items = []) => {
    ctx.allocate(items.length);
    return new ScanBag(items, eq, ctx);
  };
}

/** Items of `a` that are (or are not) in `b`, duplicates included. */
function keep(a: Arr, b: Bag, present: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of a) if (b.has(x) === present) out.push(x);
  return out;
}

/** Whether every item of `a` is (or is not) in `b`. */
function all(a: Arr, b: Bag, present: boolean): boolean {
  for (const x of a) if (b.has(x) !== present) return false;
  return true;
}

function distinctInto(out: unknown[], seen: Bag, a: Arr): void {
  for (const x of a) {
    if (!seen.has(x)) {
      seen.add(x);
      out.push(x);
    }
  }
}

/** A function of two arrays of the same item type, with bags built for that type at compile time. */
function pairwise<R>(sig: string, body: (bag: (items?: Arr) => Bag, a: Arr, b: Arr) => R): FnDef {
  return {
    sig,
    make: (site) => {
      const bag = bagsFor(itemsOf(site), site.ctx);
      const ctx = site.ctx;
      return (a: Arr, b: Arr) => {
        ctx.charge(a.length + b.length);
        ctx.allocate(a.length + b.length);
        return body(bag, a, b);
      };
    },
  };
}

export const sets: Record<string, FnDef> = {
  distinct: {
    sig: '(a: array<any A>) -> array<A>',
    make: (site) => {
      const bag = bagsFor(itemsOf(site), site.ctx);
      const ctx = site.ctx;
      return (a: Arr) => {
        ctx.charge(a.length);
        ctx.allocate(a.length);
        const out: unknown[] = [];
        distinctInto(out, bag(), a);
        return out;
      };
    },
  },
  union: pairwise('(a: array<any A>, b: array<A>) -> array<A>', (bag, a, b) => {
    const out: unknown[] = [];
    const seen = bag();
    distinctInto(out, seen, a);
    distinctInto(out, seen, b);
    return out;
  }),
  intersection: pairwise('(a: array<any A>, b: array<A>) -> array<A>', (bag, a, b) => [...keep(a, bag(b), true), ...keep(b, bag(a), true)]),
  diff: pairwise('(a: array<any A>, b: array<A>) -> array<A>', (bag, a, b) => keep(a, bag(b), false)),
  symdiff: pairwise('(a: array<any A>, b: array<A>) -> array<A>', (bag, a, b) => [...keep(a, bag(b), false), ...keep(b, bag(a), false)]),
  seteq: pairwise('(a: array<any A>, b: array<A>) -> boolean', (bag, a, b) => {
    const inB = bag(b);
    const inA = bag(a);
    return all(a, inB, true) && all(b, inA, true);
  }),
  subset: pairwise('(little: array<any A>, big: array<A>) -> boolean', (bag, little, big) => {
    const inBig = bag(big);
    return all(little, inBig, true);
  }),
  // Equality is symmetric, so one direction suffices.
  disjoint: pairwise('(a: array<any A>, b: array<A>) -> boolean', (bag, a, b) => {
    const inB = bag(b);
    return all(a, inB, false);
  }),
};
