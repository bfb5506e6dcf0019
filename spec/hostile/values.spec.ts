/**
 * Hostile values: inputs nested far deeper than any type walk may recurse give coded errors, never
 * a RangeError; JSON text is exact for every string; `__proto__` is an ordinary field name and map key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InputError,
  JsonValueError,
  PfaRuntimeError,
  TrajanError,
  fromJson,
  fromPlainJson,
  loadPfa,
  stringifyJson,
  toJson,
  toPlainJson,
} from '../../src/index.js';
import { avroEncoder } from '../../src/avro/binary.js';
import { comparator, equality } from '../../src/avro/compare.js';
import { fits } from '../../src/avro/fits.js';
import { NameRegistry, SchemaError, parseSchema } from '../../src/avro/schema.js';
import { T, type AvroType } from '../../src/avro/types.js';
import { validator } from '../../src/avro/validate.js';
import { VALUE_DEPTH, isValueOf } from '../../src/avro/values.js';

const DEEP = 100_000;

/** A linked list type: record Node {next: union {null, Node}}. */
function listType(): AvroType {
  return parseSchema({ type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'] }] }, new NameRegistry());
}

/** A runtime value of `listType` with `n` nodes (unions are untagged at run time). */
function listValue(n: number): unknown {
  let v: unknown = null;
  for (let i = 0; i < n; i++) v = { next: v };
  return v;
}

/** The same list in Avro's JSON encoding (unions tagged). */
function listJson(n: number): unknown {
  let v: unknown = null;
  for (let i = 0; i < n; i++) v = { next: v === null ? null : { Node: v } };
  return v;
}

function nestedArrayType(depth: number): AvroType {
  let t: AvroType = T.int;
  for (let i = 0; i < depth; i++) t = T.array(t);
  return t;
}

function nestedArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('deep values give coded errors', () => {
  it('fromJson: nesting at the limit reads, one level more is too-deep with its path as pointer', () => {
    expect(fromJson(nestedArrayType(VALUE_DEPTH), nestedArray(VALUE_DEPTH))).toEqual(nestedArray(VALUE_DEPTH));
    const e = caught(() => fromJson(nestedArrayType(VALUE_DEPTH + 1), nestedArray(VALUE_DEPTH + 1))) as JsonValueError;
    expect(e).toBeInstanceOf(InputError);
    expect(e).toBeInstanceOf(TrajanError);
    expect(e.kind).toBe('input');
    expect(e.code).toBe('too-deep');
    expect(e.path).toBe('/0'.repeat(VALUE_DEPTH));
    expect(e.location).toEqual({ pointer: e.path });
  });

  it('fromJson, toJson and the plain-JSON conversions refuse a list 10^5 deep', () => {
    const t = listType();
    for (const run of [
      () => fromJson(t, listJson(DEEP)),
      () => toJson(t, listValue(DEEP)),
      () => fromPlainJson(t, listValue(DEEP)),
      () => toPlainJson(t, listJson(DEEP)),
    ]) {
      const e = caught(run) as JsonValueError;
      expect(e).toBeInstanceOf(JsonValueError);
      expect(e.code).toBe('too-deep');
      expect(e.path.startsWith('/next')).toBe(true);
    }
    expect(toJson(t, listValue(3))).toEqual(listJson(3));
    expect(toPlainJson(t, fromPlainJson(t, listValue(3)))).toEqual(listValue(3));
  });

  it('validation, the generated input check, compare, equality and binary encoding stay bounded', () => {
    const t = listType();
    const deep = listValue(DEEP);
    expect(isValueOf(t, deep)).toBe(false);
    expect(fits(t)(deep)).toBe(false);
    expect(fits(t)(listValue(10))).toBe(true);
    expect(validator(t)(deep)).toMatch(/deeper than/);
    for (const run of [() => comparator(t)(deep, deep), () => equality(t)(deep, deep), () => avroEncoder(t)(deep)]) {
      const e = caught(run) as PfaRuntimeError;
      expect(e).toBeInstanceOf(PfaRuntimeError);
      expect(e.code).toBe('too-deep');
    }
    expect(comparator(t)(listValue(3), listValue(4))).toBe(-1);
  });

  it('a union of records of the same shape checks a value that fits neither in linear steps, not 2^depth', () => {
    const t = parseSchema(
      [
        'null',
        {
          type: 'record',
          name: 'A',
          fields: [
            {
              name: 'x',
              type: [
                'null',
                'A',
                {
                  type: 'record',
                  name: 'B',
                  fields: [
                    { name: 'x', type: ['null', 'A', 'B'] },
                    { name: 'y', type: 'int' },
                  ],
                },
              ],
            },
          ],
        },
      ],
      new NameRegistry(),
    );
    // Sixty levels: without sharing answers this would take 2^60 steps and never finish.
    let v: unknown = 'neither';
    for (let i = 0; i < 60; i++) v = { x: v, y: 1 };
    expect(isValueOf(t, v)).toBe(false);
    expect(fits(t)(v)).toBe(false);
    expect(validator(t)(v)).toMatch(/fits no branch/);
  });

  it('an engine refuses a deep input with a coded error, from values and from JSON', () => {
    const engine = loadPfa({
      input: { type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'] }] },
      output: 'boolean',
      action: true,
    });
    expect(engine.action(listValue(5))).toBe(true);
    expect((caught(() => engine.action(listValue(DEEP))) as TrajanError).code).toBe('input-mismatch');
    expect((caught(() => engine.fromJson(listJson(DEEP))) as TrajanError).code).toBe('too-deep');
  });

  it('schema parsing bounds nesting and chains of forward references', () => {
    const names = new NameRegistry();
    const n = 20_000;
    for (let i = 1; i <= n; i++)
      names.addPending(`A${i}`, { type: 'record', name: `A${i}`, fields: i < n ? [{ name: 'x', type: `A${i + 1}` }] : [] }, undefined);
    expect(caught(() => parseSchema('A1', names))).toBeInstanceOf(SchemaError);
    let deep: unknown = 'int';
    for (let i = 0; i < DEEP; i++) deep = { type: 'array', items: deep };
    expect(caught(() => parseSchema(deep, new NameRegistry()))).toBeInstanceOf(SchemaError);
  });

  it('stringifyJson writes values of any depth', () => {
    const text = stringifyJson(nestedArray(DEEP));
    expect(text.length).toBe(2 * DEEP + 1);
    expect(text.startsWith('[[[')).toBe(true);
  });
});

describe('the value error contract', () => {
  it('a bad input is a JsonValueError: an InputError with code bad-input and the path as pointer', () => {
    const engine = loadPfa({
      input: { type: 'record', name: 'R', fields: [{ name: 'xs', type: { type: 'array', items: 'double' } }] },
      output: 'double',
      action: 1,
    });
    const e = caught(() => engine.fromJson({ xs: [1, 'two'] })) as JsonValueError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.code).toBe('bad-input');
    expect(e.path).toBe('/xs/1');
    expect(e.toJSON()).toMatchObject({ kind: 'input', code: 'bad-input', location: { pointer: '/xs/1' } });
  });
});

describe('stringifyJson is exact for every string', () => {
  it('keeps strings that look like its bigint marker, and keys too', () => {
    const value = { a: '\u0000big:42', b: 12345678901234567890n, '\u0000big:7': '"\u0000big:1', c: ['x\u0000big:-3', -9007199254740993n] };
    const text = stringifyJson(value);
    const back = JSON.parse(text) as Record<string, unknown>;
    expect(back.a).toBe('\u0000big:42');
    expect(back['\u0000big:7']).toBe('"\u0000big:1');
    expect((back.c as unknown[])[0]).toBe('x\u0000big:-3');
    expect(text).toContain('"b":12345678901234567890');
    expect(text).toContain('-9007199254740993]');
    expect(JSON.parse(stringifyJson({ s: '\u0000big:42' }))).toEqual({ s: '\u0000big:42' });
  });

  it('round-trips every control character and lone surrogate through JSON.parse', () => {
    const all = `${Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('')}\ud800 \udfff \ud83d\ude00 "\\`;
    expect(JSON.parse(stringifyJson({ all, n: 1n }))).toEqual({ all, n: 1 });
    expect(JSON.parse(stringifyJson([all]))).toEqual([all]);
  });

  it('random strings and keys, with and without bigints beside them (fixed seed)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 20 });
    const marked = fc.constantFrom('\u0000big:1', '\u0000big:-22', '"\u0000big:3"', '\\u0000big:4');
    const str = fc.oneof(
      text,
      marked,
      fc.tuple(text, marked, text).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(
        fc.dictionary(str, fc.oneof(str, fc.array(str, { maxLength: 3 }))),
        fc.boolean(),
        fc.integer({ min: 0, max: 4 }),
        (obj, withBig, indent) => {
          const value = withBig ? { obj, big: 2n ** 70n } : { obj };
          const back = JSON.parse(stringifyJson(value, indent || undefined)) as { obj: unknown };
          expect(back.obj).toEqual(obj);
        },
      ),
      { seed: 20261205, numRuns: 300 },
    );
  });
});

describe('__proto__ is an ordinary field name and map key', () => {
  const protoSchema = {
    type: 'record',
    name: 'P',
    fields: [
      { name: '__proto__', type: ['null', 'double'] },
      { name: 'm', type: { type: 'map', values: 'int' } },
    ],
  };

  it('survives fromJson, toJson, the plain-JSON conversions, validation, comparison and encoding', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const t = parseSchema(protoSchema, new NameRegistry());
    const json = JSON.parse('{"__proto__": {"double": 1.5}, "m": {"__proto__": 3, "polluted": 1}}') as unknown;
    const value = fromJson(t, json) as Record<string, unknown>;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(value.m).toEqual(
      new Map([
        ['__proto__', 3],
        ['polluted', 1],
      ]),
    );
    const back = toJson(t, value);
    expect(stringifyJson(back)).toBe('{"__proto__":{"double":1.5},"m":{"__proto__":3,"polluted":1}}');
    const plain = toPlainJson(t, back) as Record<string, unknown>;
    expect(Object.hasOwn(plain, '__proto__')).toBe(true);
    expect(stringifyJson(plain)).toBe('{"__proto__":1.5,"m":{"__proto__":3,"polluted":1}}');
    expect(stringifyJson(fromPlainJson(t, plain))).toBe(stringifyJson(back));
    expect(isValueOf(t, value)).toBe(true);
    expect(fits(t)(value)).toBe(true);
    expect(validator(t)(value)).toBeUndefined();
    expect(equality(t)(value, fromJson(t, json))).toBe(true);
    expect(comparator(t)(value, fromJson(t, json))).toBe(0);
    expect(avroEncoder(t)(value).length).toBeGreaterThan(0);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('survives ColumnBatch records', () => {
    const engine = loadPfa({
      input: {
        type: 'record',
        name: 'In',
        fields: [
          { name: '__proto__', type: 'double' },
          { name: 'b', type: 'double' },
        ],
      },
      output: 'double',
      action: { '+': ['input.b', 1] },
    });
    const batch = engine.createBatch(1);
    batch.columns[0]![0] = 2;
    batch.columns[1]![0] = 3;
    const rec = batch.record(0) as Record<string, unknown>;
    expect(Object.hasOwn(rec, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(rec, '__proto__')?.value).toBe(2);
    expect(Object.getPrototypeOf(rec)).toBe(Object.prototype);
  });
});
