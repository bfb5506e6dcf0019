/**
 * Hostile documents: nesting and size that would overflow the stack or the heap of the recursive
 * parts of the pipeline are refused with a coded, located error, and a document exactly at the
 * depth limit goes through the whole pipeline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { loadPfa, TrajanError } from '../../src/index.js';
import { parsePfaDocument } from '../../src/pfa/parse.js';
import { DEFAULT_DOCUMENT_LIMITS, parseSource } from '../../src/pfa/source.js';

const MAX = DEFAULT_DOCUMENT_LIMITS.maxDepth;

/** Nesting depth of JSON text (containers open at once), counted outside strings. */
function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  return max;
}

function failure(f: () => unknown): TrajanError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TrajanError);
    return e as TrajanError;
  }
  throw new Error('expected an error');
}

/** Wraps `inner` in `levels` layers of `wrap` and returns the document text. */
function build(levels: number, seed: unknown, wrap: (x: unknown) => unknown, doc: (x: unknown) => object): string {
  let x = seed;
  for (let i = 0; i < levels; i++) x = wrap(x);
  return JSON.stringify(doc(x));
}

/** The deepest document not past `depth`, found by adding one layer at a time, and the one after it. */
function atDepth(depth: number, seed: unknown, wrap: (x: unknown) => unknown, doc: (x: unknown) => object): { text: string; next: string } {
  let levels = 0;
  let text = build(0, seed, wrap, doc);
  for (;;) {
    const next = build(levels + 1, seed, wrap, doc);
    if (depthOf(next) > depth) return { text, next };
    text = next;
    levels++;
  }
}

const arrayType = (t: unknown): unknown => ({ type: 'array', items: t });

const cases: [string, unknown, (x: unknown) => unknown, (x: unknown) => object][] = [
  ['if', ['s'], (x) => ({ if: true, then: [x], else: [['t']] }), (x) => ({ input: 'null', output: 'string', action: x })],
  ['do', ['s'], (x) => ({ do: [x] }), (x) => ({ input: 'null', output: 'string', action: x })],
  ['types', 'int', arrayType, (x) => ({ input: x, output: 'int', action: 1 })],
  [
    'cell init',
    7,
    (x) => [x],
    (x) => {
      let t: unknown = 'int';
      for (let v = x; Array.isArray(v); v = v[0]) t = arrayType(t);
      return { input: 'null', output: 'int', cells: { c: { type: t, init: x } }, action: 1 };
    },
  ],
];

describe('documents at and past the depth limit', () => {
  for (const [name, seed, wrap, doc] of cases) {
    it(`${name}: loads at depth ${MAX}; one layer more is refused at the bracket past the limit`, () => {
      const { text, next } = atDepth(MAX, seed, wrap, doc);
      expect(depthOf(text)).toBe(MAX);
      expect(() => loadPfa(text)).not.toThrow();
      const e = failure(() => loadPfa(next));
      expect(e.code).toBe('too-deep');
      // JSON.stringify writes one line: the column is the offset of the first bracket past the limit.
      let depth = 0;
      let column = 0;
      for (let i = 0; i < next.length && !column; i++) {
        if (next[i] === '"') i = next.indexOf('"', i + 1);
        else if (next[i] === '[' || next[i] === '{') {
          if (++depth > MAX) column = i + 1;
        } else if (next[i] === ']' || next[i] === '}') depth--;
      }
      expect(e.location).toEqual({ line: 1, column });
    });
  }

  it('refuses documents nested a million deep in bounded time, with a location', () => {
    for (const text of [
      '['.repeat(1_000_000),
      `{"input": "int", "output": "int", "action": ${'{"do": ['.repeat(500_000)}1`,
      `input: int\noutput: int\naction: ${'['.repeat(1_000_000)}`,
    ]) {
      const e = failure(() => loadPfa(text));
      expect(e.code).toBe('too-deep');
      expect(e.location?.line).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses duplicate keys in JSON text', () => {
    const e = failure(() => loadPfa('{"input": "int", "output": "int",\n "action": 1, "action": 2}'));
    expect(e.code).toBe('duplicate-key');
    expect(e.location).toEqual({ line: 2, column: 15 });
  });
});

describe('fuzzing the source parser and the document parser (fixed seed)', () => {
  const VALID = JSON.stringify({
    input: {
      type: 'record',
      name: 'In',
      fields: [
        { name: 'x', type: 'double' },
        { name: 'tags', type: { type: 'array', items: 'string' } },
      ],
    },
    output: ['null', 'double'],
    cells: { total: { type: 'long', init: 3 } },
    action: [{ let: { y: { '*': ['input.x', 2] } } }, { if: { '>': ['y', 1] }, then: { '+': ['y', 0.5] }, else: null }],
  });

  /** Runs the two parsers; anything thrown must be a TrajanError with a string code. */
  function outcome(text: string): void {
    try {
      parsePfaDocument(parseSource(text));
    } catch (e) {
      if (!(e instanceof TrajanError) || typeof e.code !== 'string')
        throw new Error(`not a coded TrajanError for ${JSON.stringify(text.slice(0, 200))}: ${String(e)}`);
    }
  }

  it('random JSON texts', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), (text) => outcome(text)),
      { seed: 4242, numRuns: 400 },
    );
  });

  it('random YAML texts and raw strings', () => {
    const yamlText = fc.jsonValue({ maxDepth: 5 }).map((v) => stringifyYaml(v));
    fc.assert(
      fc.property(fc.oneof(yamlText, fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 })), (text) => outcome(text)),
      {
        seed: 4243,
        numRuns: 400,
      },
    );
  });

  it('mutations of a valid document', () => {
    expect(() => outcome(VALID)).not.toThrow();
    const alphabet = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"',
      ',',
      ':',
      '0',
      '-',
      'e',
      '1.5',
      'null',
      'true',
      '\\',
      ' ',
      '\n',
      'a',
      '9999999999999999999999',
      '"x"',
      '{"do": [',
    );
    const edit = fc.tuple(fc.nat(), fc.nat({ max: 4 }), alphabet, fc.constantFrom('insert', 'delete', 'replace'));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        let text = VALID;
        for (const [at, len, piece, how] of edits) {
          const i = at % (text.length + 1);
          if (how === 'insert') text = text.slice(0, i) + piece + text.slice(i);
          else if (how === 'delete') text = text.slice(0, i) + text.slice(i + len);
          else text = text.slice(0, i) + piece + text.slice(i + len);
        }
        outcome(text);
      }),
      { seed: 4244, numRuns: 1500 },
    );
  });

  it('structural mutations of the parsed document', () => {
    const base = JSON.parse(VALID) as Record<string, unknown>;
    const replacement = fc.jsonValue({ maxDepth: 3 });
    const keys = Object.keys(base);
    fc.assert(
      fc.property(fc.constantFrom(...keys), replacement, fc.boolean(), (key, value, asYaml) => {
        const doc = { ...base, [key]: value };
        outcome(asYaml ? stringifyYaml(doc) : JSON.stringify(doc));
      }),
      { seed: 4245, numRuns: 600 },
    );
  });
});
