/**
 * Library functions and the call's budgets: each sizes its result from the arguments and reserves
 * it before making it, and charges work that grows with the data; small inputs cost little.
 */
import { describe, expect, it } from 'vitest';
import { T, type AnyType } from '../../../src/avro/types.js';
import type { EngineContext } from '../../../src/pfa/lib/define.js';
import { implFor } from './_direct-call.js';

/** A context that records every charge and reservation, and refuses a reservation past `cap`. */
function recorder(cap = Infinity) {
  const log = { charged: 0, reserved: [] as number[] };
  const ctx: EngineContext = {
    random: () => 0.5,
    log: () => undefined,
    charge: (units) => {
      log.charged += units;
    },
    allocate: (elements) => {
      log.reserved.push(elements);
      if (!(elements <= cap)) throw new Error(`refused ${elements}`);
    },
  };
  return { ctx, log };
}

function call(name: string, types: readonly AnyType[], args: unknown[], sigIndex = 0, cap = Infinity) {
  const { ctx, log } = recorder(cap);
  let result: unknown;
  let refused: string | undefined;
  try {
    result = implFor(name, types, sigIndex, T.null, ctx)(...args);
  } catch (e) {
    refused = (e as Error).message;
  }
  return { result, refused, ...log };
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const ints = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const strs = T.array(T.string);

describe('sizes reserved before the result is made', () => {
  it('a.permutations reserves n! arrays of n items (plus each array) and makes nothing when refused', () => {
    const r = call('a.permutations', [T.array(T.int)], [ints(14)], 0, 1e6);
    expect(r.reserved).toEqual([factorial(14) * 15]);
    expect(r.refused).toBe(`refused ${factorial(14) * 15}`);
    expect(call('a.permutations', [T.array(T.int)], [ints(3)]).result).toHaveLength(6);
  });

  it('a.combinations reserves C(n, k) arrays of k items', () => {
    const r = call('a.combinations', [T.array(T.int), T.int], [ints(30), 15], 0, 1e6);
    expect(r.reserved).toEqual([155117520 * 16]);
    expect(r.refused).toMatch(/^refused /);
    const small = call('a.combinations', [T.array(T.int), T.int], [ints(5), 2]);
    expect(small.result).toHaveLength(10);
    expect(small.reserved).toEqual([10 * 3]);
  });

  it('s.repeat reserves n * len characters', () => {
    const r = call('s.repeat', [T.string, T.int], ['abc', 1e9], 0, 1e6);
    expect(r.reserved).toEqual([3e9]);
    expect(r.refused).toMatch(/^refused /);
    expect(call('s.repeat', [T.string, T.int], ['ab', -2]).reserved).toEqual([0]);
  });

  it('a.flatten reserves the total of the inner lengths', () => {
    const inner = ints(1000);
    const outer = Array.from({ length: 1000 }, () => inner);
    const r = call('a.flatten', [T.array(T.array(T.int))], [outer], 0, 1e5);
    expect(r.reserved).toEqual([1e6]);
    expect(r.refused).toMatch(/^refused /);
  });

  it('la.dot reserves the product (rows x cols) of an outer product', () => {
    const col = Array.from({ length: 1e4 }, () => [1]);
    const row = [Array.from({ length: 1e4 }, () => 1)];
    const m = T.array(T.array(T.double));
    const r = call('la.dot', [m, m], [col, row], 2, 1e6);
    expect(r.reserved[0]).toBeGreaterThanOrEqual(1e8);
    expect(r.refused).toMatch(/^refused /);
    expect(call('la.dot', [m, m], [[[1, 2]], [[3], [4]]], 2).result).toEqual([[11]]);
  });

  it('map.add reserves the copy it makes; map lookups reserve nothing', () => {
    const m = new Map(ints(100).map((i) => [String(i), i]));
    expect(call('map.add', [T.map(T.int), T.string, T.int], [m, 'x', 1]).reserved).toEqual([101]);
    const lookup = call('map.containsKey', [T.map(T.int), T.string], [m, '5']);
    expect(lookup.result).toBe(true);
    expect(lookup.reserved).toEqual([]);
    expect(lookup.charged).toBe(0);
  });

  it('s.number reserves its padding width before padding', () => {
    const r = call('s.int', [T.long, T.int, T.boolean], [5n, 1e9, false], 1, 1e6);
    expect(r.refused).toMatch(/^refused /);
    expect(call('s.int', [T.long, T.int, T.boolean], [5n, 4, true], 1).result).toBe('0005');
  });

  it('bytes.subseq reserves only its slice, so a buffer read piece by piece stays linear', () => {
    const r = call('bytes.subseq', [T.bytes, T.int, T.int], [new Uint8Array(1e6), 10, 14]);
    expect(r.reserved).toEqual([4]);
    expect(r.result).toEqual(new Uint8Array(4));
  });

  it('cast fanout over an integer range reserves the range', () => {
    const r = call('cast.fanoutBoolean', [T.int, T.int, T.int, T.boolean], [3, 0, 2 ** 31 - 1, false], 2, 1e6);
    expect(r.refused).toMatch(/^refused /);
  });
});

describe('work charged', () => {
  it('sorting charges about n log2 n comparisons', () => {
    const r = call('a.sort', [strs], [ints(1024).map(String)]);
    expect(r.charged).toBe(1024 * 11);
  });

  it('a subsequence search charges positions times the needle', () => {
    const r = call('a.count', [T.array(T.int), T.array(T.int)], [ints(1000), ints(10)]);
    expect(r.result).toBe(1);
    expect(r.charged).toBe(991 * 11);
  });

  it('comparing arrays of records as sets charges the scans they make', () => {
    const rec = { kind: 'record', name: 'R', fullName: 'R', fields: [{ name: 'a', type: T.int }] } as unknown as AnyType;
    const items = ints(100).map((a) => ({ a }));
    const r = call('a.distinct', [T.array(rec as never)], [items]);
    expect(r.result).toHaveLength(100);
    // Each of the 100 items is looked for in the items kept so far: about 100^2 / 2.
    expect(r.charged).toBeGreaterThan((100 * 99) / 2);
  });

  it('a small call charges a few units at most', () => {
    expect(call('a.sort', [strs], [['b', 'a', 'c']]).charged).toBeLessThanOrEqual(6);
    expect(call('s.upper', [T.string], ['hello']).charged).toBe(1);
    expect(call('a.sum', [T.array(T.double)], [[1, 2, 3]], 0).charged).toBe(3);
  });
});
