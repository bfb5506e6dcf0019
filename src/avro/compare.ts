/**
 * Ordering and equality of runtime values by their Avro type, following Avro's sort order: numbers
 * numerically (NaN above every number and equal to itself, as Java's Double.compare), strings by
 * code point, bytes unsigned and lexicographically, enums by symbol position, arrays element by
 * element then by length, records field by field (honouring `order`), unions by branch then value.
 *
 * Both builders are called at compile time; the returned closures do only per-value work.
 */
import { PfaRuntimeError } from '../errors.js';
import type { AvroType, RecordType } from './types.js';
import { VALUE_DEPTH, resolveBranch } from './values.js';

export type Comparator = (a: unknown, b: unknown) => number;
export type Equality = (a: unknown, b: unknown) => boolean;

/**
 * The closures take the nesting still allowed (`d`): values of recursive types can nest without
 * end, and comparing past VALUE_DEPTH levels raises a runtime error instead of overflowing the stack.
 */
type Cmp = (a: unknown, b: unknown, d: number) => number;
type Eq = (a: unknown, b: unknown, d: number) => boolean;

/** Whether values of `t` hold other values (only those closures use the depth; leaves are returned as they are). */
function nested(t: AvroType): boolean {
  return t.kind === 'array' || t.kind === 'map' || t.kind === 'record' || t.kind === 'union';
}

function tooDeep(): never {
  throw new PfaRuntimeError('too-deep', `values nested deeper than ${VALUE_DEPTH} levels cannot be compared`);
}

export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an === bn ? 0 : an ? 1 : -1;
}

export function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares by Unicode code point: differs from `<` on UTF-16 units only around surrogate pairs. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs === ys) return x < y ? -1 : 1;
      return xs ? 1 : -1; // a surrogate encodes a code point above every BMP unit
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
}

export function comparator(t: AvroType): Comparator {
  const cmp = cmpOf(t, new Map());
  return nested(t) ? (a, b) => cmp(a, b, VALUE_DEPTH) : (cmp as Comparator);
}

function cmpOf(t: AvroType, cache: Map<string, Cmp>): Cmp {
  switch (t.kind) {
    case 'null':
      return () => 0;
    case 'boolean':
      return (a, b) => (a === b ? 0 : a ? 1 : -1);
    case 'int':
    case 'float':
    case 'double':
      return compareNumbers as Cmp;
    case 'long':
      return compareBigints as Cmp;
    case 'string':
      return compareStrings as Cmp;
    case 'bytes':
    case 'fixed':
      return compareBytes as Cmp;
    case 'enum': {
      const index = new Map(t.symbols.map((s, i) => [s, i]));
      return (a, b) => index.get(a as string)! - index.get(b as string)!;
    }
    case 'array': {
      const item = cmpOf(t.items, cache);
      return (a, b, d) => {
        if (d <= 0) tooDeep();
        const x = a as unknown[];
        const y = b as unknown[];
        const n = Math.min(x.length, y.length);
        for (let i = 0; i < n; i++) {
          const c = item(x[i], y[i], d - 1);
          if (c !== 0) return c;
        }
        return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
      };
    }
    case 'map': {
      const value = cmpOf(t.values, cache);
      return (a, b, d) => {
        if (d <= 0) tooDeep();
        const x = [...(a as Map<string, unknown>).entries()].sort((p, q) => compareStrings(p[0], q[0]));
        const y = [...(b as Map<string, unknown>).entries()].sort((p, q) => compareStrings(p[0], q[0]));
        const n = Math.min(x.length, y.length);
        for (let i = 0; i < n; i++) {
          const c = compareStrings(x[i]![0], y[i]![0]) || value(x[i]![1], y[i]![1], d - 1);
          if (c !== 0) return c;
        }
        return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
      };
    }
    case 'record':
      return recordComparator(t, cache);
    case 'union': {
      const parts = t.types.map((b) => cmpOf(b, cache));
      return (a, b, d) => {
        const i = resolveBranch(t, a);
        const j = resolveBranch(t, b);
        return i !== j ? (i < j ? -1 : 1) : parts[i]!(a, b, d);
      };
    }
  }
}

function recordComparator(t: RecordType, cache: Map<string, Cmp>): Cmp {
  const cached = cache.get(t.fullName);
  if (cached) return cached;
  // Recursive records: register a forwarding closure before building the field comparators.
  let fields: { name: string; cmp: Cmp; sign: number }[] = [];
  const cmp: Cmp = (a, b, d) => {
    if (d <= 0) tooDeep();
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const f of fields) {
      const c = f.cmp(x[f.name], y[f.name], d - 1);
      if (c !== 0) return c * f.sign;
    }
    return 0;
  };
  cache.set(t.fullName, cmp);
  fields = t.fields
    .filter((f) => f.order !== 'ignore')
    .map((f) => ({ name: f.name, cmp: cmpOf(f.type, cache), sign: f.order === 'descending' ? -1 : 1 }));
  return cmp;
}

/** The kinds eqOf compares with `===`. */
const SCALAR_EQUALITY: ReadonlySet<string> = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'string', 'enum']);

/** Whether values of `t` are equal exactly when `===` says so (what `equality` then compares with). */
export function equalByIdentity(t: AvroType): boolean {
  return SCALAR_EQUALITY.has(t.kind) || (t.kind === 'union' && t.types.every((b) => SCALAR_EQUALITY.has(b.kind)));
}

/**
 * Structural equality. Numbers compare with `===`, so NaN is not equal to NaN, as in IEEE 754 and
 * both reference engines.
 */
export function equality(t: AvroType): Equality {
  const eq = eqOf(t, new Map());
  return nested(t) ? (a, b) => eq(a, b, VALUE_DEPTH) : (eq as Equality);
}

function eqOf(t: AvroType, cache: Map<string, Eq>): Eq {
  switch (t.kind) {
    case 'bytes':
    case 'fixed':
      return (a, b) => compareBytes(a as Uint8Array, b as Uint8Array) === 0;
    case 'array': {
      const item = eqOf(t.items, cache);
      return (a, b, d) => {
        if (d <= 0) tooDeep();
        const x = a as unknown[];
        const y = b as unknown[];
        if (x.length !== y.length) return false;
        for (let i = 0; i < x.length; i++) if (!item(x[i], y[i], d - 1)) return false;
        return true;
      };
    }
    case 'map': {
      const value = eqOf(t.values, cache);
      return (a, b, d) => {
        if (d <= 0) tooDeep();
        const x = a as Map<string, unknown>;
        const y = b as Map<string, unknown>;
        if (x.size !== y.size) return false;
        for (const [k, v] of x) if (!y.has(k) || !value(v, y.get(k), d - 1)) return false;
        return true;
      };
    }
    case 'record': {
      const cached = cache.get(t.fullName);
      if (cached) return cached;
      let fields: { name: string; eq: Eq }[] = [];
      const eq: Eq = (a, b, d) => {
        if (d <= 0) tooDeep();
        const x = a as Record<string, unknown>;
        const y = b as Record<string, unknown>;
        for (const f of fields) if (!f.eq(x[f.name], y[f.name], d - 1)) return false;
        return true;
      };
      cache.set(t.fullName, eq);
      fields = t.fields.map((f) => ({ name: f.name, eq: eqOf(f.type, cache) }));
      return eq;
    }
    case 'union': {
      // Branches all of scalars compared with `===`: the branch follows from the value, so `===`
      // alone answers (no branch is resolved for either side).
      if (equalByIdentity(t)) return (a, b) => a === b;
      const parts = t.types.map((b) => eqOf(b, cache));
      return (a, b, d) => {
        const i = resolveBranch(t, a);
        return i === resolveBranch(t, b) && parts[i]!(a, b, d);
      };
    }
    default:
      return (a, b) => a === b;
  }
}
