/**
 * Duplicate keys, which JSON.parse would silently resolve to the last, are found by the scan of
 * the text: in short and long objects (a list, then a set, of the keys), whatever way a key is
 * spelled.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PfaSyntaxError } from '../../src/errors.js';
import { parseSource } from '../../src/pfa/source.js';

function duplicate(text: string): string | undefined {
  try {
    parseSource(text);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(PfaSyntaxError);
    expect((e as PfaSyntaxError).code).toBe('duplicate-key');
    return (e as PfaSyntaxError).message;
  }
}

const many = (n: number) => Array.from({ length: n }, (_, i) => `"k${i}": ${i}`).join(', ');

describe('parseSource: duplicate keys', () => {
  it('finds them in short and long objects, the escaped spelling of a key included', () => {
    expect(duplicate('{"a": 1, "b": 2, "a": 3}')).toMatch(/duplicate key "a"/);
    expect(duplicate('{"ab": 1, "ba": 2, "abc": 3}')).toBeUndefined();
    expect(duplicate('{"a": 1, "\\u0061": 2}')).toMatch(/duplicate key "a"/);
    expect(duplicate('{"\\u0061": 1, "a": 2}')).toMatch(/duplicate key "a"/);
    for (const n of [15, 16, 17, 40]) {
      expect(duplicate(`{${many(n)}}`)).toBeUndefined();
      expect(duplicate(`{${many(n)}, "k0": 0}`)).toMatch(/duplicate key "k0"/);
      expect(duplicate(`{${many(n)}, "k${n - 1}": 0}`)).toMatch(new RegExp(`duplicate key "k${n - 1}"`));
      expect(duplicate(`{"\\u006b0": 0, ${many(n)}}`)).toMatch(/duplicate key "k0"/);
    }
  });

  it('keeps the keys of each object apart, nested and side by side', () => {
    expect(duplicate('{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2, "b": 3}]}')).toBeUndefined();
    expect(duplicate(`[{${many(20)}}, {${many(3)}}, {"a": 1}]`)).toBeUndefined();
    expect(duplicate('[{"x": 1, "y": 2}, {"y": 1, "x": {"x": 1, "x": 2}}]')).toMatch(/duplicate key "x"/);
    expect(duplicate('{"s": "\\"a\\": 1, \\"a\\": 2"}')).toBeUndefined();
  });
});

describe('parseSource: duplicate keys, generated', () => {
  // A key spelled plainly or with escapes: the scan compares plain spellings as text and the rest decoded.
  const spellings = (key: string): string[] => [
    JSON.stringify(key),
    `"${[...key].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`,
  ];
  const object = fc.array(
    fc.record({ key: fc.constantFrom('a', 'b', 'ab', 'ba', 'k1', 'k10', '', '"', '\\'), escaped: fc.boolean(), nested: fc.boolean() }),
    { maxLength: 40 },
  );

  it('reports the first key an object repeats, however its keys are spelled, and only within one object', () => {
    fc.assert(
      fc.property(object, (members) => {
        const seen = new Set<string>();
        let first: string | undefined;
        for (const m of members) {
          if (first === undefined && seen.has(m.key)) first = m.key;
          seen.add(m.key);
        }
        // Each nested value repeats the outer object's keys in an object of its own, where they are no duplicates.
        const inner = (m: { key: string }) => `{${spellings(m.key)[0]}: 1, "x": [1, {"y": 2}]}`;
        const text = `{${members.map((m) => `${spellings(m.key)[m.escaped ? 1 : 0]}: ${m.nested ? inner(m) : '0'}`).join(', ')}}`;
        expect(duplicate(text)).toBe(first === undefined ? undefined : `malformed JSON: duplicate key ${JSON.stringify(first)}`);
      }),
      { numRuns: 300 },
    );
  });
});
