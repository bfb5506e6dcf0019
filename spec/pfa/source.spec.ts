import { describe, expect, it } from 'vitest';
import { PfaSyntaxError } from '../../src/errors.js';
import { DEFAULT_DOCUMENT_LIMITS, measureDocument, parseSource } from '../../src/pfa/source.js';

function thrown(f: () => unknown): PfaSyntaxError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PfaSyntaxError);
    return e as PfaSyntaxError;
  }
  throw new Error('expected an error');
}

const nested = (depth: number, inner = '0'): string => '['.repeat(depth) + inner + ']'.repeat(depth);

describe('parseSource: JSON limits', () => {
  const max = DEFAULT_DOCUMENT_LIMITS.maxDepth;

  it('accepts JSON nested exactly to the depth limit and refuses one level more, at the bracket', () => {
    expect(() => parseSource(nested(max))).not.toThrow();
    const e = thrown(() => parseSource(nested(max + 1)));
    expect(e.code).toBe('too-deep');
    expect(e.location).toEqual({ line: 1, column: max + 1 });
  });

  it('refuses deep documents with exact 64-bit literals before the recursive parser runs', () => {
    const e = thrown(() => parseSource(`{"a":\n${nested(100_000, '12345678901234567890')}}`));
    expect(e.code).toBe('too-deep');
    expect(e.location?.line).toBe(2);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = `{"s": "${'['.repeat(max + 5)}", "t": "\\"${'{'.repeat(max + 5)}\\\\", "u": [${'"]"'}]}`;
    const doc = parseSource(text) as Record<string, unknown>;
    expect((doc.s as string).length).toBe(max + 5);
    expect(doc.u).toEqual([']']);
  });

  it('takes limits as options; a limit given as undefined keeps its default', () => {
    expect(thrown(() => parseSource(nested(max + 1), { maxDepth: undefined })).code).toBe('too-deep');
    expect(() => parseSource(nested(max + 1), { maxDepth: Infinity })).not.toThrow();
    expect(thrown(() => parseSource(nested(11), { maxDepth: 10 })).code).toBe('too-deep');
    expect(thrown(() => parseSource('[1, 2, 3]', { maxNodes: 3 })).code).toBe('too-large');
    expect(parseSource('[1, 2]', { maxNodes: 3 })).toEqual([1, 2]);
    const big = thrown(() => parseSource('{"a": "0123456789"}', { maxBytes: 10 }));
    expect(big.code).toBe('too-large');
    expect(big.location).toEqual({ line: 1, column: 11 });
  });

  it('refuses duplicate keys in an object with the line and column of the second', () => {
    const e = thrown(() => parseSource('{"a": 1,\n "b": {"a": 2},\n "\\u0061": 3}'));
    expect(e.code).toBe('duplicate-key');
    expect(e.location).toEqual({ line: 3, column: 2 });
    expect(thrown(() => parseSource('{"k": {"x": 1, "y": 2, "x": 3}}')).code).toBe('duplicate-key');
    // The same key in sibling or nested objects is not a duplicate.
    expect(parseSource('{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]}')).toEqual({ a: { a: { a: 1 } }, b: [{ a: 1 }, { a: 2 }] });
  });

  it('still reports malformed JSON as a syntax error with a position', () => {
    const e = thrown(() => parseSource('{"a": [1, 2}'));
    expect(e.code).toBe('json-syntax');
    expect(e.location?.line).toBe(1);
  });
});

describe('parseSource: YAML limits', () => {
  it('refuses deep flow and block nesting while the syntax tree is built', () => {
    for (const text of [`a: ${'['.repeat(200_000)}`, `${'- '.repeat(100_000)}x`]) {
      const e = thrown(() => parseSource(text));
      expect(e.code).toBe('too-deep');
      expect(e.location?.line).toBe(1);
    }
  });

  it('refuses an alias bomb as too large, at an alias', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const e = thrown(() => parseSource(lines.join('\n')));
    expect(e.code).toBe('too-large');
    expect(e.location?.line).toBe(2);
  });

  it('refuses a self-referencing alias at the depth limit, with a pointer', () => {
    const e = thrown(() => parseSource('a: &x [1, *x]'));
    expect(e.code).toBe('too-deep');
    expect(e.location?.pointer?.startsWith('/a/1/1/1')).toBe(true);
  });

  it('keeps ordinary aliases, and reports duplicate keys and extra documents', () => {
    expect(parseSource('a: &v [1, 2]\nb: *v\n')).toEqual({ a: [1, 2], b: [1, 2] });
    expect(thrown(() => parseSource('a: 1\na: 2\n')).code).toBe('yaml-syntax');
    expect(thrown(() => parseSource('a: 1\n---\nb: 2\n')).location).toEqual({ line: 2, column: 1 });
  });
});

describe('measureDocument', () => {
  it('measures a parsed value iteratively and points at where a limit was passed', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = { k: [deep] };
    const e = thrown(() => measureDocument(deep));
    expect(e.code).toBe('too-deep');
    expect(e.location?.pointer?.split('/').length).toBe(DEFAULT_DOCUMENT_LIMITS.maxDepth + 1);
    expect(thrown(() => measureDocument({ a: [1, 2, { 'b/c': [3] }] }, { maxNodes: 6 })).location).toEqual({ pointer: '/a/2/b~1c/0' });
  });

  it('ends on a cycle at the depth limit', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = [cyclic];
    expect(thrown(() => measureDocument(cyclic)).code).toBe('too-deep');
  });

  it('does not walk a value when neither limit is finite (nothing could fail)', () => {
    // A walk of a cycle without a depth limit would never end: returning shows nothing was walked.
    const cyclic: { self?: unknown } = {};
    cyclic.self = [cyclic];
    expect(() => measureDocument(cyclic, { maxDepth: Infinity, maxNodes: Infinity })).not.toThrow();
    expect(thrown(() => measureDocument({ a: [1, 2, 3] }, { maxDepth: Infinity, maxNodes: 3 })).code).toBe('too-large');
    expect(thrown(() => measureDocument({ a: [[[1]]] }, { maxDepth: 2, maxNodes: Infinity })).code).toBe('too-deep');
  });
});
