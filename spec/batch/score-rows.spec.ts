/**
 * A row's result is walked for its depth only when its type lets it nest without bound: a
 * recursive output type can build a result deep enough to break the writers, and such a row is
 * rejected as too-deep; any other type bounds the depth and its results are not walked.
 */
import { describe, expect, it } from 'vitest';
import { T, type RecordType } from '../../src/avro/types.js';
import { deepestNesting, rowScorer } from '../../src/batch/score-rows.js';
import { loadModel } from '../../src/index.js';
import { MAX_NESTING } from '../../src/io/input-error.js';

/** A linked list `input` links long. */
const LIST = JSON.stringify({
  input: 'int',
  output: { type: 'record', name: 'L', fields: [{ name: 'next', type: ['null', 'L'] }] },
  action: [
    { let: { l: { type: 'L', new: { next: null } } } },
    {
      for: { i: 0 },
      while: { '<': ['i', 'input'] },
      step: { i: { '+': ['i', 1] } },
      do: [{ set: { l: { type: 'L', new: { next: 'l' } } } }],
    },
    'l',
  ],
});

describe('rowScorer and the depth of results', () => {
  it('bounds the nesting of a type, a union branch one level more, a recursive type not at all', () => {
    expect(deepestNesting(T.double)).toBe(0);
    expect(deepestNesting(T.array(T.map(T.string)))).toBe(2);
    expect(deepestNesting({ kind: 'union', types: [T.null, T.array(T.int)] })).toBe(2);
    const rec: RecordType = {
      kind: 'record',
      name: 'R',
      fullName: 'R',
      fields: [{ name: 'a', type: T.array(T.double), hasDefault: false }],
    };
    expect(deepestNesting(rec)).toBe(2);
    expect(deepestNesting(loadModel(LIST).wire.output)).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a result of a recursive type that nests too deep, and keeps a shallow one', () => {
    const score = rowScorer(loadModel(LIST));
    expect(score(3)).toMatchObject({ ok: true });
    // Two levels a link in Avro's JSON encoding (the record and its union branch): past the bound.
    expect(score(MAX_NESTING / 2 - 1)).toMatchObject({ ok: true });
    expect(score(MAX_NESTING / 2)).toMatchObject({ ok: false, code: 'too-deep' });
  });
});
