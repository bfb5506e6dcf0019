/**
 * Runtime values: which JS value stands for which Avro type (docs/values.md), and the checks that
 * tell them apart where a static type is not enough (union branches, input validation).
 *
 *   null -> null             boolean -> boolean         int, float, double -> number
 *   long -> bigint           string -> string           bytes, fixed -> Uint8Array
 *   enum -> string (symbol)  array -> Array             map -> Map<string, V>
 *   record -> plain object with one own property per field
 *   union -> the value of the branch itself, untagged
 */
import type { AvroType, RecordType, UnionType } from './types.js';

export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;
export const LONG_MIN = -(2n ** 63n);
export const LONG_MAX = 2n ** 63n - 1n;

export type Value = unknown;

export function isRecordValue(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Uint8Array);
}

/**
 * How deep value walks go (values of recursive types can nest without end, and the walks recurse):
 * deeper values are refused with a coded error, or do not fit.
 */
export const VALUE_DEPTH = 1000;

/**
 * Answers for (value, union type) pairs already checked in one walk. A union of several record
 * types of similar shape has to try each on a value that fits none, and without this a value nested
 * n levels deep took 2^n steps.
 */
type Memo = WeakMap<object, Map<AvroType, boolean>>;

function ambiguous(t: UnionType): boolean {
  let records = 0;
  for (const b of t.types) if (b.kind === 'record' && ++records > 1) return true;
  return false;
}

/**
 * Whether `v` is a valid value of type `t`, checked all the way down. Used to validate input and to
 * resolve untagged union values when branches are structurally close. A value nested deeper than
 * `depth` arrays, maps and records does not fit.
 */
export function isValueOf(t: AvroType, v: unknown, depth = VALUE_DEPTH, memo?: Memo): boolean {
  switch (t.kind) {
    case 'null':
      return v === null;
    case 'boolean':
      return typeof v === 'boolean';
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX;
    case 'long':
      return typeof v === 'bigint' && v >= LONG_MIN && v <= LONG_MAX;
    case 'float':
    case 'double':
      return typeof v === 'number';
    case 'string':
      return typeof v === 'string';
    case 'bytes':
      return v instanceof Uint8Array;
    case 'fixed':
      return v instanceof Uint8Array && v.length === t.size;
    case 'enum':
      return typeof v === 'string' && t.symbols.includes(v);
    case 'array':
      if (!Array.isArray(v) || depth <= 0) return false;
      // Plain loops, not every/some: each callback would be one more stack frame per level.
      for (let i = 0; i < v.length; i++) if (!isValueOf(t.items, v[i], depth - 1, memo)) return false;
      return true;
    case 'map':
      if (!(v instanceof Map) || depth <= 0) return false;
      for (const x of v.values()) if (!isValueOf(t.values, x, depth - 1, memo)) return false;
      return true;
    case 'record': {
      if (!isRecordValue(v) || depth <= 0) return false;
      const fields = t.fields;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        if (!Object.hasOwn(v, f.name) || !isValueOf(f.type, v[f.name], depth - 1, memo)) return false;
      }
      return true;
    }
    case 'union': {
      if (typeof v !== 'object' || v === null || !ambiguous(t)) return someBranch(t, v, depth, memo);
      memo ??= new WeakMap();
      let known = memo.get(v);
      const answer = known?.get(t);
      if (answer !== undefined) return answer;
      const fitsSome = someBranch(t, v, depth, memo);
      if (!known) memo.set(v, (known = new Map()));
      known.set(t, fitsSome);
      return fitsSome;
    }
  }
}

function someBranch(t: UnionType, v: unknown, depth: number, memo: Memo | undefined): boolean {
  const types = t.types;
  for (let i = 0; i < types.length; i++) if (isValueOf(types[i]!, v, depth, memo)) return true;
  return false;
}

/** A cheap test of the value's outer shape only; enough to tell apart the branches Avro allows in one union. */
function shallowFits(t: AvroType, v: unknown, depth: number): boolean {
  switch (t.kind) {
    case 'array':
      return Array.isArray(v);
    case 'map':
      return v instanceof Map;
    case 'record':
      return isRecordValue(v) && t.fields.every((f) => Object.hasOwn(v, f.name));
    default:
      return isValueOf(t, v, depth);
  }
}

/**
 * Index of the union branch a runtime value belongs to, or -1. Avro allows at most one array and one
 * map per union, so those are told apart by shape; records with the same field names are told apart
 * by a full check. Numbers go to the first numeric branch that accepts them.
 */
export function resolveBranch(u: UnionType, v: unknown, depth = VALUE_DEPTH): number {
  let candidate = -1;
  let records = 0;
  for (let i = 0; i < u.types.length; i++) {
    const b = u.types[i]!;
    if (!shallowFits(b, v, depth)) continue;
    if (b.kind !== 'record') return i;
    if (candidate < 0) candidate = i;
    records++;
  }
  if (records > 1) {
    for (let i = 0; i < u.types.length; i++) {
      const b = u.types[i]!;
      if (b.kind === 'record' && isValueOf(b, v, depth)) return i;
    }
  }
  return candidate;
}

/**
 * Creates a record value. Field names are Avro names, so `__proto__` is possible: it is defined as an
 * own property rather than assigned, which would replace the prototype.
 */
export function makeRecord(type: RecordType, values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = type.fields;
  for (let i = 0; i < fields.length; i++) setField(out, fields[i]!.name, values[i]);
  return out;
}

export function setField(rec: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(rec, name, { value, enumerable: true, writable: true, configurable: true });
  else rec[name] = value;
}

/** A shallow copy of a record with one field replaced (records are immutable values). */
export function withField(rec: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec)) setField(out, k, k === name ? value : rec[k]);
  return out;
}

/** Rounds a double to the nearest 32-bit float, the result of every `float` operation. */
export const toFloat32 = Math.fround;
