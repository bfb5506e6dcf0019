/**
 * Ordering and equality of runtime values by their Avro type, following Avro's sort order: numbers
 * numerically (NaN above every number and equal to itself, as Java's Double.compare), strings by
 * code point, bytes unsigned and lexicographically, enums by symbol position, arrays element by
 * element then by length, records field by field (honouring `order`), unions by branch then value.
 *
 * Both builders are called at compile time; the returned closures do only per-value work.
 */
import type { AvroType, RecordType } from './types.js';
import { resolveBranch } from './values.js';

export type Comparator = (a: unknown, b: unknown) => number;
export type Equality = (a: unknown, b: unknown) => boolean;

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

export function comparator(t: AvroType, cache = new Map<string, Comparator>()): Comparator {
  switch (t.kind) {
    case 'null':
      return () => 0;
    case 'boolean':
      return (a, b) => (a === b ? 0 : a ? 1 : -1);
    case 'int':
    case 'float':
    case 'double':
      return compareNumbers as Comparator;
    case 'long':
      return compareBigints as Comparator;
    case 'string':
      return compareStrings as Comparator;
    case 'bytes':
    case 'fixed':
      return compareBytes as Comparator;
    case 'enum': {
      const index = new Map(t.symbols.map((s, i) => [s, i]));
      return (a, b) => index.get(a as string)! - index.get(b as string)!;
    }
    case 'array': {
      const item = comparator(t.items, cache);
      return (a, b) => {
        const x = a as unknown[];
        const y = b as unknown[];
        const n = Math.min(x.length, y.length);
        for (let i = 0; i < n; i++) {
          const c = item(x[i], y[i]);
          if (c !== 0) return c;
        }
        return x.length < y.length ? -1 : x.length > y.length ? 1 : 0;
      };
    }
    case 'map': {
      const value = comparator(t.values, cache);
      return (a, b) => {
        const x = [...(a as Map<string, unknown>).entries()].sort((p, q) => compareStrings(p[0], q[0]));
        const y = [...(b as Map<string, unknown>).entries()].sort((p, q) => compareStrings(p[0], q[0]));
        const n = Math.min(x.length, y.length);
        for (let i = 0; i < n; i++) {
          const c = compareStrings(x[i]![0], y[i]![0]) || value(x[i]![1], y[i]![1]);
          if (c !== 0) return c;
        }
        return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
      };
    }
    case 'record':
      return recordComparator(t, cache);
    case 'union': {
      const parts = t.types.map((b) => comparator(b, cache));
      return (a, b) => {
        const i = resolveBranch(t, a);
        const j = resolveBranch(t, b);
        return i !== j ? (i < j ? -1 : 1) : parts[i]!(a, b);
      };
    }
  }
}

function recordComparator(t: RecordType, cache: Map<string, Comparator>): Comparator {
  const cached = cache.get(t.fullName);
  if (cached) return cached;
  // Recursive records: register a forwarding closure before building the field comparators.
  let fields: { name: string; cmp: Comparator; sign: number }[] = [];
  const cmp: Comparator = (a, b) => {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const f of fields) {
      const c = f.cmp(x[f.name], y[f.name]);
      if (c !== 0) return c * f.sign;
    }
    return 0;
  };
  cache.set(t.fullName, cmp);
  fields = t.fields
    .filter((f) => f.order !== 'ignore')
    .map((f) => ({ name: f.name, cmp: comparator(f.type, cache), sign: f.order === 'descending' ? -1 : 1 }));
  return cmp;
}

/**
 * Structural equality. Numbers compare with `===`, so NaN is not equal to NaN, as in IEEE 754 and
 * both reference engines.
 */
export function equality(t: AvroType, cache = new Map<string, Equality>()): Equality {
  switch (t.kind) {
    case 'bytes':
    case 'fixed':
      return (a, b) => compareBytes(a as Uint8Array, b as Uint8Array) === 0;
    case 'array': {
      const item = equality(t.items, cache);
      return (a, b) => {
        const x = a as unknown[];
        const y = b as unknown[];
        if (x.length !== y.length) return false;
        for (let i = 0; i < x.length; i++) if (!item(x[i], y[i])) return false;
        return true;
      };
    }
    case 'map': {
      const value = equality(t.values, cache);
      return (a, b) => {
        const x = a as Map<string, unknown>;
        const y = b as Map<string, unknown>;
        if (x.size !== y.size) return false;
        for (const [k, v] of x) if (!y.has(k) || !value(v, y.get(k))) return false;
        return true;
      };
    }
    case 'record': {
      const cached = cache.get(t.fullName);
      if (cached) return cached;
      let fields: { name: string; eq: Equality }[] = [];
      const eq: Equality = (a, b) => {
        const x = a as Record<string, unknown>;
        const y = b as Record<string, unknown>;
        for (const f of fields) if (!f.eq(x[f.name], y[f.name])) return false;
        return true;
      };
      cache.set(t.fullName, eq);
      fields = t.fields.map((f) => ({ name: f.name, eq: equality(f.type, cache) }));
      return eq;
    }
    case 'union': {
      const parts = t.types.map((b) => equality(b, cache));
      return (a, b) => {
        const i = resolveBranch(t, a);
        return i === resolveBranch(t, b) && parts[i]!(a, b);
      };
    }
    default:
      return (a, b) => a === b;
  }
}
