/**
 * Plain JSON ⇄ Avro's JSON encoding. Clients of a model server, CSV files and data frames write a
 * nullable field as `1.5` or `null`, not as Avro's tagged `{"double": 1.5}`; these functions add the
 * union tags a plain value implies and remove them again from results.
 *
 * Tagging is tolerant: a value that is already tagged (an object with one key naming a branch) is
 * kept, and a value that fits no branch is left as it is for validation to report with its path.
 */
import { JsonValueError, MAX_VALUE_DEPTH, branchName } from './json.js';
import type { AvroType, UnionType } from './types.js';
import { INT_MAX, INT_MIN, isRecordValue, setField } from './values.js';

/** Whether a plain JSON value can be read as a value of `t` (shallowly, to choose a branch). */
function fits(t: AvroType, v: unknown): boolean {
  switch (t.kind) {
    case 'null':
      return v === null;
    case 'boolean':
      return typeof v === 'boolean';
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX;
    case 'long':
      return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
    case 'float':
    case 'double':
      return typeof v === 'number' || typeof v === 'bigint';
    case 'string':
    case 'bytes':
      return typeof v === 'string';
    case 'enum':
      return typeof v === 'string' && t.symbols.includes(v);
    case 'fixed':
      return typeof v === 'string' && v.length === t.size;
    case 'array':
      return Array.isArray(v);
    case 'map':
      return isRecordValue(v);
    case 'record':
      return isRecordValue(v) && t.fields.every((f) => f.hasDefault || Object.hasOwn(v, f.name));
    case 'union':
      return false;
  }
}

function taggedBranch(u: UnionType, v: unknown): AvroType | undefined {
  if (!isRecordValue(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 ? u.types.find((b) => b.kind !== 'null' && branchName(b) === keys[0]) : undefined;
}

/** Thrown past the nesting limit; each level adds its step on the way out, so no path is built until then. */
class TooDeep {
  readonly path: string[] = [];
}

const step = (key: string | number): string => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Runs a walk, turning TooDeep into a located JsonValueError (code `too-deep`). */
function bounded<R>(maxDepth: number, run: () => R): R {
  try {
    return run();
  } catch (e) {
    if (e instanceof TooDeep)
      throw new JsonValueError(`value nested deeper than ${maxDepth} levels`, e.path.reverse().join(''), 'too-deep');
    throw e;
  }
}

/** Maps the members of an array or object one level down, adding the member's step to a TooDeep. */
function members(v: Record<string, unknown>, keys: readonly string[], each: (k: string, x: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let key = '';
  try {
    for (const k of keys) {
      key = k;
      setField(out, k, each(k, v[k]));
    }
  } catch (e) {
    if (e instanceof TooDeep) e.path.push(step(key));
    throw e;
  }
  return out;
}

function items(v: unknown[], each: (x: unknown) => unknown): unknown[] {
  const out = new Array<unknown>(v.length);
  let i = 0;
  try {
    for (; i < v.length; i++) out[i] = each(v[i]);
  } catch (e) {
    if (e instanceof TooDeep) e.path.push(step(i));
    throw e;
  }
  return out;
}

/**
 * Adds the union tags of Avro's JSON encoding to a plain JSON value of type `t`. A value nested
 * deeper than `maxDepth` raises a JsonValueError with code `too-deep` and the path where it did.
 */
export function fromPlainJson(t: AvroType, v: unknown, maxDepth = MAX_VALUE_DEPTH): unknown {
  return bounded(maxDepth, () => tag(t, v, maxDepth));
}

function tag(t: AvroType, v: unknown, depth: number): unknown {
  switch (t.kind) {
    case 'union': {
      if (v === null) return null;
      const tagged = taggedBranch(t, v);
      if (tagged) {
        if (depth <= 0) throw new TooDeep();
        const name = branchName(tagged);
        return members(v as Record<string, unknown>, [name], (_k, x) => tag(tagged, x, depth - 1));
      }
      const b = t.types.find((x) => fits(x, v));
      if (!b || b.kind === 'null') return v;
      const out: Record<string, unknown> = {};
      setField(out, branchName(b), tag(b, v, depth - 1));
      return out;
    }
    case 'record': {
      if (!isRecordValue(v)) return v;
      if (depth <= 0) throw new TooDeep();
      return members(v, Object.keys(v), (k, x) => {
        const f = t.fields.find((y) => y.name === k);
        return f ? tag(f.type, x, depth - 1) : x;
      });
    }
    case 'array':
      if (!Array.isArray(v)) return v;
      if (depth <= 0) throw new TooDeep();
      return items(v, (x) => tag(t.items, x, depth - 1));
    case 'map':
      if (!isRecordValue(v)) return v;
      if (depth <= 0) throw new TooDeep();
      return members(v, Object.keys(v), (_k, x) => tag(t.values, x, depth - 1));
    default:
      return v;
  }
}

/** Removes the union tags from a value in Avro's JSON encoding of type `t` (nesting bounded as in `fromPlainJson`). */
export function toPlainJson(t: AvroType, v: unknown, maxDepth = MAX_VALUE_DEPTH): unknown {
  return bounded(maxDepth, () => untag(t, v, maxDepth));
}

function untag(t: AvroType, v: unknown, depth: number): unknown {
  switch (t.kind) {
    case 'union': {
      const b = taggedBranch(t, v);
      if (!b) return v;
      if (depth <= 0) throw new TooDeep();
      const name = branchName(b);
      try {
        return untag(b, (v as Record<string, unknown>)[name], depth - 1);
      } catch (e) {
        if (e instanceof TooDeep) e.path.push(step(name));
        throw e;
      }
    }
    case 'record': {
      if (!isRecordValue(v)) return v;
      if (depth <= 0) throw new TooDeep();
      const out: Record<string, unknown> = {};
      let name = '';
      try {
        for (const f of t.fields) {
          if (!Object.hasOwn(v, f.name)) continue;
          name = f.name;
          setField(out, f.name, untag(f.type, v[f.name], depth - 1));
        }
      } catch (e) {
        if (e instanceof TooDeep) e.path.push(step(name));
        throw e;
      }
      return out;
    }
    case 'array':
      if (!Array.isArray(v)) return v;
      if (depth <= 0) throw new TooDeep();
      return items(v, (x) => untag(t.items, x, depth - 1));
    case 'map':
      if (!isRecordValue(v)) return v;
      if (depth <= 0) throw new TooDeep();
      return members(v, Object.keys(v), (_k, x) => untag(t.values, x, depth - 1));
    default:
      return v;
  }
}
