import { describe, expect, it } from 'vitest';
import { T } from '../../../../src/avro/types.js';
import { implFor } from '../_direct-call.js';

const ints = T.array(T.int);
const SUBSEQ = 0;
const ITEM = 1;
const PREDICATE = 2;
const bySubseq = (name: string) => implFor(name, [ints, ints], SUBSEQ);
const byItem = (name: string) => implFor(name, [ints, T.int], ITEM);
const byPredicate = (name: string) => implFor(name, [ints, T.fcn([T.int], T.boolean)], PREDICATE);
const small = (x: unknown) => (x as number) < 2;

describe('a.* searching', () => {
  const h = [1, 2, 1, 2, 1];

  it('contains, by subsequence, item and predicate', () => {
    expect(bySubseq('a.contains')(h, [2, 1])).toBe(true);
    expect(bySubseq('a.contains')(h, [2, 2])).toBe(false);
    expect(bySubseq('a.contains')([], [])).toBe(true);
    expect(byItem('a.contains')(h, 2)).toBe(true);
    expect(byItem('a.contains')(h, 3)).toBe(false);
    expect(byPredicate('a.contains')([5, 7], small)).toBe(false);
  });

  it('count counts overlapping occurrences and gives 0 for an empty needle', () => {
    expect(bySubseq('a.count')(h, [1, 2, 1])).toBe(2);
    expect(bySubseq('a.count')(h, [])).toBe(0);
    expect(byItem('a.count')(h, 1)).toBe(3);
    expect(byPredicate('a.count')(h, small)).toBe(3);
  });

  it('count of a subsequence of scalars (compared with ===) agrees with the generic count (items wrapped in arrays)', () => {
    const fast = implFor('a.count', [T.array(T.double), T.array(T.double)], SUBSEQ);
    const wrapped = T.array(T.array(T.double));
    const generic = implFor('a.count', [wrapped, wrapped], SUBSEQ);
    const wrap = (xs: number[]) => xs.map((x) => [x]);
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const items = [0, -0, 1, 2, Number.NaN];
    const pick = (n: number) => Array.from({ length: n }, () => items[Math.floor(next() * items.length)]!);
    for (let i = 0; i < 500; i++) {
      const [hay, needle] = [pick(Math.floor(next() * 12)), pick(Math.floor(next() * 4))];
      expect(fast(hay, needle), JSON.stringify([hay, needle])).toBe(generic(wrap(hay), wrap(needle)));
    }
    const words = implFor('a.count', [T.array(T.string), T.array(T.string)], SUBSEQ);
    expect(words(['a', 'b', 'a', 'b', 'a'], ['a', 'b', 'a'])).toBe(2);
    expect(words(['ab', 'a'], ['a'])).toBe(1);
    expect(fast([Number.NaN], [Number.NaN])).toBe(0);
  });

  it('index and rindex', () => {
    expect(bySubseq('a.index')(h, [2, 1])).toBe(1);
    expect(bySubseq('a.rindex')(h, [2, 1])).toBe(3);
    expect(bySubseq('a.index')(h, [])).toBe(0);
    expect(bySubseq('a.rindex')(h, [])).toBe(5);
    expect(bySubseq('a.index')([1], [1, 1])).toBe(-1);
    expect(byItem('a.index')(h, 2)).toBe(1);
    expect(byItem('a.rindex')(h, 2)).toBe(3);
    expect(byItem('a.rindex')(h, 7)).toBe(-1);
    expect(byPredicate('a.index')(h, small)).toBe(0);
    expect(byPredicate('a.rindex')(h, small)).toBe(4);
  });

  it('under the item signature, an array item is compared as one item', () => {
    const nested = implFor('a.contains', [T.array(T.array(T.string)), T.array(T.string)], ITEM);
    expect(nested([[''], ['o', 'hello']], ['o', 'hello'])).toBe(true);
    expect(nested([[''], ['o', 'hello']], [])).toBe(false);
  });

  it('startswith and endswith', () => {
    expect(bySubseq('a.startswith')(h, [1, 2])).toBe(true);
    expect(bySubseq('a.startswith')(h, [])).toBe(true);
    expect(bySubseq('a.startswith')([1], [1, 2])).toBe(false);
    expect(bySubseq('a.endswith')(h, [2, 1])).toBe(true);
    expect(bySubseq('a.endswith')([], [])).toBe(true);
    expect(bySubseq('a.endswith')([1], [2, 1])).toBe(false);
    expect(byItem('a.startswith')(h, 1)).toBe(true);
    expect(byItem('a.endswith')(h, 2)).toBe(false);
    expect(byItem('a.startswith')([], 1)).toBe(false);
  });

  it('never finds NaN', () => {
    const dbl = implFor('a.contains', [T.array(T.double), T.double], ITEM);
    expect(dbl([NaN, 1], NaN)).toBe(false);
    expect(dbl([NaN, 1], 1)).toBe(true);
  });
});
