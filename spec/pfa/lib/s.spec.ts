import { describe, expect, it } from 'vitest';
import type { AvroType } from '../../../src/avro/types.js';
import { T } from '../../../src/avro/types.js';
import { errorCode, implFor } from './_direct-call.js';

const s = (name: string, params: AvroType[] = [T.string, T.string], sigIndex = 0) => implFor(`s.${name}`, params, sigIndex);

describe('s: code points and Python slices', () => {
  it('counts and slices code points, not UTF-16 units', () => {
    expect(s('len', [T.string])('a😀b')).toBe(3);
    expect(s('substr', [T.string, T.int, T.int])('a😀bc', 1, 3)).toBe('😀b');
    expect(s('substr', [T.string, T.int, T.int])('hello', -3, -1)).toBe('ll');
    expect(s('substr', [T.string, T.int, T.int])('hello', 4, 2)).toBe('');
    expect(s('substrto', [T.string, T.int, T.int, T.string])('hello', 1, 3, 'XY')).toBe('hXYlo');
    expect(s('substrto', [T.string, T.int, T.int, T.string])('hello', 3, 1, '-')).toBe('hel-lo');
    expect(s('index')('😀ab😀ab', 'ab')).toBe(1);
    expect(s('rindex')('😀ab😀ab', 'ab')).toBe(4);
    expect(s('index')('abc', 'z')).toBe(-1);
    expect(s('rindex')('abc', '')).toBe(3);
  });

  it('searches like Python str methods', () => {
    expect(s('count')('aaaa', 'aa')).toBe(2);
    expect(s('count')('abc', '')).toBe(0);
    expect(s('split')('a,b,,c,', ',')).toEqual(['a', 'b', '', 'c', '']);
    expect(s('split')('abc', '')).toEqual([]);
    expect(s('join', [T.array(T.string), T.string])(['a', 'b'], '-')).toBe('a-b');
    expect(s('repeat', [T.string, T.int])('ab', -2)).toBe('');
  });

  it('strips, replaces and translates', () => {
    expect(s('strip')('xxhixyx', 'xy')).toBe('hi');
    expect(s('lstrip')('😀😀a😀', '😀')).toBe('a😀');
    expect(s('rstrip')('  a  ', '')).toBe('  a  ');
    // Characters without surrogates strip code units; a surrogate of the string stops the strip.
    expect(s('lstrip')('😀 a', ' ')).toBe('😀 a');
    expect(s('rstrip')('a\ud83d\ude00', '\ude00')).toBe('a\ud83d\ude00');
    expect(s('strip')('\ud83d\ude00xy😀', 'y😀x')).toBe('');
    expect(s('strip')('  ab  ', ' ')).toBe('ab');
    const three = [T.string, T.string, T.string];
    expect(s('replaceall', three)('a.b.c', '.', '$&')).toBe('a$&b$&c');
    expect(s('replaceall', three)('ab', '', '-')).toBe('-a-b-');
    expect(s('replacefirst', three)('ab', '', '-')).toBe('-ab');
    expect(s('replacelast', three)('ab', '', '-')).toBe('ab-');
    expect(s('replacelast', three)('aaa', 'aa', 'X')).toBe('aX');
    expect(s('translate', three)('hello', 'lo', 'L')).toBe('heLL');
  });
});

describe('s.int, s.hex and s.number', () => {
  const padded = [T.long, T.int, T.boolean];
  it('formats integers with Python widths', () => {
    expect(s('int', padded, 1)(-42n, 6, true)).toBe('-00042');
    expect(s('int', padded, 1)(42n, -5, false)).toBe('42   ');
    expect(s('int', padded, 1)(42n, 0, false)).toBe('');
    expect(errorCode(() => s('int', padded, 1)(1n, -3, true))).toBe(39240);
    expect(s('hex', [T.long])(255n)).toBe('ff');
    expect(s('hex', padded, 1)(255n, 4, true)).toBe('00ff');
    expect(errorCode(() => s('hex', [T.long])(-1n))).toBe(39111);
    expect(errorCode(() => s('hex', padded, 1)(1n, -2, true))).toBe(39110);
    expect(errorCode(() => s('number', padded, 1)(1n, -2, true))).toBe(39120);
  });

  it('formats doubles as the reference engine', () => {
    const num = s('number', [T.double, T.union([T.int, T.null]), T.union([T.int, T.null])], 2);
    expect(num(3.5, null, null)).toBe('3.5');
    expect(num(-0, null, null)).toBe('0.0');
    expect(num(2.5, null, 0)).toBe('2'); // ties to even
    expect(num(123456789, null, 2)).toBe('1.23e+08');
    expect(num(0.00001, 11, 3)).toBe('  1.000e-05');
    expect(num(1e22, null, 1)).toBe('1.0e+22');
    expect(num(NaN, 5, null)).toBe('  nan');
    expect(num(0.5, 0, null)).toBe('');
    expect(num(0.5, -6, null)).toBe('0.5   ');
    expect(errorCode(() => num(1, null, -1))).toBe(39121);
    const withRange = s('number', [T.double, T.union([T.int, T.null]), T.union([T.int, T.null]), T.double, T.double], 3);
    expect(withRange(1e22, null, 1, 0, 1e30)).toBe('10000000000000000000000.0');
  });
});
