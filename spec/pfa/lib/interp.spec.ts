import { describe, expect, it } from 'vitest';
import { T, type AvroType, type RecordType } from '../../../src/avro/types.js';
import { loadPfa } from '../../../src/index.js';
import { errorCode, implFor } from './_direct-call.js';

function tableOf(x: AvroType, to: AvroType) {
  const R: RecordType = {
    kind: 'record',
    name: 'R',
    fullName: 'R',
    fields: [
      { name: 'x', type: x, hasDefault: false },
      { name: 'to', type: to, hasDefault: false },
    ],
  };
  return T.array(R);
}

const rows = <X, To>(...pairs: [X, To][]) => pairs.map(([x, to]) => ({ x, to }));

describe('interp.bin', () => {
  const byCount = implFor('interp.bin', [T.double, T.int, T.double, T.double], 0);
  const byWidth = implFor('interp.bin', [T.double, T.double, T.double], 1);

  it('numbins between low and high: low inclusive, high exclusive', () => {
    expect(byCount(2.0, 5, 2.0, 3.0)).toBe(0);
    expect(byCount(2.99, 5, 2.0, 3.0)).toBe(4);
    expect(byCount(2.5, 5, 2.0, 3.0)).toBe(2);
    expect(errorCode(() => byCount(3.0, 5, 2.0, 3.0))).toBe(22002);
    expect(errorCode(() => byCount(1.9, 5, 2.0, 3.0))).toBe(22002);
    expect(errorCode(() => byCount(NaN, 5, 2.0, 3.0))).toBe(22002);
  });

  it('checks the range before the scale', () => {
    expect(errorCode(() => byCount(5, 0, 5.0, 2.0))).toBe(22000);
    expect(errorCode(() => byCount(5, 3, 1.0, 1.0))).toBe(22000);
    expect(errorCode(() => byCount(5, 3, NaN, 1.0))).toBe(22000);
    expect(errorCode(() => byCount(5, 0, 1.0, 6.0))).toBe(22001);
  });

  it('origin and width: any integer bin', () => {
    expect(byWidth(5.2, 0, 1)).toBe(5);
    expect(byWidth(-0.5, 0, 1)).toBe(-1);
    expect(byWidth(5.2, 1, Infinity)).toBe(0);
    expect(errorCode(() => byWidth(5.2, Infinity, 1))).toBe(22000);
    expect(errorCode(() => byWidth(5.2, 0, 0))).toBe(22001);
    expect(errorCode(() => byWidth(5.2, 0, NaN))).toBe(22001);
    expect(errorCode(() => byWidth(Infinity, 0, 1))).toBe(22002);
    expect(errorCode(() => byWidth(1e300, 0, 1))).toBe(22002);
  });
});

describe('interp.nearest', () => {
  it('1-d: the closest x, first of ties', () => {
    const f = implFor('interp.nearest', [T.double, tableOf(T.double, T.string)], 0);
    const table = rows([0, 'zero'], [1, 'one'], [3, 'three'], [1, 'again']);
    expect(f(1.2, table)).toBe('one');
    expect(f(2, table)).toBe('one');
    expect(f(100, table)).toBe('three');
    expect(f(NaN, table)).toBe('zero');
    expect(errorCode(() => f(1, []))).toBe(22010);
  });

  it('n-d: Euclidean distance, dimensions must agree', () => {
    const f = implFor('interp.nearest', [T.array(T.double), tableOf(T.array(T.double), T.int)], 1);
    const table = rows([[0, 0], 1], [[3, 4], 2]);
    expect(f([2, 3], table)).toBe(2);
    expect(errorCode(() => f([1], table))).toBe(22011);
    expect(errorCode(() => f([0, 0], [...table, { x: [1], to: 3 }]))).toBe(22011);
    expect(errorCode(() => f([0, 0], []))).toBe(22010);
  });

  it('with a metric on any types', () => {
    const f = implFor('interp.nearest', [T.string, tableOf(T.string, T.int), T.fcn([T.string, T.string], T.double)], 2);
    const lengthGap = (a: string, b: string) => Math.abs(a.length - b.length);
    expect(f('abcd', rows(['a', 1], ['abc', 2], ['abcde', 3]), lengthGap)).toBe(2);
  });
});

describe('interp.linear family', () => {
  const scalar = tableOf(T.double, T.double);
  const vector = tableOf(T.double, T.array(T.double));
  const table = rows([0, 0], [10, 100], [20, 0]);
  const vtable = rows([0, [0, 1]], [10, [10, 11]]);

  it('linear interpolates between neighbours and extrapolates beyond', () => {
    const f = implFor('interp.linear', [T.double, scalar], 0);
    expect(f(5, table)).toBeCloseTo(50);
    expect(f(10, table)).toBeCloseTo(100);
    expect(f(25, table)).toBeCloseTo(-50);
    expect(f(-1, table)).toBeCloseTo(-10);
    expect(f(20, table)).toBeCloseTo(0);
    const v = implFor('interp.linear', [T.double, vector], 1);
    expect(v(2.5, vtable)).toEqual([2.5, 3.5]);
    expect(v(20, vtable)).toEqual([20, 21]);
  });

  it('needs two distinct x values and equal dimensions', () => {
    const f = implFor('interp.linear', [T.double, scalar], 0);
    expect(errorCode(() => f(1, rows([2, 5], [2, 6])))).toBe(22020);
    expect(errorCode(() => f(1, []))).toBe(22020);
    const v = implFor('interp.linear', [T.double, vector], 1);
    expect(errorCode(() => v(1, rows([0, [1]], [2, [1, 2]])))).toBe(22021);
    expect(errorCode(() => implFor('interp.linearFlat', [T.double, vector], 1)(1, rows([0, [1]], [2, [1, 2]])))).toBe(22031);
    expect(errorCode(() => implFor('interp.linearMissing', [T.double, vector], 1)(1, rows([0, [1]], [2, [1, 2]])))).toBe(22041);
  });

  it('linearFlat holds the end value beyond the table', () => {
    const f = implFor('interp.linearFlat', [T.double, scalar], 0);
    expect(f(5, table)).toBeCloseTo(50);
    expect(f(25, table)).toBe(0);
    expect(f(-5, table)).toBe(0);
    expect(implFor('interp.linearFlat', [T.double, vector], 1)(99, vtable)).toEqual([10, 11]);
    expect(errorCode(() => f(5, rows([1, 1])))).toBe(22030);
  });

  it('linearMissing gives null beyond the table but not on its ends', () => {
    const f = implFor('interp.linearMissing', [T.double, scalar], 0);
    expect(f(15, table)).toBeCloseTo(50);
    expect(f(25, table)).toBeNull();
    expect(f(20, table)).toBe(0);
    expect(f(0, table)).toBe(0);
    expect(implFor('interp.linearMissing', [T.double, vector], 1)(-1, vtable)).toBeNull();
    expect(errorCode(() => f(5, []))).toBe(22040);
  });
});

describe('interp through the engine', () => {
  const record = (name: string, x: unknown, to: unknown) => ({
    type: 'record',
    name,
    fields: [
      { name: 'x', type: x },
      { name: 'to', type: to },
    ],
  });

  it('bin picks the signature by arity', () => {
    const e = loadPfa({ input: 'double', output: 'int', action: { 'interp.bin': ['input', 0.0, 0.5] } });
    expect(e.action(1.2)).toBe(2);
    const f = loadPfa({ input: 'double', output: 'int', action: { 'interp.bin': ['input', 4, 0.0, 2.0] } });
    expect(errorCode(() => f.action(2.0))).toBe(22002);
  });

  it('nearest with a metric function', () => {
    const doc = {
      input: 'string',
      output: 'int',
      cells: {
        table: {
          type: { type: 'array', items: record('R', 'string', 'int') },
          init: [
            { x: 'a', to: 1 },
            { x: 'abc', to: 2 },
          ],
        },
      },
      action: {
        'interp.nearest': [
          'input',
          { cell: 'table' },
          { params: [{ a: 'string' }, { b: 'string' }], ret: 'double', do: { 'm.abs': { '-': [{ 's.len': 'a' }, { 's.len': 'b' }] } } },
        ],
      },
    };
    expect(loadPfa(doc).action('abcd')).toBe(2);
  });

  it('linearMissing on a table of doubles', () => {
    const doc = {
      input: 'double',
      output: ['null', 'double'],
      cells: {
        table: {
          type: { type: 'array', items: record('R', 'double', 'double') },
          init: [
            { x: 0, to: 0 },
            { x: 1, to: 10 },
          ],
        },
      },
      action: { 'interp.linearMissing': ['input', { cell: 'table' }] },
    };
    const e = loadPfa(doc);
    expect(e.action(0.25)).toBeCloseTo(2.5);
    expect(e.action(2)).toBeNull();
  });
});
