import { describe, expect, it } from 'vitest';
import { T, type AvroType } from '../../../../src/avro/types.js';
import { implFor } from '../_direct-call.js';

// Both a hashed (int, double) and a scanned (array<string>, union) item type.
const call = (name: string, items: AvroType, ...args: unknown[]) => implFor(name, [T.array(items), T.array(items)])(...args);
const strs = T.array(T.string);

describe('a.* set functions', () => {
  it('distinct and union keep first occurrences in order', () => {
    expect(call('a.distinct', T.int, [3, 1, 3, 2, 1])).toEqual([3, 1, 2]);
    expect(call('a.distinct', strs, [['a'], ['b'], ['a']])).toEqual([['a'], ['b']]);
    expect(call('a.union', T.int, [3, 1, 3], [2, 1, 4])).toEqual([3, 1, 2, 4]);
    expect(call('a.union', strs, [['a']], [[], ['a']])).toEqual([['a'], []]);
  });

  it('NaN is never equal to itself, so it is never merged', () => {
    expect(call('a.distinct', T.double, [NaN, 1, NaN, 1])).toEqual([NaN, 1, NaN]);
    expect(call('a.distinct', T.union([T.null, T.double]), [NaN, null, NaN, null])).toEqual([NaN, null, NaN]);
    expect(call('a.subset', T.double, [NaN], [NaN])).toBe(false);
  });

  it('intersection, diff and symdiff keep duplicates, as the reference engines do', () => {
    expect(call('a.intersection', T.int, [0], [0])).toEqual([0, 0]);
    expect(call('a.intersection', T.int, [1, 2, 2], [2, 3])).toEqual([2, 2, 2]);
    expect(call('a.diff', T.int, [1, 2, 1, 3], [2])).toEqual([1, 1, 3]);
    expect(call('a.symdiff', T.int, [1, 2], [2, 3, 3])).toEqual([1, 3, 3]);
    expect(call('a.intersection', strs, [['x'], []], [[]])).toEqual([[], []]);
  });

  it('seteq, subset and disjoint ignore order and duplicates', () => {
    expect(call('a.seteq', T.int, [1, 2, 2], [2, 1])).toBe(true);
    expect(call('a.seteq', T.int, [1, 2], [1])).toBe(false);
    expect(call('a.subset', T.int, [1, 1], [1, 2])).toBe(true);
    expect(call('a.subset', T.int, [], [])).toBe(true);
    expect(call('a.subset', strs, [['a']], [['b']])).toBe(false);
    expect(call('a.disjoint', T.int, [1, 2], [3])).toBe(true);
    expect(call('a.disjoint', strs, [['a'], ['b']], [['b']])).toBe(false);
  });

  it('long items compare by value', () => {
    expect(call('a.distinct', T.long, [1n, BigInt(1), 2n])).toEqual([1n, 2n]);
  });
});
