/**
 * PFA namespace `map`: maps as immutable `Map<string, V>` values (any string is an ordinary key,
 * `__proto__` included). Results keep the argument's insertion order, as Titus's Python dicts do.
 *
 * "Sets" are maps from each item's serialized form to the item; the specification fixes the form as
 * base64-encoded Avro binary (the encoder `cast.avro` uses). The set operations look at keys only.
 */
import type { AnyType, ArrayType, AvroType, MapType } from '../../avro/types.js';
import { comparator, compareStrings, equality } from '../../avro/compare.js';
import { bytesToBase64 } from '../../avro/json.js';
import { runtimeError } from '../../errors.js';
import { avroEncoder } from '../../avro/binary.js';
import { defineLibrary, implementationFor, type CallSite, type EngineContext, type FnDef } from './define.js';

type M = Map<string, unknown>;
type LessThan = (x: unknown, y: unknown) => boolean;

function mapValues(t: AnyType | undefined): AvroType {
  return (t as MapType).values;
}

/** The set key of values of type `t`: base64 of their Avro binary encoding. */
function setKeyOf(t: AvroType): (v: unknown) => string {
  const encode = avroEncoder(t);
  return (v) => bytesToBase64(encode(v));
}

function filterEntries(m: M, keep: (k: string, v: unknown) => boolean): M {
  const out: M = new Map();
  for (const [k, v] of m) if (keep(k, v)) out.set(k, v);
  return out;
}

function mapEntries(m: M, f: (k: string, v: unknown) => unknown): M {
  const out: M = new Map();
  for (const [k, v] of m) out.set(k, f(k, v));
  return out;
}

/** Later maps overlay earlier ones; a replaced key keeps its first position, as in Python dicts. */
function overlay(maps: Iterable<M>, ctx?: EngineContext): M {
  if (ctx) {
    let n = 0;
    for (const m of maps) n += m.size;
    ctx.allocate(n);
    ctx.charge(n);
  }
  const out: M = new Map();
  for (const m of maps) for (const [k, v] of m) out.set(k, v);
  return out;
}

function sameKeys(a: M, b: M): boolean {
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (!b.has(k)) return false;
  return true;
}

/** Keeps the non-null results; null is the union's null branch (unions are untagged). */
function filterMapEntries(m: M, f: (k: string, v: unknown) => unknown): M {
  const out: M = new Map();
  for (const [k, v] of m) {
    const r = f(k, v);
    if (r !== null) out.set(k, r);
  }
  return out;
}

/** False when the key sets differ, else whether `holds` is true for every key (stopping at the first false). */
function correspond(a: M, b: M, holds: (k: string) => boolean): boolean {
  return sameKeys(a, b) && !some(a.keys(), (k) => !holds(k));
}

function some<T>(items: Iterable<T>, test: (x: T) => boolean): boolean {
  for (const x of items) if (test(x)) return true;
  return false;
}

// ---------------------------------------------------------------- argmax and friends

/**
 * The keys of the `n` best values, best first, ties broken by ascending key. This is Titus's
 * insertion into a short sorted list (`argHighestN`/`argLowestN`) with the same tests, so results
 * agree with it even for a user's `lessThan` that is not a consistent ordering. `better(x, y)` says
 * that x ranks strictly before y.
 */
function bestKeys(m: M, n: number, better: LessThan): string[] {
  const keys: string[] = [];
  const values: unknown[] = [];
  for (const [k, x] of m) {
    let at = keys.length;
    for (let i = 0; i < keys.length; i++) {
      if (better(x, values[i]) || (!better(values[i], x) && compareStrings(keys[i]!, k) > 0)) {
        at = i;
        break;
      }
    }
    keys.splice(at, 0, k);
    values.splice(at, 0, x);
    if (keys.length > n) {
      keys.pop();
      values.pop();
    }
  }
  return keys;
}

const highest =
  (lt: LessThan): LessThan =>
  (x, y) =>
    lt(y, x);
const lowest = (lt: LessThan): LessThan => lt;

function avroLessThan(site: CallSite): LessThan {
  const cmp = comparator(mapValues(site.paramTypes[0]));
  return (x, y) => cmp(x, y) < 0;
}

function checkNonEmpty(m: M, code: number, name: string): void {
  if (m.size === 0) throw runtimeError(code, 'empty map', name);
}

function checkN(n: number, code: number, name: string): void {
  if (n < 0) throw runtimeError(code, 'n < 0', name);
}

/** argmax/argmin by Avro order. */
function argBest(direction: (lt: LessThan) => LessThan, code: number, name: string) {
  return (site: CallSite) => {
    const better = direction(avroLessThan(site));
    return (m: M) => {
      checkNonEmpty(m, code, name);
      return bestKeys(m, 1, better)[0];
    };
  };
}

/** argmaxLT/argminLT with the user's ordering. */
function argBestLT(direction: (lt: LessThan) => LessThan, code: number, name: string) {
  return (m: M, lessThan: LessThan) => {
    checkNonEmpty(m, code, name);
    return bestKeys(m, 1, direction(lessThan))[0];
  };
}

/** argmaxN/argminN by Avro order. */
function argBestN(direction: (lt: LessThan) => LessThan, code: number, name: string) {
  return (site: CallSite) => {
    const better = direction(avroLessThan(site));
    return (m: M, n: number) => {
      checkNonEmpty(m, code, name);
      checkN(n, code + 1, name);
      return bestKeys(m, n, better);
    };
  };
}

/** argmaxNLT/argminNLT with the user's ordering. */
function argBestNLT(direction: (lt: LessThan) => LessThan, code: number, name: string) {
  return (m: M, n: number, lessThan: LessThan) => {
    checkNonEmpty(m, code, name);
    checkN(n, code + 1, name);
    return bestKeys(m, n, direction(lessThan));
  };
}

// ---------------------------------------------------------------- zipmap

/** Applies `fcn` key by key (in the first map's order) to maps that must share one key set. */
function zipMaps(maps: M[], fcn: (...args: unknown[]) => unknown, withKey: boolean, code: number, name: string): M {
  const first = maps[0]!;
  for (const m of maps) if (!sameKeys(first, m)) throw runtimeError(code, 'misaligned maps', name);
  const out: M = new Map();
  for (const k of first.keys()) {
    const args = maps.map((m) => m.get(k));
    out.set(k, withKey ? fcn(k, ...args) : fcn(...args));
  }
  return out;
}

function zipmap(withKey: boolean, code: number, name: string) {
  return (...args: unknown[]) => {
    const fcn = args[args.length - 1] as (...a: unknown[]) => unknown;
    return zipMaps(args.slice(0, -1) as M[], fcn, withKey, code, name);
  };
}

/** Entries in one argument: a map's size, an array's length (an array of maps counts their entries too). */
function entriesOf(a: unknown): number {
  if (a instanceof Map) return a.size;
  if (!Array.isArray(a)) return 0;
  let n = a.length;
  if (a[0] instanceof Map) for (const m of a as M[]) n += m.size;
  return n;
}

/**
 * The budget of a function linear in its arguments' entries: one unit per entry read and, for a
 * function that builds a map or an array (`makes`), as many elements reserved. Copies count, so a
 * loop that grows a map with `map.add` meets the allocation budget. `extra` adds work that grows
 * faster than the entries (the n best keys: entries times n).
 */
function linear(def: FnDef, makes: boolean, extra?: (a: unknown, b: unknown) => number): FnDef {
  return {
    ...def,
    fn: undefined,
    make: (site) => {
      const impl = implementationFor(def, site);
      const ctx = site.ctx;
      const budget = (n: number, a: unknown, b: unknown): void => {
        if (makes) ctx.allocate(n + 1);
        ctx.charge(extra ? n + extra(a, b) : n);
      };
      // The map and array parameters are known here; the common arities get closures without a
      // rest parameter, as these functions sit on hot paths.
      const sized = site.paramTypes.map((t) => t.kind === 'map' || t.kind === 'array');
      if (sized.length === 1) return (a: unknown) => (budget(entriesOf(a), a, undefined), impl(a));
      if (sized.length === 2 && !sized[1]) return (a: unknown, b: unknown) => (budget(entriesOf(a), a, b), impl(a, b));
      if (sized.length === 3 && !sized[1] && !sized[2]) {
        return (a: unknown, b: unknown, c: unknown) => (budget(entriesOf(a), a, b), impl(a, b, c));
      }
      return (...args: unknown[]) => {
        let n = 0;
        for (let i = 0; i < args.length; i++) if (sized[i]) n += entriesOf(args[i]);
        budget(n, args[0], args[1]);
        return impl(...args);
      };
    },
  };
}

/** bestKeys keeps a sorted list of up to n keys: entries times n comparisons. */
const bestOfN = (m: unknown, n: unknown): number => (m as M).size * Math.min(Math.max(n as number, 0), (m as M).size);

const defs: Record<string, FnDef> = {
  // ---------------------------------------------------------------- basic access
  len: { sig: '(m: map<any A>) -> int', fn: (m: M) => m.size },
  keys: { sig: '(m: map<any A>) -> array<string>', fn: (m: M) => [...m.keys()] },
  values: { sig: '(m: map<any A>) -> array<A>', fn: (m: M) => [...m.values()] },

  // ---------------------------------------------------------------- searching
  containsKey: {
    sig: ['(m: map<any A>, key: string) -> boolean', '(m: map<any A>, fcn: fn(string) -> boolean) -> boolean'],
    make: (site) => {
      if (site.sigIndex === 0) return (m: M, key: string) => m.has(key);
      return (m: M, fcn: (k: string) => boolean) => some(m.keys(), fcn);
    },
  },
  containsValue: {
    sig: ['(m: map<any A>, value: A) -> boolean', '(m: map<any A>, fcn: fn(A) -> boolean) -> boolean'],
    make: (site) => {
      if (site.sigIndex === 1) return (m: M, fcn: (v: unknown) => boolean) => some(m.values(), fcn);
      const eq = equality(mapValues(site.paramTypes[0]));
      return (m: M, value: unknown) => some(m.values(), (v) => eq(v, value));
    },
  },

  // ---------------------------------------------------------------- manipulation
  add: {
    sig: ['(m: map<any A>, key: string, value: A) -> map<A>', '(m: map<any A>, item: A) -> map<A>'],
    make: (site) => {
      if (site.sigIndex === 0) return (m: M, key: string, value: unknown) => new Map(m).set(key, value);
      const keyOf = setKeyOf(site.paramTypes[1] as AvroType);
      return (m: M, item: unknown) => new Map(m).set(keyOf(item), item);
    },
  },
  remove: {
    sig: '(m: map<any A>, key: string) -> map<A>',
    fn: (m: M, key: string) => filterEntries(m, (k) => k !== key),
  },
  only: {
    sig: '(m: map<any A>, keys: array<string>) -> map<A>',
    fn: (m: M, keys: string[]) => {
      const wanted = new Set(keys);
      return filterEntries(m, (k) => wanted.has(k));
    },
  },
  except: {
    sig: '(m: map<any A>, keys: array<string>) -> map<A>',
    fn: (m: M, keys: string[]) => {
      const unwanted = new Set(keys);
      return filterEntries(m, (k) => !unwanted.has(k));
    },
  },
  update: { sig: '(base: map<any A>, overlay: map<A>) -> map<A>', fn: (base: M, over: M) => overlay([base, over]) },
  split: {
    sig: '(m: map<any A>) -> array<map<A>>',
    fn: (m: M) => Array.from(m, ([k, v]) => new Map([[k, v]])),
  },
  join: { sig: '(a: array<map<any A>>) -> map<A>', fn: (a: M[]) => overlay(a) },

  // ---------------------------------------------------------------- min/max
  argmax: { sig: '(m: map<any A>) -> string', errors: [26120], make: argBest(highest, 26120, 'map.argmax') },
  argmin: { sig: '(m: map<any A>) -> string', errors: [26130], make: argBest(lowest, 26130, 'map.argmin') },
  argmaxLT: {
    sig: '(m: map<any A>, lessThan: fn(A, A) -> boolean) -> string',
    errors: [26140],
    fn: argBestLT(highest, 26140, 'map.argmaxLT'),
  },
  argminLT: {
    sig: '(m: map<any A>, lessThan: fn(A, A) -> boolean) -> string',
    errors: [26150],
    fn: argBestLT(lowest, 26150, 'map.argminLT'),
  },
  argmaxN: {
    sig: '(m: map<any A>, n: int) -> array<string>',
    errors: [26160, 26161],
    make: argBestN(highest, 26160, 'map.argmaxN'),
  },
  argminN: {
    sig: '(m: map<any A>, n: int) -> array<string>',
    errors: [26170, 26171],
    make: argBestN(lowest, 26170, 'map.argminN'),
  },
  argmaxNLT: {
    sig: '(m: map<any A>, n: int, lessThan: fn(A, A) -> boolean) -> array<string>',
    errors: [26180, 26181],
    fn: argBestNLT(highest, 26180, 'map.argmaxNLT'),
  },
  argminNLT: {
    sig: '(m: map<any A>, n: int, lessThan: fn(A, A) -> boolean) -> array<string>',
    errors: [26190, 26191],
    fn: argBestNLT(lowest, 26190, 'map.argminNLT'),
  },

  // ---------------------------------------------------------------- sets
  toset: {
    sig: '(a: array<any A>) -> map<A>',
    make: (site) => {
      const keyOf = setKeyOf((site.paramTypes[0] as ArrayType).items);
      return (a: unknown[]) => new Map(a.map((x) => [keyOf(x), x]));
    },
  },
  fromset: { sig: '(s: map<any A>) -> array<A>', fn: (s: M) => [...s.values()] },
  in: {
    sig: '(s: map<any A>, x: A) -> boolean',
    make: (site) => {
      const keyOf = setKeyOf(mapValues(site.paramTypes[0]));
      return (s: M, x: unknown) => s.has(keyOf(x));
    },
  },
  union: { sig: '(a: map<any A>, b: map<A>) -> map<A>', fn: (a: M, b: M) => overlay([a, b]) },
  intersection: {
    sig: '(a: map<any A>, b: map<A>) -> map<A>',
    fn: (a: M, b: M) => filterEntries(a, (k) => b.has(k)),
  },
  diff: { sig: '(a: map<any A>, b: map<A>) -> map<A>', fn: (a: M, b: M) => filterEntries(a, (k) => !b.has(k)) },
  symdiff: {
    sig: '(a: map<any A>, b: map<A>) -> map<A>',
    fn: (a: M, b: M) => overlay([filterEntries(a, (k) => !b.has(k)), filterEntries(b, (k) => !a.has(k))]),
  },
  subset: {
    sig: '(little: map<any A>, big: map<A>) -> boolean',
    fn: (little: M, big: M) => !some(little.keys(), (k) => !big.has(k)),
  },
  disjoint: {
    sig: '(a: map<any A>, b: map<A>) -> boolean',
    fn: (a: M, b: M) => !some(a.keys(), (k) => b.has(k)),
  },

  // ---------------------------------------------------------------- functional programming
  map: {
    sig: '(m: map<any A>, fcn: fn(A) -> any B) -> map<B>',
    fn: (m: M, fcn: (v: unknown) => unknown) => mapEntries(m, (_, v) => fcn(v)),
  },
  mapWithKey: {
    sig: '(m: map<any A>, fcn: fn(string, A) -> any B) -> map<B>',
    fn: (m: M, fcn: (k: string, v: unknown) => unknown) => mapEntries(m, fcn),
  },
  filter: {
    sig: '(m: map<any A>, fcn: fn(A) -> boolean) -> map<A>',
    fn: (m: M, fcn: (v: unknown) => boolean) => filterEntries(m, (_, v) => fcn(v)),
  },
  filterWithKey: {
    sig: '(m: map<any A>, fcn: fn(string, A) -> boolean) -> map<A>',
    fn: (m: M, fcn: (k: string, v: unknown) => boolean) => filterEntries(m, fcn),
  },
  filterMap: {
    sig: '(m: map<any A>, fcn: fn(A) -> union<any B, null>) -> map<B>',
    fn: (m: M, fcn: (v: unknown) => unknown) => filterMapEntries(m, (_, v) => fcn(v)),
  },
  filterMapWithKey: {
    sig: '(m: map<any A>, fcn: fn(string, A) -> union<any B, null>) -> map<B>',
    fn: (m: M, fcn: (k: string, v: unknown) => unknown) => filterMapEntries(m, fcn),
  },
  flatMap: {
    sig: '(m: map<any A>, fcn: fn(A) -> map<any B>) -> map<B>',
    make:
      ({ ctx }) =>
      (m: M, fcn: (v: unknown) => M) =>
        overlay(
          Array.from(m.values(), (v) => fcn(v)),
          ctx,
        ),
  },
  flatMapWithKey: {
    sig: '(m: map<any A>, fcn: fn(string, A) -> map<any B>) -> map<B>',
    make:
      ({ ctx }) =>
      (m: M, fcn: (k: string, v: unknown) => M) =>
        overlay(
          Array.from(m, ([k, v]) => fcn(k, v)),
          ctx,
        ),
  },
  zipmap: {
    sig: [
      '(a: map<any A>, b: map<any B>, fcn: fn(A, B) -> any Z) -> map<Z>',
      '(a: map<any A>, b: map<any B>, c: map<any C>, fcn: fn(A, B, C) -> any Z) -> map<Z>',
      '(a: map<any A>, b: map<any B>, c: map<any C>, d: map<any D>, fcn: fn(A, B, C, D) -> any Z) -> map<Z>',
    ],
    errors: [26370],
    fn: zipmap(false, 26370, 'map.zipmap'),
  },
  zipmapWithKey: {
    sig: [
      '(a: map<any A>, b: map<any B>, fcn: fn(string, A, B) -> any Z) -> map<Z>',
      '(a: map<any A>, b: map<any B>, c: map<any C>, fcn: fn(string, A, B, C) -> any Z) -> map<Z>',
      '(a: map<any A>, b: map<any B>, c: map<any C>, d: map<any D>, fcn: fn(string, A, B, C, D) -> any Z) -> map<Z>',
    ],
    errors: [26380],
    fn: zipmap(true, 26380, 'map.zipmapWithKey'),
  },

  // ---------------------------------------------------------------- functional tests
  corresponds: {
    sig: '(a: map<any A>, b: map<any B>, fcn: fn(A, B) -> boolean) -> boolean',
    fn: (a: M, b: M, fcn: (x: unknown, y: unknown) => boolean) => correspond(a, b, (k) => fcn(a.get(k), b.get(k))),
  },
  correspondsWithKey: {
    sig: '(a: map<any A>, b: map<any B>, fcn: fn(string, A, B) -> boolean) -> boolean',
    fn: (a: M, b: M, fcn: (k: string, x: unknown, y: unknown) => boolean) => correspond(a, b, (k) => fcn(k, a.get(k), b.get(k))),
  },
};

// Every function but the lookups reads its arguments' entries (`containsKey` with a predicate calls
// it, which charges its own calls); `flatMap` budgets the maps its function returns itself.
const CONSTANT = new Set(['len', 'containsKey', 'in', 'flatMap', 'flatMapWithKey']);
const ANSWERS = new Set([
  'containsValue',
  'subset',
  'disjoint',
  'corresponds',
  'correspondsWithKey',
  'argmax',
  'argmin',
  'argmaxLT',
  'argminLT',
]);
for (const [name, def] of Object.entries(defs)) {
  if (CONSTANT.has(name)) continue;
  const n = /^arg(max|min)N/.test(name);
  defs[name] = linear(def, !ANSWERS.has(name), n ? bestOfN : undefined);
}

export default defineLibrary('map', defs);
