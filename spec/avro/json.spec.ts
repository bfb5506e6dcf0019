import { describe, expect, it } from 'vitest';
import { seededRandom } from '../helpers/random.js';
import { JsonValueError, fromJson, stringifyJson, toJson, writeJson } from '../../src/avro/json.js';
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

describe('stringifyJson of records of scalars', () => {
  const VALUES: unknown[] = [
    0,
    -0,
    1.5,
    1e21,
    1e-7,
    0.1 + 0.2,
    NaN,
    Infinity,
    -Infinity,
    '',
    'a"b\\c',
    'ü',
    '\u0000',
    '\ud800',
    true,
    null,
    undefined,
  ];
  const OTHERS: unknown[] = [12345678901234567890n, { nested: NaN }, [1], new Date(0), () => 1];
  const NAMES = ['a', 'b', '1', '__proto__', 'constructor', 'x "y"', 'é', '\u0000'];
  const r = seededRandom(17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

  it('writes what the exact writer writes, whether the native writer alone can (every value a scalar) or not', () => {
    let scalarsOnly = 0;
    for (let i = 0; i < 3000; i++) {
      const rec: Record<string, unknown> = r() < 0.1 ? Object.create(null) : {};
      const count = Math.floor(r() * 5);
      for (let k = 0; k < count; k++)
        Object.defineProperty(rec, pick(NAMES), {
          value: r() < 0.1 ? pick(OTHERS) : pick(VALUES),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      expect(stringifyJson(rec)).toBe(writeJson(rec));
      expect(stringifyJson(rec, 2)).toBe(writeJson(rec, 2));
      if (Object.values(rec).every((v) => typeof v !== 'object' || v === null)) scalarsOnly++;
    }
    expect(scalarsOnly).toBeGreaterThan(1500);
  });

  it('calls a record’s own toJSON, and writes NaN in what it returns as the exact writer does', () => {
    const rec = { a: 1, toJSON: () => ({ b: NaN }) };
    expect(stringifyJson(rec)).toBe('{"b":"NaN"}');
    expect(stringifyJson(rec)).toBe(writeJson(rec));
  });
});
