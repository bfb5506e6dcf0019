/**
 * Avro's JSON encoding <-> runtime values (docs/values.md).
 *
 * In the JSON form: unions are `null` or `{"branch": value}` (branch = primitive name, `array`,
 * `map`, or a named type's full name); bytes and fixed are strings of code points 0-255 (or base64
 * with `bytes: 'base64'`); longs are numbers, or bigints / digit strings when they do not fit a
 * double exactly; non-finite floats may be written as the strings "NaN", "Infinity", "-Infinity"
 * (also "nan", "inf", "-inf").
 */
import type { AvroType } from './types.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, isRecordValue, resolveBranch, setField } from './values.js';

export interface JsonOptions {
  /** How bytes and fixed are written as JSON strings. Avro's own encoding is `latin1`. */
  readonly bytes?: 'latin1' | 'base64';
  /** Fill record fields that are absent from the JSON with the schema's default. */
  readonly useDefaults?: boolean;
}

export class JsonValueError extends Error {
  constructor(
    message: string,
    /** JSON pointer to the offending part of the value. */
    readonly path: string,
  ) {
    super(path ? `${message} at ${path}` : message);
  }
}

const NONFINITE: Record<string, number> = { NaN: NaN, nan: NaN, Infinity: Infinity, inf: Infinity, '-Infinity': -Infinity, '-inf': -Infinity };

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

/** Builds the runtime value of type `t` from its Avro JSON encoding; throws JsonValueError with a path. */
export function fromJson(t: AvroType, json: unknown, options: JsonOptions = {}, path = ''): unknown {
  const fail = (what: string): never => {
    throw new JsonValueError(`expected ${what}`, path);
  };
  switch (t.kind) {
    case 'null':
      return json === null ? null : fail('null');
    case 'boolean':
      return typeof json === 'boolean' ? json : fail('boolean');
    case 'int':
      if (typeof json === 'bigint' && json >= INT_MIN && json <= INT_MAX) return Number(json);
      return typeof json === 'number' && Number.isInteger(json) && json >= INT_MIN && json <= INT_MAX ? json : fail('int');
    case 'long': {
      let v: bigint | undefined;
      if (typeof json === 'bigint') v = json;
      else if (typeof json === 'number' && Number.isInteger(json)) v = BigInt(json);
      else if (typeof json === 'string' && /^-?\d+$/.test(json)) v = BigInt(json);
      return v !== undefined && v >= LONG_MIN && v <= LONG_MAX ? v : fail('long');
    }
    case 'float':
    case 'double': {
      let v: number | undefined;
      if (typeof json === 'number') v = json;
      else if (typeof json === 'bigint') v = Number(json);
      else if (typeof json === 'string' && json in NONFINITE) v = NONFINITE[json];
      if (v === undefined) return fail(t.kind);
      return t.kind === 'float' ? Math.fround(v) : v;
    }
    case 'string':
      return typeof json === 'string' ? json : fail('string');
    case 'bytes':
    case 'fixed': {
      if (typeof json !== 'string') return fail(t.kind);
      let b: Uint8Array;
      try {
        b = options.bytes === 'base64' ? base64ToBytes(json) : latin1ToBytes(json, path);
      } catch (e) {
        throw e instanceof JsonValueError ? e : new JsonValueError('invalid base64', path);
      }
      if (t.kind === 'fixed' && b.length !== t.size) fail(`${t.size} bytes for ${t.fullName}`);
      return b;
    }
    case 'enum':
      return typeof json === 'string' && t.symbols.includes(json) ? json : fail(`a symbol of ${t.fullName}`);
    case 'array':
      if (!Array.isArray(json)) return fail('array');
      return json.map((x, i) => fromJson(t.items, x, options, `${path}/${i}`));
    case 'map': {
      if (!isRecordValue(json)) return fail('map (JSON object)');
      const out = new Map<string, unknown>();
      for (const k of Object.keys(json)) out.set(k, fromJson(t.values, json[k], options, `${path}/${escapePointer(k)}`));
      return out;
    }
    case 'record': {
      if (!isRecordValue(json)) return fail(`record ${t.fullName} (JSON object)`);
      const out: Record<string, unknown> = {};
      for (const f of t.fields) {
        const p = `${path}/${escapePointer(f.name)}`;
        if (Object.hasOwn(json, f.name)) setField(out, f.name, fromJson(f.type, json[f.name], options, p));
        else if (options.useDefaults && f.hasDefault) setField(out, f.name, fromJson(f.type, f.default, options, p));
        else throw new JsonValueError(`missing field ${JSON.stringify(f.name)} of ${t.fullName}`, path);
      }
      return out;
    }
    case 'union': {
      if (json === null) {
        if (t.types.some((b) => b.kind === 'null')) return null;
        return fail('a non-null union value');
      }
      if (isRecordValue(json)) {
        const keys = Object.keys(json);
        if (keys.length === 1) {
          const branch = t.types.find((b) => branchName(b) === keys[0]);
          if (branch) return fromJson(branch, json[keys[0]!], options, `${path}/${escapePointer(keys[0]!)}`);
        }
      }
      return fail(`a tagged union value {"branch": value} for ${t.types.map(branchName).join(', ')}`);
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
  switch (t.kind) {
    case 'long': {
      const v = value as bigint;
      return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
    }
    case 'bytes':
    case 'fixed':
      return options.bytes === 'base64' ? bytesToBase64(value as Uint8Array) : bytesToLatin1(value as Uint8Array);
    case 'array':
      return (value as unknown[]).map((x) => toJson(t.items, x, options));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of value as Map<string, unknown>) setField(out, k, toJson(t.values, v, options));
      return out;
    }
    case 'record': {
      const out: Record<string, unknown> = {};
      const rec = value as Record<string, unknown>;
      for (const f of t.fields) setField(out, f.name, toJson(f.type, rec[f.name], options));
      return out;
    }
    case 'union': {
      if (value === null && t.types.some((b) => b.kind === 'null')) return null;
      const i = resolveBranch(t, value);
      if (i < 0) throw new JsonValueError('value fits no branch of the union', '');
      const b = t.types[i]!;
      const out: Record<string, unknown> = {};
      setField(out, branchName(b), toJson(b, value, options));
      return out;
    }
    default:
      return value;
  }
}

/**
 * JSON text for a value produced by `toJson`: bigints are written as exact integers; non-finite
 * numbers, which JSON cannot hold, as the strings "NaN", "Infinity" and "-Infinity".
 */
export function stringifyJson(json: unknown, indent?: number): string {
  const marker = '\u0000big:';
  const text = JSON.stringify(
    json,
    (_k, v: unknown) => {
      if (typeof v === 'bigint') return `${marker}${v}`;
      if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
      return v;
    },
    indent,
  );
  return text.replace(/"\\u0000big:(-?\d+)"/g, '$1');
}
