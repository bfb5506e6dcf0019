import { describe, expect, it } from 'vitest';
import { fromJson } from '../../src/avro/json.js';
import { jsonIsValue, NOT_NUMERIC, numericReader } from '../../src/avro/json-numeric.js';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';

const type = (json: unknown) => parseSchema(json, new NameRegistry());
const RECORD = type({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'double' }, { name: 'b_c', type: 'double' }, { name: '__proto__', type: 'double' }] });
const ARRAY = type({ type: 'array', items: 'double' });

describe('numericReader', () => {
  it('reads a record of doubles as fromJson does: a copy with only its fields, own properties, -0 and NaN kept', () => {
    const read = numericReader(RECORD)!;
    const json = JSON.parse('{"a": -0, "b_c": 1.5, "__proto__": 2, "extra": "x"}') as object;
    const got = read(json) as Record<string, unknown>;
    expect(got).toEqual(fromJson(RECORD, json));
    expect(Object.is(got.a, -0)).toBe(true);
    expect(Object.hasOwn(got, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(got).not.toBe(json);
    expect(read({ a: NaN, 'b_c': Infinity, ['__proto__']: 0 })).toEqual({ a: NaN, 'b_c': Infinity, ['__proto__']: 0 });
  });

  it('leaves to fromJson what is not plain numbers: text, a missing or inherited field, arrays, null', () => {
    const read = numericReader(RECORD)!;
    const inherited = Object.create({ a: 1 }) as Record<string, unknown>;
    Object.assign(inherited, { 'b_c': 1 });
    Object.defineProperty(inherited, '__proto__', { value: 1, enumerable: true });
    for (const json of [{ a: 'NaN', 'b_c': 1 }, { a: 1 }, inherited, [1, 2, 3], null, 'text', { a: 1n, 'b_c': 1 }]) expect(read(json)).toBe(NOT_NUMERIC);
  });

  it('reads an array of doubles into a copy, and leaves text and holes to fromJson', () => {
    const read = numericReader(ARRAY)!;
    const json = [1, -0, NaN, 1e308];
    expect(read(json)).toEqual(fromJson(ARRAY, json));
    expect(read(json)).not.toBe(json);
    for (const bad of [[1, 'Infinity'], [1, , 3], { 0: 1, length: 1 }, [1, null]]) expect(read(bad)).toBe(NOT_NUMERIC);
  });

  it('has no reader for other types: floats round, ints check their range, unions are tagged', () => {
    for (const t of [{ type: 'array', items: 'float' }, { type: 'record', name: 'F', fields: [{ name: 'x', type: 'float' }] }, { type: 'record', name: 'U', fields: [{ name: 'x', type: ['null', 'double'] }] }, 'double', { type: 'record', name: 'E', fields: [] }]) {
      expect(numericReader(type(t))).toBeUndefined();
    }
  });
});

describe('jsonIsValue', () => {
  it('holds for primitive results and enums, not for longs, bytes or containers', () => {
    expect(['double', 'float', 'int', 'string', 'boolean', 'null', { type: 'enum', name: 'E', symbols: ['a'] }].map((t) => jsonIsValue(type(t)))).toEqual([true, true, true, true, true, true, true]);
    expect(['long', 'bytes', { type: 'array', items: 'double' }, ['null', 'double']].map((t) => jsonIsValue(type(t)))).toEqual([false, false, false, false]);
  });
});
