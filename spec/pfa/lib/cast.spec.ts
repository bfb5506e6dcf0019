import { describe, expect, it } from 'vitest';
import type { EnumType, RecordType } from '../../../src/avro/types.js';
import { T } from '../../../src/avro/types.js';
import { errorCode, implFor } from './_direct-call.js';

const NUMBERS = [T.int, T.long, T.float, T.double];

describe('cast: two’s complement', () => {
  const signed = implFor('cast.signed', [T.long, T.int]);
  const unsigned = implFor('cast.unsigned', [T.long, T.int]);
  it('truncates to the given width', () => {
    expect(signed(255n, 8)).toBe(-1n);
    expect(signed(127n, 8)).toBe(127n);
    expect(signed(-(2n ** 63n), 64)).toBe(-(2n ** 63n));
    expect(unsigned(-1n, 8)).toBe(255n);
    expect(unsigned(-1n, 63)).toBe(2n ** 63n - 1n);
  });
  it('rejects widths it cannot represent', () => {
    expect(errorCode(() => signed(1n, 1))).toBe(17000);
    expect(errorCode(() => signed(1n, 65))).toBe(17000);
    expect(errorCode(() => unsigned(1n, 0))).toBe(17010);
    expect(errorCode(() => unsigned(1n, 64))).toBe(17010);
  });
});

describe('cast: numeric precision', () => {
  const cast = (name: string, from: number) => implFor(`cast.${name}`, [NUMBERS[from]!], from);
  it('rounds halves up and raises on overflow or NaN', () => {
    expect(cast('int', 3)(2.5)).toBe(3);
    expect(cast('int', 3)(-2.5)).toBe(-2);
    expect(cast('int', 1)(-2147483648n)).toBe(-2147483648);
    expect(errorCode(() => cast('int', 1)(2147483648n))).toBe(17020);
    expect(errorCode(() => cast('int', 3)(NaN))).toBe(17020);
    expect(errorCode(() => cast('int', 2)(Infinity))).toBe(17020);
    expect(cast('long', 3)(-0.5)).toBe(0n);
    expect(cast('int', 3)(-0.5)).toBe(0);
    expect(cast('int', 3)(2147483647.49)).toBe(2147483647);
    expect(errorCode(() => cast('int', 3)(2147483647.5))).toBe(17020);
    expect(cast('int', 3)(-2147483648.5)).toBe(-2147483648);
    expect(errorCode(() => cast('int', 3)(-2147483648.51))).toBe(17020);
    expect(cast('long', 0)(7)).toBe(7n);
    expect(errorCode(() => cast('long', 3)(2 ** 63))).toBe(17030);
  });
  it('casts a double to int as to long, then to int when it fits (the int cast rounds in doubles)', () => {
    let seed = 5;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 2000; i++) {
      const x = (next() - 0.5) * 2 ** Math.floor(next() * 40) + (next() < 0.3 ? 0.5 : 0);
      const long = cast('long', 3)(x) as bigint;
      if (long >= -2147483648n && long <= 2147483647n) expect(cast('int', 3)(x), String(x)).toBe(Number(long));
      else
        expect(
          errorCode(() => cast('int', 3)(x)),
          String(x),
        ).toBe(17020);
    }
  });

  it('rounds to float once, correctly', () => {
    expect(cast('float', 3)(0.1)).toBe(Math.fround(0.1));
    // 2^60 + 2^36 + 1 is just above a float tie: rounding through a double would land on the tie.
    expect(cast('float', 1)(2n ** 60n + 2n ** 36n + 1n)).toBe(2 ** 60 + 2 ** 37);
    expect(cast('float', 1)(-(2n ** 60n) - 2n ** 36n)).toBe(-(2 ** 60));
    expect(cast('double', 1)(2n ** 53n + 1n)).toBe(2 ** 53);
  });
});

describe('cast: fanouts', () => {
  const Color: EnumType = { kind: 'enum', name: 'Color', fullName: 'Color', symbols: ['r', 'g', 'b'] };
  it('one-hot encodes enums, dictionaries and integer ranges', () => {
    expect(implFor('cast.fanoutBoolean', [Color], 0)('g')).toEqual([false, true, false]);
    expect(implFor('cast.fanoutLong', [Color], 0)('b')).toEqual([0n, 0n, 1n]);
    const dict = implFor('cast.fanoutDouble', [T.string, T.array(T.string), T.boolean], 1);
    expect(dict('y', ['x', 'y'], false)).toEqual([0, 1]);
    expect(dict('z', ['x', 'y'], true)).toEqual([0, 0, 1]);
    expect(errorCode(() => dict('x', ['x', 'x'], false))).toBe(17100);
    const range = implFor('cast.fanoutInt', [T.int, T.int, T.int, T.boolean], 2);
    expect(range(3, 2, 5, true)).toEqual([0, 1, 0, 0]);
    expect(range(5, 2, 5, true)).toEqual([0, 0, 0, 1]);
    expect(range(0, 5, 2, true)).toEqual([1]);
  });
});

describe('cast: serialization', () => {
  const Point: RecordType = {
    kind: 'record',
    name: 'Point',
    fullName: 'Point',
    fields: [
      { name: 'x', type: T.long, hasDefault: false },
      { name: 'tag', type: T.union([T.null, T.string, T.bytes]), hasDefault: false },
      { name: 'extra', type: T.map(T.float), hasDefault: false },
    ],
  };
  it('writes Avro binary for any type, longs beyond 2^53 included', () => {
    expect(implFor('cast.avro', [T.long])(-(2n ** 63n))).toEqual(new Uint8Array([...Array(9).fill(0xff), 0x01]));
    const avro = implFor('cast.avro', [Point]);
    const out = avro({ x: 1n, tag: new Uint8Array([7]), extra: new Map([['a', 1]]) });
    expect(Array.from(out)).toEqual([0x02, 0x04, 0x02, 0x07, 0x02, 0x02, 0x61, 0x00, 0x00, 0x80, 0x3f, 0x00]);
    expect(Array.from(avro({ x: -1n, tag: null, extra: new Map() }))).toEqual([0x01, 0x00, 0x00]);
  });
  it('writes Avro JSON with tagged unions', () => {
    const json = implFor('cast.json', [Point]);
    expect(json({ x: 2n ** 60n, tag: 'hi', extra: new Map([['a', NaN]]) })).toBe(
      '{"x":1152921504606846976,"tag":{"string":"hi"},"extra":{"a":"NaN"}}',
    );
  });
});
