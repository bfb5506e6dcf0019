import { describe, expect, it } from 'vitest';
import { T } from '../../../../src/avro/types.js';
import { errorCode, implFor } from '../_direct-call.js';

const ints = T.array(T.int);
const call = (name: string, ...args: unknown[]) => implFor(name, [ints])(...args);
const small = (x: unknown) => (x as number) < 3;

describe('a.* higher-order functions', () => {
  it('map and filter call the function with exactly the PFA arguments', () => {
    const seen: unknown[][] = [];
    const spy = (...xs: unknown[]) => {
      seen.push(xs);
      return xs.length;
    };
    expect(call('a.map', [5, 6], spy)).toEqual([1, 1]);
    expect(call('a.mapWithIndex', [5, 6], spy)).toEqual([2, 2]);
    expect(seen).toEqual([[5], [6], [0, 5], [1, 6]]);
    expect(call('a.filter', [1, 5, 2], small)).toEqual([1, 2]);
    expect(call('a.filterWithIndex', [1, 5, 2], (i: number, x: number) => i + x > 4)).toEqual([5]);
  });

  it('filterMap drops nulls; flatMap concatenates', () => {
    expect(call('a.filterMap', [1, 5, 2], (x: number) => (x < 3 ? x * 10 : null))).toEqual([10, 20]);
    expect(call('a.filterMapWithIndex', [1, 5, 2], (i: number, x: number) => (i === 1 ? null : i + x))).toEqual([1, 4]);
    expect(call('a.flatMap', [1, 2], (x: number) => Array(x).fill(x))).toEqual([1, 2, 2]);
    expect(call('a.flatMapWithIndex', [7, 8], (i: number, x: number) => [i, x])).toEqual([0, 7, 1, 8]);
  });

  it('zipmap runs in lock-step over 2 to 4 arrays and rejects misaligned arrays', () => {
    const add = (...xs: number[]) => xs.reduce((s, x) => s + x, 0);
    expect(call('a.zipmap', [1, 2], [10, 20], add)).toEqual([11, 22]);
    expect(call('a.zipmap', [1], [2], [3], [4], add)).toEqual([10]);
    expect(call('a.zipmapWithIndex', [1, 2], [10, 20], [100, 200], add)).toEqual([111, 223]);
    expect(errorCode(() => call('a.zipmap', [1, 2], [1], add))).toBe(15650);
    expect(errorCode(() => call('a.zipmapWithIndex', [1], [1], [1, 2], add))).toBe(15660);
  });

  it('reduce and fold accumulate from the left, the Right forms from the right', () => {
    const pair = (x: unknown, y: unknown) => `(${x} ${y})`;
    const strs = (name: string, ...args: unknown[]) => implFor(name, [T.array(T.string)])(...args);
    expect(strs('a.reduce', ['a', 'b', 'c'], pair)).toBe('((a b) c)');
    expect(strs('a.reduceRight', ['a', 'b', 'c'], pair)).toBe('(a (b c))');
    expect(strs('a.reduce', ['a'], pair)).toBe('a');
    expect(strs('a.fold', ['a', 'b'], 'z', pair)).toBe('((z a) b)');
    expect(strs('a.foldRight', ['a', 'b'], 'z', pair)).toBe('(a (b z))');
    expect(strs('a.fold', [], 'z', pair)).toBe('z');
    expect(errorCode(() => strs('a.reduce', [], pair))).toBe(15670);
    expect(errorCode(() => strs('a.reduceRight', [], pair))).toBe(15680);
  });

  it('takeWhile, dropWhile, any, all', () => {
    expect(call('a.takeWhile', [1, 2, 5, 1], small)).toEqual([1, 2]);
    expect(call('a.dropWhile', [1, 2, 5, 1], small)).toEqual([5, 1]);
    expect(call('a.takeWhile', [1, 2], small)).toEqual([1, 2]);
    expect(call('a.any', [5, 1], small)).toBe(true);
    expect(call('a.any', [], small)).toBe(false);
    expect(call('a.all', [5, 1], small)).toBe(false);
    expect(call('a.all', [], small)).toBe(true);
  });

  it('corresponds is false for different lengths', () => {
    const lt = (x: number, y: number) => x < y;
    expect(call('a.corresponds', [1, 2], [2, 3], lt)).toBe(true);
    expect(call('a.corresponds', [1, 2], [2], lt)).toBe(false);
    expect(call('a.correspondsWithIndex', [1, 2], [2, 3], (i: number, x: number, y: number) => i < x && x < y)).toBe(true);
    expect(call('a.correspondsWithIndex', [0], [2], (i: number, x: number) => i < x)).toBe(false);
  });

  it('groupby collects items by key in order of first appearance', () => {
    const parity = (x: number) => (x % 2 === 0 ? 'even' : 'odd');
    const out = call('a.groupby', [1, 2, 3, 4, 5], parity) as Map<string, unknown>;
    expect([...out.entries()]).toEqual([
      ['odd', [1, 3, 5]],
      ['even', [2, 4]],
    ]);
    expect(call('a.groupby', [1], () => '__proto__')).toEqual(new Map([['__proto__', [1]]]));
  });
});
