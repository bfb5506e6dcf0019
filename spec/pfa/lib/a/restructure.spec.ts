import { describe, expect, it } from 'vitest';
import { T } from '../../../../src/avro/types.js';
import { errorCode, implFor } from '../_direct-call.js';

const call = (name: string, ...args: unknown[]) => implFor(name, [T.array(T.int)])(...args);

describe('a.* restructuring', () => {
  it('slidingWindow drops a short final window', () => {
    expect(call('a.slidingWindow', [1, 2, 3, 4, 5], 2, 2)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(call('a.slidingWindow', [1, 2, 3], 2, 1)).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(call('a.slidingWindow', [1, 2], 3, 1)).toEqual([]);
    expect(errorCode(() => call('a.slidingWindow', [1], 0, 1))).toBe(15770);
    expect(errorCode(() => call('a.slidingWindow', [1], 1, 0))).toBe(15771);
  });

  it('combinations come in itertools order', () => {
    expect(call('a.combinations', [1, 2, 3, 4], 2)).toEqual([
      [1, 2],
      [1, 3],
      [1, 4],
      [2, 3],
      [2, 4],
      [3, 4],
    ]);
    expect(call('a.combinations', [1, 2], 3)).toEqual([]);
    expect(call('a.combinations', [1, 2], 2)).toEqual([[1, 2]]);
    expect(errorCode(() => call('a.combinations', [1], 0))).toBe(15780);
  });

  it('permutations come in itertools order, by position', () => {
    expect(call('a.permutations', [1, 2, 3])).toEqual([
      [1, 2, 3],
      [1, 3, 2],
      [2, 1, 3],
      [2, 3, 1],
      [3, 1, 2],
      [3, 2, 1],
    ]);
    expect(call('a.permutations', [7, 7])).toEqual([
      [7, 7],
      [7, 7],
    ]);
    expect(call('a.permutations', [])).toEqual([[]]);
    expect(call('a.permutations', [1, 2, 3, 4, 5])).toHaveLength(120);
  });

  it('flatten concatenates one level', () => {
    expect(implFor('a.flatten', [T.array(T.array(T.array(T.int)))])([[[1]], [], [[2], [3]]])).toEqual([[1], [2], [3]]);
  });
});
