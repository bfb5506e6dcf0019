import { describe, expect, it } from 'vitest';
import { T, type RecordType } from '../../../../src/avro/types.js';
import { compareNumbers } from '../../../../src/avro/compare.js';
import { seededRandom } from '../../../helpers/random.js';
import { errorCode, implFor } from '../_direct-call.js';

const ints = T.array(T.int);
const doubles = T.array(T.double);
const lt = (x: unknown, y: unknown) => (x as number) < (y as number);
const byLength = (x: unknown, y: unknown) => (x as string).length < (y as string).length;
const Rec: RecordType = {
  kind: 'record',
  name: 'Rec',
  fullName: 'Rec',
  fields: [
    { name: 'x', type: T.int, hasDefault: false, order: 'descending' },
    { name: 'y', type: T.string, hasDefault: false },
  ],
};

describe('a.* sorting', () => {
  it('sort uses the Avro order of the item type, NaN last', () => {
    expect(implFor('a.sort', [doubles])([3, NaN, -Infinity, 1])).toEqual([-Infinity, 1, 3, NaN]);
    const recs = [
      { x: 1, y: 'b' },
      { x: 2, y: 'z' },
      { x: 1, y: 'a' },
    ];
    expect(implFor('a.sort', [T.array(Rec)])(recs)).toEqual([recs[1], recs[2], recs[0]]);
  });

  it('sortLT is stable for ties', () => {
    const words = ['bb', 'a', 'cc', 'd'];
    expect(implFor('a.sortLT', [T.array(T.string), T.fcn([T.string, T.string], T.boolean)])(words, byLength)).toEqual([
      'a',
      'd',
      'bb',
      'cc',
    ]);
    expect(words).toEqual(['bb', 'a', 'cc', 'd']);
  });

  it('shuffle permutes the items', () => {
    const a = [1, 2, 3, 4, 5];
    expect(implFor('a.shuffle', [ints])(a).slice().sort()).toEqual(a);
  });
});

describe('a.* extremes', () => {
  const a = [3, 7, 1, 7, 1];

  it('max, min and their LT forms; argmax/argmin take the first of ties', () => {
    expect(implFor('a.max', [ints])(a)).toBe(7);
    expect(implFor('a.min', [ints])(a)).toBe(1);
    expect(implFor('a.maxLT', [ints])(a, lt)).toBe(7);
    expect(implFor('a.minLT', [ints])(a, lt)).toBe(1);
    expect(implFor('a.argmax', [ints])(a)).toBe(1);
    expect(implFor('a.argmin', [ints])(a)).toBe(2);
    expect(implFor('a.argmaxLT', [ints])(a, lt)).toBe(1);
    expect(implFor('a.argminLT', [ints])(a, lt)).toBe(2);
  });

  it('NaN is the maximum of doubles', () => {
    expect(implFor('a.argmax', [doubles])([1, NaN, Infinity, NaN])).toBe(1);
    expect(implFor('a.min', [doubles])([1, NaN, -Infinity])).toBe(-Infinity);
  });

  it('on numbers, argmax, argmin, max and min answer as the type order does item by item', () => {
    // The numeric path against the definition: the first item no other sorts past, by compareNumbers
    // (NaN above every number, -0 equal to 0), or by < on bigints.
    const r = seededRandom(7);
    const pool = [NaN, -0, 0, 1, -1, 2.5, Infinity, -Infinity];
    const firstBest = (xs: readonly (number | bigint)[], max: boolean) => {
      const cmp = (x: number | bigint, y: number | bigint) =>
        typeof x === 'bigint' ? (x < y ? -1 : x > y ? 1 : 0) : compareNumbers(x, y as number);
      return xs.findIndex((x) => xs.every((y) => (max ? cmp(x, y) >= 0 : cmp(x, y) <= 0)));
    };
    for (let n = 0; n < 400; n++) {
      const length = 1 + Math.floor(r() * 6);
      const long = n % 4 === 3;
      const xs = Array.from({ length }, () => pool[Math.floor(r() * pool.length)]!);
      const items = long ? xs.map((x) => (Number.isFinite(x) ? BigInt(Math.trunc(x)) : 5n)) : xs;
      const t = T.array(long ? T.long : T.double);
      const [hi, lo] = [firstBest(items, true), firstBest(items, false)];
      expect(implFor('a.argmax', [t])(items), String(items)).toBe(hi);
      expect(implFor('a.argmin', [t])(items), String(items)).toBe(lo);
      expect(Object.is(implFor('a.max', [t])(items), items[hi]), String(items)).toBe(true);
      expect(Object.is(implFor('a.min', [t])(items), items[lo]), String(items)).toBe(true);
    }
  });

  it('on numbers, the N forms sort as the type order does (the LT forms with that order as the baseline)', () => {
    const r = seededRandom(11);
    const pool = [NaN, -0, 0, 1, -1, 2.5, Infinity, -Infinity];
    const typeLt = (x: unknown, y: unknown) => compareNumbers(x as number, y as number) < 0;
    for (let k = 0; k < 400; k++) {
      const length = k % 10 === 0 ? 65 + Math.floor(r() * 40) : 1 + Math.floor(r() * 8);
      // Most arrays without NaN (the paths without comparator calls), some with; some past the insertion sort.
      const xs = Array.from({ length }, () => pool[(k % 3 === 0 ? 0 : 1) + Math.floor(r() * (pool.length - 1))]!);
      const n = Math.floor(r() * (length + 2));
      for (const [plain, withLt] of [
        ['a.argminN', 'a.argminNLT'],
        ['a.argmaxN', 'a.argmaxNLT'],
        ['a.minN', 'a.minNLT'],
        ['a.maxN', 'a.maxNLT'],
      ] as const) {
        const got = implFor(plain, [doubles, T.int])(xs, n) as unknown[];
        const want = implFor(withLt, [doubles, T.int])(xs, n, typeLt) as unknown[];
        expect(got.length, `${plain} ${String(xs)}`).toBe(want.length);
        for (const [i, g] of got.entries()) expect(Object.is(g, want[i]), `${plain} ${String(xs)} ${n}`).toBe(true);
      }
    }
  });

  it('the N forms return ties in their original order and at most len(a) items', () => {
    expect(implFor('a.maxN', [ints, T.int])(a, 3)).toEqual([7, 7, 3]);
    expect(implFor('a.minN', [ints, T.int])(a, 10)).toEqual([1, 1, 3, 7, 7]);
    expect(implFor('a.minN', [ints, T.int])(a, 0)).toEqual([]);
    expect(implFor('a.argmaxN', [ints, T.int])(a, 3)).toEqual([1, 3, 0]);
    expect(implFor('a.argminN', [ints, T.int])(a, 2)).toEqual([2, 4]);
    expect(implFor('a.maxNLT', [ints, T.int])(a, 2, lt)).toEqual([7, 7]);
    expect(implFor('a.minNLT', [ints, T.int])(a, 2, lt)).toEqual([1, 1]);
    expect(implFor('a.argmaxNLT', [ints, T.int])(a, 2, lt)).toEqual([1, 3]);
    expect(implFor('a.argminNLT', [ints, T.int])(a, 3, lt)).toEqual([2, 4, 0]);
  });

  it('raise "empty array" before "n < 0"', () => {
    const codes: [string, number][] = [
      ['a.max', 15240],
      ['a.min', 15250],
      ['a.maxLT', 15260],
      ['a.minLT', 15270],
      ['a.argmax', 15320],
      ['a.argmin', 15330],
      ['a.argmaxLT', 15340],
      ['a.argminLT', 15350],
    ];
    for (const [name, code] of codes) expect(errorCode(() => implFor(name, [ints])([], lt))).toBe(code);
    const withN: [string, number][] = [
      ['a.maxN', 15280],
      ['a.minN', 15290],
      ['a.maxNLT', 15300],
      ['a.minNLT', 15310],
      ['a.argmaxN', 15360],
      ['a.argminN', 15370],
      ['a.argmaxNLT', 15380],
      ['a.argminNLT', 15390],
    ];
    for (const [name, code] of withN) {
      const f = implFor(name, [ints, T.int]);
      expect(errorCode(() => f([], -1, lt))).toBe(code);
      expect(errorCode(() => f([1], -1, lt))).toBe(code + 1);
    }
  });
});

describe('a.median, a.ntile, a.mode', () => {
  it('median averages the middle pair only for float and double', () => {
    expect(implFor('a.median', [ints])([4, 1, 3, 2])).toBe(2);
    expect(implFor('a.median', [ints])([5, 1, 3])).toBe(3);
    expect(implFor('a.median', [doubles])([4, 1, 3, 2])).toBe(2.5);
    expect(implFor('a.median', [T.array(T.float)])([0.1, 0.2].map(Math.fround))).toBe(
      Math.fround((Math.fround(0.1) + Math.fround(0.2)) / 2),
    );
    expect(errorCode(() => implFor('a.median', [ints])([]))).toBe(15450);
  });

  it('ntile interpolates doubles, picks the lower item otherwise, and clamps p', () => {
    const d = [10, 0, 30, 20];
    const nt = implFor('a.ntile', [doubles, T.double]);
    expect(nt(d, 0.5)).toBe(15);
    expect(nt(d, 1 / 3)).toBeCloseTo(10);
    expect(nt(d, -1)).toBe(0);
    expect(nt(d, 2)).toBe(30);
    const ni = implFor('a.ntile', [ints, T.double]);
    expect(ni(d, 0.5)).toBe(10);
    expect(ni(d, 0.9)).toBe(20);
    expect(errorCode(() => ni([], NaN))).toBe(15460);
    expect(errorCode(() => ni([1], NaN))).toBe(15461);
  });

  it('mode returns the most common value, the median of tied values', () => {
    const mode = implFor('a.mode', [ints]);
    expect(mode([3, 1, 3, 2, 1, 3])).toBe(3);
    expect(mode([5, 1, 9])).toBe(5);
    expect(mode([4, 2, 2, 4])).toBe(2);
    expect(implFor('a.mode', [doubles])([4, 2, 2, 4])).toBe(3);
    expect(implFor('a.mode', [doubles])([NaN, 1, NaN])).toBeNaN();
    expect(errorCode(() => mode([]))).toBe(15470);
  });
});
