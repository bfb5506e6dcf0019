/**
 * JSON text is read by the native JSON.parse unless it may hold a number that needs the exact
 * parser (an integer beyond a double's 53 bits, or an integral number written as a double, which
 * PFA types as double). The prefilter deciding that must never miss such a number: each document
 * here is read both ways, the second forced onto the exact parser by a string that looks like an
 * integral double, and both must give the same values and the same written-as-double pointers.
 */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/pfa/source.js';

function read(text: string): { value: unknown; doubles: string[] } {
  const doubles = new Set<string>();
  const value = parseSource(text, undefined, doubles);
  return { value, doubles: [...doubles].sort() };
}

/** The same document with a member that needs the exact parser. */
const forcedExact = (text: string): string => text.replace(/^\{/, '{"pad": 1.0, ');

const TOKENS = [
  '0.10000000149011612',
  '-0.30000001192092896',
  '1.5e-7',
  '1.5E+1',
  '-2.5e3',
  '1e3',
  '1E-0',
  '1.0',
  '2.00',
  '10.000',
  '0.5',
  '1.05',
  '3',
  '-0',
  '12345678901234567890',
  '-9007199254740993',
  '9007199254740993.5',
  '1234567890123456.0',
  '0.1234567890123456789',
];

describe('parseSource: the native and the exact JSON reader agree', () => {
  it('on every number alone, in an array and deep in an object', () => {
    for (const token of TOKENS) {
      for (const text of [`{"x": ${token}}`, `{"x": [1, ${token}, "s"]}`, `{"a": {"b": [{"c": ${token}}]}}`]) {
        const fast = read(text);
        const exact = read(forcedExact(text));
        const { pad, ...rest } = exact.value as Record<string, unknown>;
        expect(pad).toBe(1);
        expect(exact.doubles).toContain('/pad');
        expect(fast.value).toEqual(rest);
        expect(fast.doubles).toEqual(exact.doubles.filter((p) => p !== '/pad'));
      }
    }
  });

  it('takes nothing in strings for a number', () => {
    expect(read('{"a": "1.0", "b": "1e3", "12345678901234567890": 0.5}').doubles).toEqual([]);
  });

  it('marks integral numbers written as doubles, and keeps long integers exact', () => {
    const { value, doubles } = read('{"xs": [1e3, 1.5e-7, -2.5e3, 1.0, 0.5, 3, 0.10000000149011612], "big": 12345678901234567890}');
    expect(doubles).toEqual(['/xs/0', '/xs/2', '/xs/3']);
    expect((value as { big: unknown }).big).toBe(12345678901234567890n);
    expect((value as { xs: unknown[] }).xs).toEqual([1000, 1.5e-7, -2500, 1, 0.5, 3, 0.10000000149011612]);
  });
});
