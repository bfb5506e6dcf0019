/**
 * The flat layout keeps numeric leaves in its typed array and only the others beside it: a forest
 * whose leaves mix numbers (including -0 and NaN) with other values scores as the plain closure
 * does, every leaf read back as it was.
 */
import { describe, expect, it } from 'vitest';
import type { CompareBranch, CompareForest, CompareSplit } from '../../../src/pfa/kernel/ir.js';
import { lowerTreeClosure } from '../../../src/pfa/kernel/lower-tree-closure.js';
import { lowerTreeFlat } from '../../../src/pfa/kernel/lower-tree-flat.js';

const split = (field: string, value: number, pass: CompareBranch, fail: CompareBranch): CompareSplit => ({
  field,
  test: { kind: 'compare', op: '<', value },
  pass,
  fail,
});

describe('lowerTreeFlat', () => {
  it('gives back numeric and other leaves of one forest as the closure does', () => {
    const trees = [
      split('x', 0.5, { leaf: 1.5 }, split('y', 2, { leaf: 'low' }, { leaf: -0 })),
      split('y', 1, { leaf: Number.NaN }, { leaf: null }),
      split('x', 0.25, { leaf: { k: 1 } }, { leaf: 7 }),
    ];
    const program: CompareForest = { kind: 'compare', trees, reduce: 'array', convert: undefined };
    const flat = lowerTreeFlat(program);
    const plain = lowerTreeClosure(program);
    const seen = new Set<string>();
    for (const x of [0, 0.3, 0.6, 1])
      for (const y of [0, 1.5, 3]) {
        const datum = { x, y };
        const got = flat(datum) as unknown[];
        expect(got).toEqual(plain(datum));
        got.forEach((v, i) => {
          expect(Object.is(v, (plain(datum) as unknown[])[i])).toBe(true);
          seen.add(String(Object.is(v, -0) ? '-0' : typeof v === 'object' ? JSON.stringify(v) : v));
        });
      }
    // Every leaf was reached, so each kind was read back.
    expect([...seen].sort()).toEqual(['-0', '1.5', '7', 'NaN', 'low', 'null', '{"k":1}'].sort());
  });
});
