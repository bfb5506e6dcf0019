/**
 * Avro's JSON encoding <-> runtime values (docs/values.md).
 *
 * In the JSON form: unions are `null` or `{"branch": value}` (branch = primitive name, `array`,
 * `map`, or a named type's full name); bytes and fixed are strings of code points 0-255 (or base64
 * with `bytes: 'base64'`); longs are numbers, or bigints / digit strings when they do not fit a
 * double exactly; non-finite floats may be written as the strings "NaN", "Infinity", "-Infinity"
 * (also "nan", "inf", "-inf").
 */
import { InputError } from '../errors.js';
import type { AvroType } from './types.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, VALUE_DEPTH, isRecordValue, resolveBranch, setField } from './values.js';

export interface JsonOptions {
  /** How bytes and fixed are written as JSON strings. Avro's own encoding is `latin1`. */
  readonly bytes?: 'latin1' | 'base64';
  /** Fill record fields that are absent from the JSON with the schema's default. */
  readonly useDefaults?: boolean;
  /**
   * Deepest nesting of arrays, maps, records and union branches read or written (default
   * MAX_VALUE_DEPTH): values of recursive types can be nested without end, and these walks recurse.
   */
  readonly maxDepth?: number;
}

/** The default nesting limit of value walks, well within a default Node stack. */
export const MAX_VALUE_DEPTH = VALUE_DEPTH;

function tooDeep(max: number, path: string): never {
  throw new JsonValueError(`value nested deeper than ${max} levels`, path, 'too-deep');
}

/**
 * A JSON value that does not fit its type (code `bad-input`), or nests deeper than a value may
 * (`too-deep`). `path`, also the location's pointer, is the JSON pointer of the offending part.
 */
export class JsonValueError extends InputError {
  constructor(
    message: string,
    /** JSON pointer to the offending part of the value. */
    readonly path: string,
    code: 'bad-input' | 'too-deep' = 'bad-input',
  ) {
    super(code, path ? `${message} at ${path}` : message, { pointer: path });
  }
}

/** A Map, not an object: `"toString"` or `"constructor"` must not find what an object inherits. */
const NONFINITE: ReadonlyMap<string, number> = new Map([
  ['NaN', NaN],
  ['nan', NaN],
  ['Infinity', Infinity],
  ['inf', Infinity],
  ['-Infinity', -Infinity],
  ['-inf', -Infinity],
]);

function latin1ToBytes(s: string, path: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new JsonValueError('bytes string has a character above U+00FF', path);
    out[i] = c;
  }
  return out;
}

export function bytesToLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}

export function base64ToBytes(s: string): Uint8Array {
  const bin = atob(s);
  return latin1ToBytes(bin, '');
}

export function bytesToBase64(b: Uint8Array): string {
  return btoa(bytesToLatin1(b));
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * A value that does not fit, on its way out of `read`: each container it passes adds its step, so
 * the walk builds no JSON pointer (a string per node of a large constant) unless one fails.
 */
class Misfit {
  readonly steps: string[] = [];
  constructor(
    readonly message: string,
    readonly code: 'bad-input' | 'too-deep' = 'bad-input',
  ) {}
}

/** `e` with `step` added when it is a Misfit; anything else passes through as it is. */
function within(e: unknown, step: string): unknown {
  if (e instanceof Misfit) e.steps.push(step);
  return e;
}

const expected = (what: string): Misfit => new Misfit(`expected ${what}`);

/**
 * Builds the runtime value of type `t` from its Avro JSON encoding; throws JsonValueError with a
 * path. Reads with the type's reader (`readerOf`), built once per type.
 */
export function fromJson(t: AvroType, json: unknown, options: JsonOptions = {}, path = ''): unknown {
  return readJson(t, json, options, path, false);
}

/**
 * `fromJson` of a JSON value that is the caller's own (freshly parsed from text, held by nothing
 * else, no object in it twice), read in place: a record whose members are its fields, in order,
 * becomes the runtime record itself, with the members whose values change (union branches, nested
 * values) replaced. `json` is not to be read again. Not part of the public API.
 */
export function fromOwnJson(t: AvroType, json: unknown, options: JsonOptions = {}, path = ''): unknown {
  return readJson(t, json, options, path, true);
}

function readJson(t: AvroType, json: unknown, options: JsonOptions, path: string, inPlace: boolean): unknown {
  const max = options.maxDepth ?? MAX_VALUE_DEPTH;
  return located(() => readerOf(t, options, inPlace)(json, max), max, path);
}

/** `fromJson` by the plain walk over the type, which the readers must agree with (a spec compares them). */
export function fromJsonPlain(t: AvroType, json: unknown, options: JsonOptions = {}, path = ''): unknown {
  const max = options.maxDepth ?? MAX_VALUE_DEPTH;
  return located(() => read(t, json, options, max), max, path);
}

function located<R>(run: () => R, max: number, path: string): R {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof Misfit)) throw e;
    const at = path + e.steps.reverse().join('');
    if (e.code === 'too-deep') tooDeep(max, at);
    throw new JsonValueError(e.message, at);
  }
}

/** Reads a JSON value with `depth` levels of nesting still allowed; throws a Misfit. */
type Reader = (json: unknown, depth: number) => unknown;

/** Readers by type, one table per combination of the options that change what is read. */
const READERS = Array.from({ length: 8 }, () => new WeakMap<AvroType, Reader>());

/**
 * The reader of a type: the plain walk's answers, with what depends only on the type looked up
 * once (a record's fields and their readers, a union's branches by tag) instead of at every value.
 * A large constant (a forest of tens of thousands of tree nodes) reads several times faster.
 * Containers are read here; scalars take a fast path for the usual encoding and leave anything
 * else, errors included, to the plain walk.
 */
function readerOf(t: AvroType, options: JsonOptions, inPlace: boolean): Reader {
  const table = READERS[(options.useDefaults ? 1 : 0) + (options.bytes === 'base64' ? 2 : 0) + (inPlace ? 4 : 0)]!;
  let reader = table.get(t);
  if (reader) return reader;
  const plain: Reader = (json, depth) => read(t, json, options, depth);
  switch (t.kind) {
    case 'double':
      reader = (json, depth) => (typeof json === 'number' ? json : plain(json, depth));
      break;
    case 'string':
      reader = (json, depth) => (typeof json === 'string' ? json : plain(json, depth));
      break;
    case 'enum': {
      // A set, not the plain walk's scan of the symbols: a tree node's field is an enum of tens.
      const symbols = new Set(t.symbols);
      reader = (json, depth) => (typeof json === 'string' && symbols.has(json) ? json : plain(json, depth));
      break;
    }
    case 'array': {
      const items: { read?: Reader } = {};
      const doubles = t.items.kind === 'double' || t.items.kind === 'float';
      reader = (json, depth) => {
        if (!Array.isArray(json) || depth <= 0) return plain(json, depth);
        const out: unknown[] = doubles ? doubleArray() : [];
        let i = 0;
        try {
          for (; i < json.length; i++) out.push(items.read!(json[i], depth - 1));
        } catch (e) {
          throw within(e, `/${i}`);
        }
        return out;
      };
      table.set(t, reader);
      items.read = readerOf(t.items, options, inPlace);
      return reader;
    }
    case 'record': {
      const fields: {
        readonly name: string;
        readonly read: Reader;
        readonly fallback: boolean;
        readonly default: unknown;
        readonly step: string;
        /** Named `__proto__`: read and set as an own property only (setField). */
        readonly proto: boolean;
      }[] = [];
      reader = (json, depth) => {
        if (!isRecordValue(json) || depth <= 0) return plain(json, depth);
        if (inPlace && sameMembers(json, fields)) {
          for (const f of fields) {
            const v = json[f.name];
            let value: unknown;
            try {
              value = f.read(v, depth - 1);
            } catch (e) {
              throw within(e, f.step);
            }
            if (value !== v) json[f.name] = value;
          }
          return json;
        }
        let out: Record<string, unknown> = {};
        // Usually the members are the fields, in order: read in one pass over the object's keys
        // (no lookup by name, which across record types is a slow generic one). for-in gives the
        // own keys first, so when the object has at least as many as matched, all matched are own.
        let i = 0;
        let last: string | undefined;
        let more = false;
        for (const k in json) {
          const f = fields[i];
          if (f === undefined || k !== f.name || f.proto) {
            more = true;
            break;
          }
          let value: unknown;
          try {
            value = f.read(json[k], depth - 1);
          } catch (e) {
            // An inherited member is no field: the plain order below decides what is wrong.
            if (!Object.hasOwn(json, k)) {
              more = true;
              break;
            }
            throw within(e, f.step);
          }
          out[k] = value;
          last = k;
          i++;
        }
        // Every field matched and no key followed: when the last is own, so are all before it, and
        // the object has no other, without counting its keys again.
        if (!more && i === fields.length && (last === undefined || Object.hasOwn(json, last))) return out;
        const own = ownKeyCount(json);
        if (i === fields.length && i === own) return out;
        if (i > own) [i, out] = [0, {}];
        // Field by field from the first that did not come in order.
        for (; i < fields.length; i++) {
          const f = fields[i]!;
          const has = Object.hasOwn(json, f.name);
          if (!has && !f.fallback) throw new Misfit(`missing field ${JSON.stringify(f.name)} of ${t.fullName}`);
          let value: unknown;
          try {
            value = f.read(has ? json[f.name] : f.default, depth - 1);
          } catch (e) {
            throw within(e, f.step);
          }
          setField(out, f.name, value);
        }
        return out;
      };
      // Set before the fields' readers are made: a recursive type reaches itself through them.
      table.set(t, reader);
      for (const f of t.fields)
        fields.push({
          name: f.name,
          read: readerOf(f.type, options, inPlace),
          fallback: !!options.useDefaults && f.hasDefault,
          default: f.default,
          step: `/${escapePointer(f.name)}`,
          proto: f.name === '__proto__',
        });
      return reader;
    }
    case 'union': {
      const branches = new Map<string, Reader>();
      reader = (json, depth) => {
        if (!isRecordValue(json) || depth <= 0) return plain(json, depth);
        // The one key, found without making the array of keys.
        let tag: string | undefined;
        for (const k in json) {
          if (tag !== undefined) return plain(json, depth);
          tag = k;
        }
        const branch = tag !== undefined && Object.hasOwn(json, tag) ? branches.get(tag) : undefined;
        if (!branch) return plain(json, depth);
        try {
          return branch(json[tag!], depth - 1);
        } catch (e) {
          throw within(e, `/${escapePointer(tag!)}`);
        }
      };
      table.set(t, reader);
      // The first branch of a tag, as the plain walk's `find` takes it.
      for (const b of t.types) if (!branches.has(branchName(b))) branches.set(branchName(b), readerOf(b, options, inPlace));
      return reader;
    }
    default:
      reader = plain;
  }
  table.set(t, reader);
  return reader;
}

/**
 * Whether the record JSON `json` has exactly the `fields` as its own members, in order, none named
 * `__proto__`: then it can be the runtime record itself (fromOwnJson).
 */
function sameMembers(json: Record<string, unknown>, fields: readonly { readonly name: string; readonly proto: boolean }[]): boolean {
  let i = 0;
  let last: string | undefined;
  for (const k in json) {
    const f = fields[i++];
    if (f === undefined || k !== f.name || f.proto) return false;
    last = k;
  }
  // for-in gives own keys first: when the last is own, so are all before it.
  return i === fields.length && (last === undefined || Object.hasOwn(json, last));
}

/**
 * An empty array that V8 keeps its items in as unboxed doubles, whatever numbers are pushed: an
 * array of doubles read from JSON (a support vector, a cluster center) whose items all happen to be
 * small integers would otherwise be an array of another kind, and a loop over arrays of both kinds
 * (a kernel of a support vector and the datum) loads each item through a check of the kind. Arrays
 * are pushed to, not made at their length, which would leave them of a holey kind.
 */
function doubleArray(): number[] {
  const out = [0.5];
  out.pop();
  return out;
}

/** How many own enumerable string keys an object has, counted without making their array. */
function ownKeyCount(o: object): number {
  let n = 0;
  for (const k in o) if (Object.hasOwn(o, k)) n++;
  return n;
}

/** `fromJson` with the nesting still allowed below this value; throws a Misfit. */
function read(t: AvroType, json: unknown, options: JsonOptions, depth: number): unknown {
  switch (t.kind) {
    case 'null':
      if (json === null) return null;
      throw expected('null');
    case 'boolean':
      if (typeof json === 'boolean') return json;
      throw expected('boolean');
    case 'int':
      if (typeof json === 'bigint' && json >= INT_MIN && json <= INT_MAX) return Number(json);
      if (typeof json === 'number' && Number.isInteger(json) && json >= INT_MIN && json <= INT_MAX) return json;
      throw expected('int');
    case 'long': {
      let v: bigint | undefined;
      if (typeof json === 'bigint') v = json;
      else if (typeof json === 'number' && Number.isInteger(json)) v = BigInt(json);
      else if (typeof json === 'string' && /^-?\d+$/.test(json)) v = BigInt(json);
      if (v !== undefined && v >= LONG_MIN && v <= LONG_MAX) return v;
      throw expected('long');
    }
    case 'float':
    case 'double': {
      let v: number | undefined;
      if (typeof json === 'number') v = json;
      else if (typeof json === 'bigint') v = Number(json);
      else if (typeof json === 'string') v = NONFINITE.get(json);
      if (v === undefined) throw expected(t.kind);
      return t.kind === 'float' ? Math.fround(v) : v;
    }
    case 'string':
      if (typeof json === 'string') return json;
      throw expected('string');
    case 'bytes':
    case 'fixed': {
      if (typeof json !== 'string') throw expected(t.kind);
      let b: Uint8Array;
      try {
        b = options.bytes === 'base64' ? base64ToBytes(json) : latin1ToBytes(json, '');
      } catch (e) {
        throw new Misfit(e instanceof JsonValueError ? e.message : 'invalid base64');
      }
      if (t.kind === 'fixed' && b.length !== t.size) throw expected(`${t.size} bytes for ${t.fullName}`);
      return b;
    }
    case 'enum':
      if (typeof json === 'string' && t.symbols.includes(json)) return json;
      throw expected(`a symbol of ${t.fullName}`);
    case 'array': {
      if (!Array.isArray(json)) throw expected('array');
      if (depth <= 0) throw new Misfit('', 'too-deep');
      const out = new Array<unknown>(json.length);
      let i = 0;
      try {
        for (; i < json.length; i++) out[i] = read(t.items, json[i], options, depth - 1);
      } catch (e) {
        throw within(e, `/${i}`);
      }
      return out;
    }
    case 'map': {
      if (!isRecordValue(json)) throw expected('map (JSON object)');
      if (depth <= 0) throw new Misfit('', 'too-deep');
      const out = new Map<string, unknown>();
      let key = '';
      try {
        for (key of Object.keys(json)) out.set(key, read(t.values, json[key], options, depth - 1));
      } catch (e) {
        throw within(e, `/${escapePointer(key)}`);
      }
      return out;
    }
    case 'record': {
      if (!isRecordValue(json)) throw expected(`record ${t.fullName} (JSON object)`);
      if (depth <= 0) throw new Misfit('', 'too-deep');
      const out: Record<string, unknown> = {};
      for (const f of t.fields) {
        const has = Object.hasOwn(json, f.name);
        if (!has && !(options.useDefaults && f.hasDefault)) throw new Misfit(`missing field ${JSON.stringify(f.name)} of ${t.fullName}`);
        let value: unknown;
        try {
          value = read(f.type, has ? json[f.name] : f.default, options, depth - 1);
        } catch (e) {
          throw within(e, `/${escapePointer(f.name)}`);
        }
        setField(out, f.name, value);
      }
      return out;
    }
    case 'union': {
      if (json === null) {
        for (const b of t.types) if (b.kind === 'null') return null;
        throw expected('a non-null union value');
      }
      if (isRecordValue(json)) {
        const keys = Object.keys(json);
        if (keys.length === 1) {
          const key = keys[0]!;
          for (const branch of t.types) {
            if (branchName(branch) !== key) continue;
            if (depth <= 0) throw new Misfit('', 'too-deep');
            try {
              return read(branch, json[key], options, depth - 1);
            } catch (e) {
              throw within(e, `/${escapePointer(key)}`);
            }
          }
        }
      }
      throw expected(`a tagged union value {"branch": value} for ${t.types.map(branchName).join(', ')}`);
    }
  }
}

/** The tag Avro's JSON encoding uses for a union branch. */
export function branchName(t: AvroType): string {
  switch (t.kind) {
    case 'record':
    case 'enum':
    case 'fixed':
      return t.fullName;
    default:
      return t.kind;
  }
}

/**
 * The Avro JSON encoding of a runtime value as a JS value ready for JSON serialisation (see
 * `stringifyJson` for longs beyond 2^53 and non-finite numbers).
 */
export function toJson(t: AvroType, value: unknown, options: JsonOptions = {}): unknown {
  const max = options.maxDepth ?? MAX_VALUE_DEPTH;
  try {
    return write(t, value, options, max);
  } catch (e) {
    if (e instanceof TooDeep) tooDeep(max, e.path.reverse().join(''));
    throw e;
  }
}

/** Thrown past the nesting limit by `write`; each level adds its step on the way out, so the walk builds no path until then. */
class TooDeep {
  readonly path: string[] = [];
}

function write(t: AvroType, value: unknown, options: JsonOptions, depth: number): unknown {
  switch (t.kind) {
    case 'long': {
      const v = value as bigint;
      return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
    }
    case 'bytes':
    case 'fixed':
      return options.bytes === 'base64' ? bytesToBase64(value as Uint8Array) : bytesToLatin1(value as Uint8Array);
    case 'array': {
      if (depth <= 0) throw new TooDeep();
      const items = value as unknown[];
      const out = new Array<unknown>(items.length);
      let i = 0;
      try {
        for (; i < items.length; i++) out[i] = write(t.items, items[i], options, depth - 1);
      } catch (e) {
        if (e instanceof TooDeep) e.path.push(`/${i}`);
        throw e;
      }
      return out;
    }
    case 'map': {
      if (depth <= 0) throw new TooDeep();
      const out: Record<string, unknown> = {};
      let key = '';
      try {
        for (const [k, v] of value as Map<string, unknown>) {
          key = k;
          setField(out, k, write(t.values, v, options, depth - 1));
        }
      } catch (e) {
        if (e instanceof TooDeep) e.path.push(`/${escapePointer(key)}`);
        throw e;
      }
      return out;
    }
    case 'record': {
      if (depth <= 0) throw new TooDeep();
      const out: Record<string, unknown> = {};
      const rec = value as Record<string, unknown>;
      let name = '';
      try {
        for (const f of t.fields) {
          name = f.name;
          setField(out, f.name, write(f.type, rec[f.name], options, depth - 1));
        }
      } catch (e) {
        if (e instanceof TooDeep) e.path.push(`/${escapePointer(name)}`);
        throw e;
      }
      return out;
    }
    case 'union': {
      if (value === null && t.types.some((b) => b.kind === 'null')) return null;
      const i = resolveBranch(t, value);
      if (i < 0) throw new JsonValueError('value fits no branch of the union', '');
      const b = t.types[i]!;
      if (depth <= 0) throw new TooDeep();
      const out: Record<string, unknown> = {};
      const name = branchName(b);
      try {
        setField(out, name, write(b, value, options, depth - 1));
      } catch (e) {
        if (e instanceof TooDeep) e.path.push(`/${escapePointer(name)}`);
        throw e;
      }
      return out;
    }
    default:
      return value;
  }
}

/** What JSON.stringify leaves out of an object and writes as null in an array. */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function scalarText(v: unknown): string {
  switch (typeof v) {
    case 'string':
      // JSON.stringify of a string alone is exact: every control character and lone surrogate escaped.
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Infinity"' : '"-Infinity"';
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return 'null';
  }
}

interface Frame {
  readonly value: Record<string, unknown> | unknown[];
  /** The keys of an object; undefined for an array. */
  readonly keys: readonly string[] | undefined;
  next: number;
  written: number;
}

const MARKER = '\u0000big:';
const MARKED = /"\\u0000big:(-?\d+)"/g;

/**
 * JSON text for a value produced by `toJson`: bigints are written as exact integers; non-finite
 * numbers, which JSON cannot hold, as the strings "NaN", "Infinity" and "-Infinity". Otherwise the
 * text JSON.stringify would write (`toJSON` methods included).
 *
 * The native JSON.stringify writes it when it can say so exactly: bigints go through it as marked
 * strings, turned into digits afterwards, which is exact only while no other string or key contains
 * the NUL character the marker starts with. A value with both, or one too deep for the native
 * writer's recursion, is written by `writeJson`, which is exact for every string and iterative.
 */
export function stringifyJson(json: unknown, indent?: number): string {
  // A record of scalars (a PMML model's result, most JSON Lines rows) needs nothing of the
  // replacer: the native writer alone gives the same text, without a call back for every value
  // (a record of three numbers: about 0.9 µs through the replacer, 0.25 without).
  if (scalarRecord(json)) return JSON.stringify(json, null, indent);
  let bigints = false;
  let nul = false;
  let text: string;
  try {
    text = JSON.stringify(
      json,
      (k: string, v: unknown) => {
        if (k.includes('\u0000')) nul = true;
        switch (typeof v) {
          case 'string':
            if (v.includes('\u0000')) nul = true;
            return v;
          case 'bigint':
            bigints = true;
            return `${MARKER}${v}`;
          case 'number':
            return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
          default:
            return v;
        }
      },
      indent,
    );
  } catch (e) {
    if (e instanceof RangeError) return writeJson(json, indent);
    throw e;
  }
  if (!bigints) return text;
  return nul ? writeJson(json, indent) : text.replace(MARKED, '$1');
}

/**
 * Whether `json` is an object (not an array, and without a `toJSON` of its own to call) whose
 * enumerable values are strings, finite numbers, booleans, null or undefined: values JSON.stringify
 * writes as stringifyJson does, so that its replacer would change nothing.
 */
function scalarRecord(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const rec = json as Record<string, unknown>;
  if (typeof rec.toJSON === 'function') return false;
  for (const k in rec) {
    const v = rec[k];
    switch (typeof v) {
      case 'string':
      case 'boolean':
      case 'undefined':
        continue;
      case 'number':
        if (Number.isFinite(v)) continue;
        return false;
      case 'object':
        if (v === null) continue;
        return false;
      default:
        return false;
    }
  }
  return true;
}

/** `stringifyJson` without recursion and without markers: slower than the native writer, exact for any value. */
export function writeJson(json: unknown, indent?: number): string {
  const gap = indent && indent > 0 ? ' '.repeat(Math.min(10, Math.floor(indent))) : '';
  const stack: Frame[] = [];
  const open = new Set<object>();
  let out = '';
  const prepare = (v: unknown, key: string): unknown => {
    if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function')
      return (v as { toJSON(k: string): unknown }).toJSON(key);
    return v;
  };
  // Writes a scalar, or opens a container (pushed on the stack; its members are written by the loop).
  const write = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) {
      out += scalarText(v);
      return;
    }
    if (open.has(v)) throw new TypeError('stringifyJson: the value is cyclic');
    if (Array.isArray(v)) {
      out += '[';
      stack.push({ value: v, keys: undefined, next: 0, written: 0 });
    } else {
      out += '{';
      stack.push({ value: v as Record<string, unknown>, keys: Object.keys(v), next: 0, written: 0 });
    }
    open.add(v);
  };
  const top = prepare(json, '');
  if (omitted(top)) return undefined as unknown as string;
  write(top);
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    const size = f.keys ? f.keys.length : (f.value as unknown[]).length;
    if (f.next >= size) {
      stack.pop();
      open.delete(f.value);
      if (gap && f.written) out += `\n${gap.repeat(stack.length)}`;
      out += f.keys ? '}' : ']';
      continue;
    }
    const i = f.next++;
    const key = f.keys ? f.keys[i]! : String(i);
    let v = prepare(f.keys ? (f.value as Record<string, unknown>)[key] : (f.value as unknown[])[i], key);
    if (omitted(v)) {
      if (f.keys) continue;
      v = null;
    }
    if (f.written++) out += ',';
    if (gap) out += `\n${gap.repeat(stack.length)}`;
    if (f.keys) out += gap ? `${JSON.stringify(key)}: ` : `${JSON.stringify(key)}:`;
    write(v);
  }
  return out;
}
