import { describe, expect, it } from 'vitest';
import { T } from '../../../../src/avro/types.js';
import { errorCode, implFor } from '../_direct-call.js';

const ints = T.array(T.int);
const call = (name: string, ...args: unknown[]) => implFor(name, [ints])(...args);

describe('a.* access by position', () => {
  it('len, head, tail, last, init', () => {
    expect(call('a.len', [])).toBe(0);
    expect(call('a.len', [1, 2, 3])).toBe(3);
    expect(call('a.head', [1, 2, 3])).toBe(1);
    expect(call('a.tail', [1, 2, 3])).toEqual([2, 3]);
    expect(call('a.last', [1, 2, 3])).toBe(3);
    expect(call('a.init', [1, 2, 3])).toEqual([1, 2]);
  });

  it('raises "empty array" with each function’s code', () => {
    expect(errorCode(() => call('a.head', []))).toBe(15020);
    expect(errorCode(() => call('a.tail', []))).toBe(15030);
    expect(errorCode(() => call('a.last', []))).toBe(15040);
    expect(errorCode(() => call('a.init', []))).toBe(15050);
  });

  it('subseq follows Python slices', () => {
    const a = [0, 1, 2, 3, 4];
    expect(call('a.subseq', a, 1, 3)).toEqual([1, 2]);
    expect(call('a.subseq', a, -2, 100)).toEqual([3, 4]);
    expect(call('a.subseq', a, -100, -4)).toEqual([0]);
    expect(call('a.subseq', a, 3, 1)).toEqual([]);
  });

  it('subseqto replaces a slice, inserting when the slice is empty', () => {
    const a = [0, 1, 2, 3, 4];
    expect(call('a.subseqto', a, 1, 3, [9, 9, 9])).toEqual([0, 9, 9, 9, 3, 4]);
    expect(call('a.subseqto', a, 3, 1, [9])).toEqual([0, 1, 2, 9, 3, 4]);
    expect(call('a.subseqto', a, -1, 100, [])).toEqual([0, 1, 2, 3]);
    expect(a).toEqual([0, 1, 2, 3, 4]);
  });

  it('concat, append and cycle', () => {
    expect(call('a.concat', [1], [2, 3])).toEqual([1, 2, 3]);
    expect(call('a.append', [1], 2)).toEqual([1, 2]);
    expect(call('a.cycle', [1, 2, 3], 4, 3)).toEqual([2, 3, 4]);
    expect(call('a.cycle', [1], 4, 5)).toEqual([1, 4]);
    expect(call('a.cycle', [1, 2], 4, 0)).toEqual([]);
    expect(errorCode(() => call('a.cycle', [1], 4, -1))).toBe(15150);
  });

  it('insert and replace take Python indexes and reject anything outside the array', () => {
    expect(call('a.insert', [1, 2, 3], 0, 9)).toEqual([9, 1, 2, 3]);
    expect(call('a.insert', [1, 2, 3], -1, 9)).toEqual([1, 2, 9, 3]);
    expect(errorCode(() => call('a.insert', [1, 2, 3], 3, 9))).toBe(15160);
    expect(errorCode(() => call('a.insert', [], 0, 9))).toBe(15160);
    expect(call('a.replace', [1, 2, 3], -3, 9)).toEqual([9, 2, 3]);
    expect(errorCode(() => call('a.replace', [1, 2, 3], -4, 9))).toBe(15170);
  });

  it('remove takes a slice (clamped) or one index (checked)', () => {
    const range = implFor('a.remove', [ints, T.int, T.int], 0);
    const one = implFor('a.remove', [ints, T.int], 1);
    expect(range([0, 1, 2, 3], 1, 3)).toEqual([0, 3]);
    expect(range([0, 1, 2, 3], 3, 1)).toEqual([0, 1, 2, 3]);
    expect(range([0, 1, 2, 3], -2, 99)).toEqual([0, 1]);
    expect(one([0, 1, 2, 3], -1)).toEqual([0, 1, 2]);
    expect(errorCode(() => one([0, 1, 2, 3], 4))).toBe(15180);
  });

  it('rotate turns left and rejects negative steps', () => {
    expect(call('a.rotate', [1, 2, 3, 4], 1)).toEqual([2, 3, 4, 1]);
    expect(call('a.rotate', [1, 2, 3, 4], 6)).toEqual([3, 4, 1, 2]);
    expect(call('a.rotate', [], 3)).toEqual([]);
    expect(errorCode(() => call('a.rotate', [1], -1))).toBe(15190);
  });

  it('reverse leaves its argument alone', () => {
    const a = [1, 2, 3];
    expect(call('a.reverse', a)).toEqual([3, 2, 1]);
    expect(a).toEqual([1, 2, 3]);
  });
});
