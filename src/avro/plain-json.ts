/**
 * Plain JSON ⇄ Avro's JSON encoding. Clients of a model server, CSV files and data frames write a
 * nullable field as `1.5` or `null`, not as Avro's tagged `{"double": 1.5}`; these functions add the
 * union tags a plain value implies and remove them again from results.
 *
 * Tagging is tolerant: a value that is already tagged (an object with one key naming a branch) is
 * kept, and a value that fits no branch is left as it is for validation to report with its path.
 */
import { branchName } from './json.js';
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

/** Adds the union tags of Avro's JSON encoding to a plain JSON value of type `t`. */
export function fromPlainJson(t: AvroType, v: unknown): unknown {
  switch (t.kind) {
    case 'union': {
      if (v === null) return null;
      const tagged = taggedBranch(t, v);
      if (tagged) {
        const name = branchName(tagged);
        return { [name]: fromPlainJson(tagged, (v as Record<string, unknown>)[name]) };
      }
      const b = t.types.find((x) => fits(x, v));
      if (!b || b.kind === 'null') return v;
      const out: Record<string, unknown> = {};
      setField(out, branchName(b), fromPlainJson(b, v));
      return out;
    }
    case 'record': {
      if (!isRecordValue(v)) return v;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        const f = t.fields.find((x) => x.name === k);
        setField(out, k, f ? fromPlainJson(f.type, v[k]) : v[k]);
      }
      return out;
    }
    case 'array':
      return Array.isArray(v) ? v.map((x) => fromPlainJson(t.items, x)) : v;
    case 'map': {
      if (!isRecordValue(v)) return v;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) setField(out, k, fromPlainJson(t.values, v[k]));
      return out;
    }
    default:
      return v;
  }
}

/** Removes the union tags from a value in Avro's JSON encoding of type `t`. */
export function toPlainJson(t: AvroType, v: unknown): unknown {
  switch (t.kind) {
    case 'union': {
      const b = taggedBranch(t, v);
      return b ? toPlainJson(b, (v as Record<string, unknown>)[branchName(b)]) : v;
    }
    case 'record': {
      if (!isRecordValue(v)) return v;
      const out: Record<string, unknown> = {};
      for (const f of t.fields) if (Object.hasOwn(v, f.name)) setField(out, f.name, toPlainJson(f.type, v[f.name]));
      return out;
    }
    case 'array':
      return Array.isArray(v) ? v.map((x) => toPlainJson(t.items, x)) : v;
    case 'map': {
      if (!isRecordValue(v)) return v;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) setField(out, k, toPlainJson(t.values, v[k]));
      return out;
    }
    default:
      return v;
  }
}
