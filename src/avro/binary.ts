/**
 * Avro binary encoding of runtime values with avsc (`cast.avro`, the set keys of `map.*`).
 *
 * avsc has its own value representation, so each call site builds, once, an avsc type from the
 * argument's schema and a converter from our runtime values to avsc's: longs are bigints here (avsc
 * gets a custom long type for them), bytes and fixed are Uint8Arrays (avsc wants Buffers), maps are
 * `Map`s (avsc wants objects) and unions are untagged (avsc gets them wrapped, `{branch: value}`).
 * avsc is loaded when the first such type is built, not when the library is imported (lazy-modules.ts).
 */
import type avro from 'avsc';
import { Buffer } from 'buffer';
import { branchName } from './json.js';
import type { AvroType, RecordType } from './types.js';
import { PfaRuntimeError } from '../errors.js';
import { VALUE_DEPTH, resolveBranch, setField } from './values.js';
import { toSchemaJson } from './schema.js';
import { avsc } from '../lazy-modules.js';

/**
 * Converters take the nesting still allowed (`d`): values of recursive types can nest without end,
 * and both this walk and avsc's recurse, so a value past VALUE_DEPTH levels raises a runtime error.
 */
type Convert = (v: unknown, d: number) => unknown;

function tooDeep(): never {
  throw new PfaRuntimeError('too-deep', `values nested deeper than ${VALUE_DEPTH} levels cannot be serialized`);
}

/** Signed 64-bit longs as bigints, written through avsc's 8-byte little-endian hook. */
let bigIntLong: avro.types.LongType | undefined;
const BigIntLong = (): avro.types.LongType =>
  (bigIntLong ??= avsc().types.LongType.__with({
    fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
    toBuffer: (n: bigint) => {
      const buf = Buffer.alloc(8);
      buf.writeBigInt64LE(n);
      return buf;
    },
    fromJSON: BigInt,
    toJSON: Number,
    isValid: (n: unknown) => typeof n === 'bigint',
    compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
  }));

const identity: Convert = (v) => v;
const toBuffer: Convert = (v) => {
  const b = v as Uint8Array;
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
};

function converter(t: AvroType, records: Map<string, Convert>): Convert {
  switch (t.kind) {
    case 'bytes':
    case 'fixed':
      return toBuffer;
    case 'array': {
      const item = converter(t.items, records);
      return item === identity
        ? identity
        : (v, d) => {
            if (d <= 0) tooDeep();
            return (v as unknown[]).map((x) => item(x, d - 1));
          };
    }
    case 'map': {
      const value = converter(t.values, records);
      return (v, d) => {
        if (d <= 0) tooDeep();
        const out: Record<string, unknown> = {};
        for (const [k, x] of v as Map<string, unknown>) setField(out, k, value(x, d - 1));
        return out;
      };
    }
    case 'union': {
      const parts = t.types.map((b) => ({ name: branchName(b), convert: converter(b, records) }));
      return (v, d) => {
        if (v === null) return null;
        const part = parts[resolveBranch(t, v)]!;
        const out: Record<string, unknown> = {};
        setField(out, part.name, part.convert(v, d));
        return out;
      };
    }
    case 'record':
      return recordConverter(t, records);
    default:
      return identity;
  }
}

function recordConverter(t: RecordType, records: Map<string, Convert>): Convert {
  const cached = records.get(t.fullName);
  if (cached) return cached;
  // Recursive records: register a forwarding closure before building the field converters.
  let fields: { name: string; convert: Convert }[] = [];
  const convert: Convert = (v, d) => {
    if (d <= 0) tooDeep();
    const rec = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const f of fields) setField(out, f.name, f.convert(rec[f.name], d - 1));
    return out;
  };
  records.set(t.fullName, convert);
  fields = t.fields.map((f) => ({ name: f.name, convert: converter(f.type, records) }));
  return convert;
}

/**
 * The avsc type for an Avro schema in this module's conventions: longs are bigints and unions are
 * wrapped, `{branch: value}`, as in Avro's JSON encoding. Also used to read Avro container files.
 */
export function avscType(schema: unknown): avro.Type {
  return avsc().Type.forSchema(schema as avro.Schema, { registry: { long: BigIntLong() }, wrapUnions: true });
}

/** The avsc type of `t` and the converter from our runtime values to avsc's. */
export function avscWriter(t: AvroType): { type: avro.Type; convert: (value: unknown) => unknown } {
  const convert = converter(t, new Map());
  return { type: avscType(toSchemaJson(t)), convert: (value) => convert(value, VALUE_DEPTH) };
}

/** Builds, for one type, the function that serializes its values in Avro's binary encoding. */
export function avroEncoder(t: AvroType): (value: unknown) => Uint8Array {
  const { type, convert } = avscWriter(t);
  return (value) => new Uint8Array(type.toBuffer(convert(value)));
}
