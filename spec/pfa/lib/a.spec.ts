/** The `a` namespace through whole PFA documents: signature choice, functional arguments, encodings. */
import { describe, expect, it } from 'vitest';
import { loadPfa, PfaRuntimeError } from '../../../src/index.js';

/** Scores JSON input with a one-expression document taking a record `Input` of the given fields. */
function scorer(fields: Record<string, unknown>, output: unknown, action: unknown): (input: unknown) => unknown {
  const input = { type: 'record', name: 'Input', fields: Object.entries(fields).map(([name, type]) => ({ name, type })) };
  const engine = loadPfa({ input, output, action }, { randseed: 7 });
  return (x) => engine.toJson(engine.action(engine.fromJson(x)));
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e instanceof PfaRuntimeError ? e.code : String(e);
  }
  return 'no error';
}

const ints = { type: 'array', items: 'int' };
const strings = { type: 'array', items: 'string' };

describe('a.* in documents', () => {
  it('picks the signature from the needle type', () => {
    const item = scorer({ h: ints, n: 'int' }, 'boolean', { 'a.contains': ['input.h', 'input.n'] });
    expect(item({ h: [1, 2, 3], n: 2 })).toBe(true);
    // An array needle in an array of arrays fits the subsequence signature (A widens to a union).
    const nested = scorer({ h: { type: 'array', items: strings }, n: strings }, 'boolean', { 'a.contains': ['input.h', 'input.n'] });
    expect(nested({ h: [['a'], ['b', 'c']], n: ['b', 'c'] })).toBe(false);
    expect(nested({ h: [['a'], ['b', 'c']], n: [] })).toBe(true);
    const subseq = scorer({ h: ints, n: ints }, 'int', { 'a.index': ['input.h', 'input.n'] });
    expect(subseq({ h: [1, 2, 3, 2, 3], n: [2, 3] })).toBe(1);
    const predicate = scorer({ h: ints }, 'int', {
      'a.rindex': ['input.h', { params: [{ x: 'int' }], ret: 'boolean', do: { '<': ['x', 3] } }],
    });
    expect(predicate({ h: [1, 5, 2, 7] })).toBe(2);
  });

  it('sorts with a user ordering and finds extremes with it', () => {
    const byLength = { params: [{ x: 'string' }, { y: 'string' }], ret: 'boolean', do: { '<': [{ 's.len': 'x' }, { 's.len': 'y' }] } };
    const sort = scorer({ a: strings }, strings, { 'a.sortLT': ['input.a', byLength] });
    expect(sort({ a: ['ccc', 'b', 'dd', 'a'] })).toEqual(['b', 'a', 'dd', 'ccc']);
    const argmaxN = scorer({ a: strings }, ints, { 'a.argmaxNLT': ['input.a', 2, byLength] });
    expect(argmaxN({ a: ['ccc', 'b', 'ddd', 'a'] })).toEqual([0, 2]);
  });

  it('zips three arrays and filters mapped unions', () => {
    const zip = scorer({ a: ints, b: ints, c: ints }, ints, {
      'a.zipmap': [
        'input.a',
        'input.b',
        'input.c',
        { params: [{ x: 'int' }, { y: 'int' }, { z: 'int' }], ret: 'int', do: { '+': [{ '+': ['x', 'y'] }, 'z'] } },
      ],
    });
    expect(zip({ a: [1, 2], b: [10, 20], c: [100, 200] })).toEqual([111, 222]);
    expect(errorOf(() => zip({ a: [1], b: [1, 2], c: [1] }))).toBe(15650);
    const evens = scorer({ a: ints }, strings, {
      'a.filterMap': [
        'input.a',
        {
          params: [{ x: 'int' }],
          ret: ['null', 'string'],
          do: { if: { '==': [{ '%': ['x', 2] }, 0] }, then: { 's.int': 'x' }, else: null },
        },
      ],
    });
    expect(evens({ a: [1, 2, 3, 4] })).toEqual(['2', '4']);
  });

  it('groups into a map and keeps numeric results in their type', () => {
    const group = scorer(
      { a: strings },
      { type: 'map', values: strings },
      {
        'a.groupby': ['input.a', { params: [{ x: 'string' }], ret: 'string', do: { 's.substr': ['x', 0, 1] } }],
      },
    );
    expect(group({ a: ['apple', 'bean', 'avocado'] })).toEqual({ a: ['apple', 'avocado'], b: ['bean'] });
    const sum = scorer({ a: { type: 'array', items: 'long' } }, 'long', { 'a.sum': ['input.a'] });
    expect(sum({ a: [1, 2, 3] })).toBe(6);
    expect(errorOf(() => sum({ a: [4611686018427387904, 4611686018427387904] }))).toBe(15401);
    const median = scorer({ a: { type: 'array', items: 'float' } }, 'float', { 'a.median': ['input.a'] });
    expect(median({ a: [1, 4, 2, 3] })).toBe(2.5);
  });

  it('shuffles with the engine’s generator', () => {
    const shuffle = scorer({ a: ints }, ints, { 'a.shuffle': ['input.a'] });
    const out = shuffle({ a: [1, 2, 3, 4, 5, 6] }) as number[];
    expect(out.slice().sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
