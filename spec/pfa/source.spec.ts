import { describe, expect, it } from 'vitest';
import { PfaSyntaxError } from '../../src/errors.js';
import { loadPfa } from '../../src/index.js';
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

describe('documents of the loader its own: cell and pool values read in place', () => {
  const node = {
    type: 'record',
    name: 'N',
    fields: [
      { name: 'field', type: { type: 'enum', name: 'F', symbols: ['x'] } },
      { name: 'operator', type: 'string' },
      { name: 'value', type: 'double' },
      { name: 'pass', type: ['double', 'N'] },
      { name: 'fail', type: ['double', 'N'] },
    ],
  };
  const tree = {
    field: 'x',
    operator: '<',
    value: 1,
    pass: { double: -1 },
    fail: { N: { field: 'x', operator: '<', value: 2, pass: { double: 0 }, fail: { double: 1 } } },
  };
  const doc = {
    input: { type: 'record', name: 'D', fields: [{ name: 'x', type: 'double' }] },
    output: 'double',
    cells: { tree: { type: node, init: tree }, copy: { type: 'N', init: tree } },
    pools: { p: { type: 'N', init: { a: tree } } },
    action: [{ 'model.tree.simpleTree': ['input', { cell: 'tree' }] }],
  };
  const answers = (engine: ReturnType<typeof loadPfa>) => [0, 1.5, 3].map((x) => engine.action({ x }));

  it('leaves a document given as a value as it was, and loads it again the same', () => {
    const given = structuredClone(doc);
    const first = loadPfa(given);
    expect(given).toEqual(doc);
    expect(answers(loadPfa(given))).toEqual(answers(first));
    expect(answers(first)).toEqual([-1, 0, 1]);
  });

  it('reads text as the value it holds, cells, pools and answers, in both backends', () => {
    for (const backend of ['specialized', 'closures'] as const) {
      const fromText = loadPfa(JSON.stringify(doc), { backend });
      const fromValue = loadPfa(structuredClone(doc), { backend });
      expect(answers(fromText)).toEqual(answers(fromValue));
      expect(fromText.snapshot()).toEqual(fromValue.snapshot());
    }
  });

  it('reads YAML whose aliases put one node in several values, each as its own', () => {
    const yaml = `input: {type: record, name: D, fields: [{name: x, type: double}]}
output: double
cells:
  tree: {type: ${JSON.stringify(node)}, init: &t ${JSON.stringify(tree)}}
  copy: {type: N, init: *t}
action: [{model.tree.simpleTree: [input, {cell: copy}]}]
`;
    const engine = loadPfa(yaml);
    expect(answers(engine)).toEqual([-1, 0, 1]);
    expect(engine.snapshot()).toMatchObject({ cells: { tree: tree, copy: tree } });
  });
});
