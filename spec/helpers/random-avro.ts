/**
 * Random Avro types (seeded), random values of them, and those values mutated into near misses (a
 * field moved to the prototype, an own `__proto__` key, an int one past its range, a Map written as
 * an object, a union tag of another branch, ...): the inputs of the specs that hold the input checks
 * (avro/fits.ts, avro/validate.ts, the server's request check) to one verdict and one description.
 */
import { fromJson } from '../../src/avro/json.js';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import type { AvroType } from '../../src/avro/types.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, isValueOf, setField } from '../../src/avro/values.js';
import { seededRandom } from './random.js';

export type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const PRIMITIVES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'string', 'bytes'];
/** Field names, with those a plain object inherits (a plain read would find them on the prototype). */
const FIELD_NAMES = ['a', 'b', 'x', 'length', 'constructor', 'toString', '__proto__', 'valueOf'];

/** The schema JSON of a random type; `records` are the names of records being defined (for recursion). */
function schemaOf(r: Rng, depth: number, ctx: { n: number; records: string[] }): unknown {
  const kind =
    depth <= 0 ? 'primitive' : pick(r, ['primitive', 'primitive', 'enum', 'fixed', 'array', 'map', 'union', 'union', 'record', 'record']);
  switch (kind) {
    case 'enum':
      return { type: 'enum', name: `E${ctx.n++}`, symbols: [...new Set([pick(r, ['a', 'toString']), pick(r, ['b', '__proto__', 'c'])])] };
    case 'fixed':
      return { type: 'fixed', name: `F${ctx.n++}`, size: pick(r, [0, 1, 3]) };
    case 'array':
      return { type: 'array', items: schemaOf(r, depth - 1, ctx) };
    case 'map':
      return { type: 'map', values: schemaOf(r, depth - 1, ctx) };
    case 'union': {
      // Avro's rules: no union in a union, at most one branch of each unnamed kind.
      const branches: unknown[] = [];
      const kinds = new Set<string>();
      for (let i = 0; i < 2 + Math.floor(r() * 3); i++) {
        let b = schemaOf(r, depth - 1, ctx);
        if (Array.isArray(b)) b = 'null';
        const k = typeof b === 'string' ? b : ((b as { type: string; name?: string }).name ?? (b as { type: string }).type);
        if (kinds.has(k)) continue;
        kinds.add(k);
        branches.push(b);
      }
      return branches;
    }
    case 'record': {
      const name = `R${ctx.n++}`;
      ctx.records.push(name);
      const names = FIELD_NAMES.filter(() => r() < 0.4);
      const fields = names.map((f) => {
        // A record refers back to itself (or to one around it) through a nullable field.
        if (r() < 0.2) return { name: f, type: ['null', pick(r, ctx.records)], ...(r() < 0.5 ? { default: null } : {}) };
        const type = schemaOf(r, depth - 1, ctx);
        const dflt = type === 'int' ? 0 : type === 'string' ? 's' : Array.isArray(type) && type[0] === 'null' ? null : undefined;
        return { name: f, type, ...(dflt !== undefined && r() < 0.5 ? { default: dflt } : {}) };
      });
      ctx.records.pop();
      return { type: 'record', name, fields };
    }
    default:
      return pick(r, PRIMITIVES);
  }
}

/** A random runtime value of `t`; containers get small past a few levels, so recursive types end. */
export function valueOfType(r: Rng, t: AvroType, level = 0): unknown {
  const deep = level > 4;
  switch (t.kind) {
    case 'null':
      return null;
    case 'boolean':
      return r() < 0.5;
    case 'int':
      return pick(r, [0, 1, -7, INT_MAX, INT_MIN]);
    case 'long':
      return pick(r, [0n, -1n, LONG_MAX, LONG_MIN, 2n ** 53n + 1n]);
    case 'float':
      return pick(r, [0, 1.5, Math.fround(0.1), NaN, -Infinity]);
    case 'double':
      return pick(r, [0, 0.1, -2.5e300, NaN, Infinity]);
    case 'string':
      return pick(r, ['', 'a', 'NaN', '12', '\u00ff', '\u0100', '__proto__']);
    case 'bytes':
      return new Uint8Array(pick(r, [0, 2]));
    case 'fixed':
      return new Uint8Array(t.size);
    case 'enum':
      return pick(r, t.symbols);
    case 'array':
      return Array.from({ length: deep ? 0 : Math.floor(r() * 6) }, () => valueOfType(r, t.items, level + 1));
    case 'map':
      return new Map(
        Array.from({ length: deep ? 0 : Math.floor(r() * 3) }, (_, i) => [
          pick(r, ['k', '__proto__', 'toString']) + i,
          valueOfType(r, t.values, level + 1),
        ]),
      );
    case 'record': {
      const out: Record<string, unknown> = r() < 0.2 ? (Object.create(null) as Record<string, unknown>) : {};
      for (const f of t.fields) setField(out, f.name, valueOfType(r, f.type, level + 1));
      return out;
    }
    case 'union': {
      const nullable = t.types.find((b) => b.kind === 'null');
      return valueOfType(r, deep && nullable ? nullable : pick(r, t.types), level + 1);
    }
  }
}

/** Every place in a value: its current content and how to replace it. */
interface Place {
  readonly value: unknown;
  readonly set: (x: unknown) => void;
}

function places(root: { v: unknown }): Place[] {
  const out: Place[] = [];
  const walk = (value: unknown, set: (x: unknown) => void) => {
    out.push({ value, set });
    if (Array.isArray(value)) for (const [i, x] of value.entries()) walk(x, (y) => (value[i] = y));
    else if (value instanceof Map) for (const [k, x] of value) walk(x, (y) => value.set(k, y));
    else if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
      const o = value as Record<string, unknown>;
      for (const k of Object.keys(o)) walk(o[k], (y) => setField(o, k, y));
    }
  };
  walk(root.v, (y) => (root.v = y));
  return out;
}

class Point {
  constructor(fields: Record<string, unknown>) {
    for (const k of Object.keys(fields)) setField(this as unknown as Record<string, unknown>, k, fields[k]);
  }
}

/** Near misses of an object standing for a record (or a map, or a tagged union). */
function objectMutation(r: Rng, o: Record<string, unknown>, tags: readonly string[]): unknown {
  const keys = Object.keys(o);
  const copy = (proto: object | null = Object.prototype): Record<string, unknown> => {
    const c = Object.create(proto) as Record<string, unknown>;
    for (const k of keys) setField(c, k, o[k]);
    return c;
  };
  switch (Math.floor(r() * 8)) {
    case 0: {
      const c = copy();
      if (keys.length) delete c[pick(r, keys)];
      return c;
    }
    case 1:
      // Every field inherited.
      return Object.create(copy()) as object;
    case 2: {
      // One field on the prototype, the others own.
      if (!keys.length) return copy();
      const moved = pick(r, keys);
      const proto: Record<string, unknown> = {};
      setField(proto, moved, o[moved]);
      const c = copy(proto);
      delete c[moved];
      return c;
    }
    case 3:
      return new Point(o);
    case 4: {
      const c = copy(null);
      setField(c, pick(r, ['__proto__', 'extra', 'toString']), pick(r, [1, null, {}]));
      return c;
    }
    case 5: {
      // A key renamed: another field, or another union branch.
      const c = copy();
      if (keys.length) {
        const k = pick(r, keys);
        const v = c[k];
        delete c[k];
        setField(c, pick(r, [...tags, ...FIELD_NAMES]), v);
      }
      return c;
    }
    case 6: {
      // An array carrying the fields (but `length`, which an array has of its own).
      const a = [] as unknown as Record<string, unknown>;
      for (const k of keys) if (k !== 'length') setField(a, k, o[k]);
      return a;
    }
    default:
      return new Map(Object.entries(o));
  }
}

export const RUNTIME_NEAR: readonly unknown[] = [
  null,
  undefined,
  1.5,
  1,
  2 ** 31,
  -(2 ** 31) - 1,
  NaN,
  '1',
  'a',
  'toString',
  1n,
  2n ** 63n,
  -(2n ** 63n) - 1n,
  true,
  [],
  [1],
  {},
  new Map(),
  new Map([['k', 1]]),
  new Uint8Array(1),
  new Uint8Array(3),
  () => 1,
];
/** JSON near misses (no names a plain object inherits as doubles: fromJson reads those, wrongly, see fits.spec.ts). */
export const JSON_NEAR: readonly unknown[] = [
  null,
  1.5,
  1,
  0,
  2 ** 31,
  2 ** 63,
  -(2 ** 63),
  1e300,
  NaN,
  '1',
  '12',
  '-3',
  '1x',
  '9223372036854775807',
  '9223372036854775808',
  'NaN',
  'inf',
  'a',
  '\u00ff',
  '\u0100',
  '',
  true,
  [],
  [1],
  {},
  { double: 1 },
  { null: null },
  { int: 1, long: 2 },
  { string: 'x' },
  2n ** 62n,
  2n ** 64n,
];

export function mutate(r: Rng, value: unknown, near: readonly unknown[], tags: readonly string[]): unknown {
  const root = { v: value };
  const all = places(root);
  const times = 1 + Math.floor(r() * 2);
  for (let i = 0; i < times; i++) {
    const p = pick(r, all);
    const v = p.value;
    if (v instanceof Map && r() < 0.5) p.set(Object.fromEntries(v));
    else if (Array.isArray(v) && r() < 0.5) p.set(r() < 0.5 ? [...v, pick(r, near)] : { ...v });
    else if (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Uint8Array) && r() < 0.6)
      p.set(objectMutation(r, v as Record<string, unknown>, tags));
    else p.set(pick(r, near));
  }
  return root.v;
}

/** The names of every named type and unnamed kind, as union tags. */
export function tagNames(t: AvroType, seen = new Set<AvroType>()): string[] {
  if (seen.has(t)) return [];
  seen.add(t);
  switch (t.kind) {
    case 'array':
      return ['array', ...tagNames(t.items, seen)];
    case 'map':
      return ['map', ...tagNames(t.values, seen)];
    case 'union':
      return t.types.flatMap((b) => tagNames(b, seen));
    case 'record':
      return [t.fullName, ...t.fields.flatMap((f) => tagNames(f.type, seen))];
    case 'enum':
    case 'fixed':
      return [t.fullName];
    default:
      return [t.kind];
  }
}

/** Whether fromJson reads a JSON value as a value of `t`, defaults filled in. */
export function reads(t: AvroType, json: unknown): boolean {
  try {
    return isValueOf(t, fromJson(t, json, { useDefaults: true }));
  } catch {
    return false;
  }
}

/** `count` random types (seeded), as schema JSON and parsed, each nested at most three levels. */
export function randomTypes(seed: number, count: number): { json: unknown; t: AvroType }[] {
  const r = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const json = schemaOf(r, 3, { n: 0, records: [] });
    return { json, t: parseSchema(json, new NameRegistry()) };
  });
}
