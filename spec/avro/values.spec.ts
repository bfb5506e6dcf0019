import { describe, expect, it } from 'vitest';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import { comparator, compareStrings, equality } from '../../src/avro/compare.js';
import { converter } from '../../src/avro/convert.js';
import { validator } from '../../src/avro/validate.js';
import { isValueOf, resolveBranch } from '../../src/avro/values.js';
import { T, type UnionType } from '../../src/avro/types.js';

describe('runtime values', () => {
  it('tells union branches apart by the value', () => {
    const names = new NameRegistry();
    const u = parseSchema(
      [
        'null',
        'int',
        'long',
        'string',
        { type: 'array', items: 'int' },
        { type: 'record', name: 'A', fields: [{ name: 'x', type: 'int' }] },
        { type: 'record', name: 'B', fields: [{ name: 'x', type: 'string' }] },
      ],
      names,
    ) as UnionType;
    expect([null, 1, 1n, 's', [1]].map((v) => resolveBranch(u, v))).toEqual([0, 1, 2, 3, 4]);
    expect(resolveBranch(u, { x: 1 })).toBe(5);
    expect(resolveBranch(u, { x: 'y' })).toBe(6);
  });

  it('checks ints against the 32-bit range and longs as bigints', () => {
    expect(isValueOf(T.int, 2 ** 31)).toBe(false);
    expect(isValueOf(T.long, 3)).toBe(false);
    expect(isValueOf(T.long, 3n)).toBe(true);
  });

  it('validates input with the path of the first mismatch', () => {
    const R = parseSchema(
      { type: 'record', name: 'R', fields: [{ name: 'xs', type: { type: 'array', items: 'double' } }] },
      new NameRegistry(),
    );
    expect(validator(R)({ xs: [1, 'a'] })).toMatch(/^\/xs\/1: expected double/);
    expect(validator(R)({ xs: [1, 2] })).toBeUndefined();
  });
});

describe('ordering', () => {
  it('orders strings by code point', () => {
    expect(compareStrings('\uffff', '\u{1F600}')).toBeLessThan(0);
    expect('\uffff' < '\u{1F600}').toBe(false); // UTF-16 order differs
  });

  it('puts NaN above every number and orders records field by field', () => {
    expect([3, NaN, -1].sort(comparator(T.double))).toEqual([-1, 3, NaN]);
    const R = parseSchema(
      {
        type: 'record',
        name: 'R',
        fields: [
          { name: 'a', type: 'int' },
          { name: 'b', type: 'string', order: 'descending' },
        ],
      },
      new NameRegistry(),
    );
    const cmp = comparator(R);
    expect(cmp({ a: 1, b: 'x' }, { a: 1, b: 'y' })).toBeGreaterThan(0);
    expect(cmp({ a: 0, b: 'x' }, { a: 1, b: 'y' })).toBeLessThan(0);
  });

  it('tests unions of scalars for equality with ===, as branch by branch', () => {
    const E = { kind: 'enum', name: 'E', fullName: 'E', symbols: ['a', 'b'] } as const;
    const U = T.union([T.null, T.int, T.long, T.double, T.string, E]);
    const values = [null, 0, 1, 1.5, NaN, 0n, 1n, '', 'a', 'c'];
    const eq = equality(U);
    // The branch-resolving form, as a union of other branches would be tested.
    const baseline = (x: unknown, y: unknown) =>
      resolveBranch(U, x) === resolveBranch(U, y) && equality(U.types[resolveBranch(U, x)]!)(x, y);
    for (const x of values) for (const y of values) expect(eq(x, y), `${String(x)} ${String(y)}`).toBe(baseline(x, y));
    expect(eq(NaN, NaN)).toBe(false);
  });

  it('compares deeply for equality', () => {
    const eq = equality(T.map(T.array(T.int)));
    expect(eq(new Map([['a', [1]]]), new Map([['a', [1]]]))).toBe(true);
    expect(eq(new Map([['a', [1]]]), new Map([['a', [2]]]))).toBe(false);
  });
});

describe('conversion along accepts', () => {
  it('needs no conversion when the representation is the same', () => {
    expect(converter(T.int, T.double)).toBeUndefined();
    expect(converter(T.array(T.float), T.array(T.double))).toBeUndefined();
  });

  it('converts ints to bigints and longs to numbers, deep inside values', () => {
    expect(converter(T.int, T.long)!(3)).toBe(3n);
    expect(converter(T.array(T.long), T.array(T.double))!([3n])).toEqual([3]);
    expect(converter(T.int, T.union([T.null, T.long]))!(4)).toBe(4n);
    expect(converter(T.long, T.float)!(16777217n)).toBe(16777216);
  });
});
