import { describe, expect, it } from 'vitest';
import { T } from '../../../src/avro/types.js';
import { errorCode, implFor } from './_direct-call.js';

describe('parse', () => {
  const int = implFor('parse.int', [T.string, T.int]);
  const long = implFor('parse.long', [T.string, T.int]);
  const float = implFor('parse.float', [T.string]);
  const double = implFor('parse.double', [T.string]);

  it('parses integers in bases 2-36, ignoring case and surrounding whitespace', () => {
    expect(int(' \t-FF\n', 16)).toBe(-255);
    expect(int('+z', 36)).toBe(35);
    expect(int('2147483647', 10)).toBe(2147483647);
    expect(long('-9223372036854775808', 10)).toBe(-(2n ** 63n));
  });

  it('rejects bad digits, overflow and bad bases', () => {
    expect(errorCode(() => int('2147483648', 10))).toBe(33000);
    expect(errorCode(() => int('12', 2))).toBe(33000);
    expect(errorCode(() => int('0x1f', 16))).toBe(33000);
    expect(errorCode(() => int('1 2', 10))).toBe(33000);
    expect(errorCode(() => int('', 10))).toBe(33000);
    expect(errorCode(() => int('1', 37))).toBe(33001);
    expect(errorCode(() => long('9223372036854775808', 10))).toBe(33010);
    expect(errorCode(() => long('1', 1))).toBe(33011);
  });

  it('parses floating-point syntax, infinities and NaN', () => {
    expect(double(' .5 ')).toBe(0.5);
    expect(double('5.')).toBe(5);
    expect(double('-1.5E-3')).toBe(-0.0015);
    expect(double('+INF')).toBe(Infinity);
    expect(double('NaN')).toBeNaN();
    expect(float('0.1')).toBe(Math.fround(0.1));
    expect(float('1e39')).toBe(Infinity);
    expect(float('-1e39')).toBe(-Infinity);
    expect(float('1e-50')).toBe(0);
    expect(double('1E3')).toBe(1000);
    expect(double('\t-0 ')).toBe(-0);
    // Names of an object's inherited members are no numbers either.
    for (const bad of ['', '.', 'e5', '1e', '0x10', 'Infinity', '1_0', '3.14e12e13', 'constructor', ' __proto__', 'toString']) {
      expect(errorCode(() => double(bad))).toBe(33030);
      expect(errorCode(() => float(bad))).toBe(33020);
    }
  });
});
