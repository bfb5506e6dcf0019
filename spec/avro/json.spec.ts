import { describe, expect, it } from 'vitest';
import { JsonValueError, fromJson, stringifyJson, toJson } from '../../src/avro/json.js';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import { T } from '../../src/avro/types.js';

const names = new NameRegistry();
const R = parseSchema(
  {
    type: 'record',
    name: 'R',
    fields: [
      { name: 'n', type: 'long' },
      { name: 'u', type: ['null', 'double', { type: 'array', items: 'int' }] },
      { name: 'b', type: 'bytes' },
      { name: 'm', type: { type: 'map', values: 'float' } },
    ],
  },
  names,
);

describe('Avro JSON', () => {
  it('converts to runtime values and back', () => {
    const json = { n: 5, u: { array: [1, 2] }, b: '\u0001\u00ff', m: { a: 0.5 } };
    const v = fromJson(R, json) as Record<string, unknown>;
    expect(v.n).toBe(5n);
    expect(v.u).toEqual([1, 2]);
    expect(v.b).toEqual(new Uint8Array([1, 255]));
    expect(v.m).toEqual(new Map([['a', 0.5]]));
    expect(toJson(R, v)).toEqual(json);
  });

  it('keeps longs beyond 2^53 exact', () => {
    const v = fromJson(T.long, '9223372036854775807');
    expect(v).toBe(9223372036854775807n);
    expect(stringifyJson(toJson(T.long, v))).toBe('9223372036854775807');
  });

  it('reads non-finite floats written as strings and writes them back', () => {
    expect(fromJson(T.double, 'inf')).toBe(Infinity);
    expect(Number.isNaN(fromJson(T.double, 'NaN'))).toBe(true);
    expect(stringifyJson([NaN, -Infinity])).toBe('["NaN","-Infinity"]');
  });

  it('reads only the six non-finite names as numbers, not names an object inherits', () => {
    for (const s of ['toString', 'constructor', '__proto__', 'valueOf']) expect(() => fromJson(T.double, s)).toThrow(JsonValueError);
  });

  it('reads base64 bytes on request', () => {
    expect(fromJson(T.bytes, 'AQI=', { bytes: 'base64' })).toEqual(new Uint8Array([1, 2]));
  });

  it('reports where a value does not fit', () => {
    try {
      fromJson(R, { n: 1, u: { string: 'x' }, b: '', m: {} });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JsonValueError);
      expect((e as JsonValueError).path).toBe('/u');
    }
  });

  it('fills defaults only when asked', () => {
    const D = parseSchema({ type: 'record', name: 'D', fields: [{ name: 'x', type: 'int', default: 3 }] }, new NameRegistry());
    expect(() => fromJson(D, {})).toThrow(/missing field/);
    expect(fromJson(D, {}, { useDefaults: true })).toEqual({ x: 3 });
  });
});
