import { describe, expect, it } from 'vitest';
import { T, type RecordType } from '../../../src/avro/types.js';
import { loadPfa } from '../../../src/index.js';
import { errorCode, implFor } from './_direct-call.js';

const ints = T.map(T.int);
const m = (o: Record<string, unknown>) => new Map(Object.entries(o));
const lt = (x: unknown, y: unknown) => (x as number) < (y as number);
const Rec: RecordType = {
  kind: 'record',
  name: 'Rec',
  fullName: 'Rec',
  fields: [
    { name: 'x', type: T.int, hasDefault: false },
    { name: 'y', type: T.string, hasDefault: false },
  ],
};

describe('map basic access', () => {
  it('len, keys and values', () => {
    const x = m({ a: 1, b: 2 });
    expect(implFor('map.len', [ints])(x)).toBe(2);
    expect(implFor('map.keys', [ints])(x)).toEqual(['a', 'b']);
    expect(implFor('map.values', [ints])(x)).toEqual([1, 2]);
  });

  it('treats __proto__, constructor and hasOwnProperty as ordinary keys', () => {
    const add = implFor('map.add', [ints, T.string, T.int]);
    let x = new Map<string, unknown>();
    for (const k of ['__proto__', 'constructor', 'hasOwnProperty']) x = add(x, k, k.length);
    expect(implFor('map.len', [ints])(x)).toBe(3);
    expect(implFor('map.containsKey', [ints, T.string])(x, '__proto__')).toBe(true);
    expect(implFor('map.containsKey', [ints, T.string])(new Map(), 'constructor')).toBe(false);
    expect(implFor('map.remove', [ints, T.string])(x, '__proto__')).toEqual(m({ constructor: 11, hasOwnProperty: 14 }));
    expect(implFor('map.only', [ints, T.array(T.string)])(x, ['constructor'])).toEqual(new Map([['constructor', 11]]));
    expect(implFor('map.argmin', [ints])(x)).toBe('__proto__');
    expect(implFor('map.keys', [ints])(x)).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(Object.getPrototypeOf(x)).toBe(Map.prototype);
  });
});

describe('map searching', () => {
  it('containsKey by key or predicate', () => {
    const x = m({ one: 1, two: 2 });
    expect(implFor('map.containsKey', [ints, T.string])(x, 'two')).toBe(true);
    expect(implFor('map.containsKey', [ints, T.string])(x, 'three')).toBe(false);
    const byFcn = implFor('map.containsKey', [ints, T.fcn([T.string], T.boolean)], 1);
    expect(byFcn(x, (k: string) => k.startsWith('t'))).toBe(true);
    expect(byFcn(x, (k: string) => k.length > 3)).toBe(false);
  });

  it('containsValue compares by type', () => {
    const recs = T.map(Rec);
    const x = m({ a: { x: 1, y: 'one' } });
    expect(implFor('map.containsValue', [recs, Rec])(x, { x: 1, y: 'one' })).toBe(true);
    expect(implFor('map.containsValue', [recs, Rec])(x, { x: 1, y: 'two' })).toBe(false);
    const doubles = T.map(T.double);
    expect(implFor('map.containsValue', [doubles, T.double])(m({ a: NaN }), NaN)).toBe(false);
    const byFcn = implFor('map.containsValue', [ints, T.fcn([T.int], T.boolean)], 1);
    expect(byFcn(m({ a: 1, b: 5 }), (v: number) => v > 4)).toBe(true);
  });
});

describe('map manipulation', () => {
  it('add replaces in place and leaves the argument alone', () => {
    const x = m({ a: 1, b: 2 });
    const y = implFor('map.add', [ints, T.string, T.int])(x, 'a', 10);
    expect([...y]).toEqual([
      ['a', 10],
      ['b', 2],
    ]);
    expect(x.get('a')).toBe(1);
  });

  it('add of a set item keys it by its base64 Avro encoding', () => {
    const add = implFor('map.add', [ints, T.int], 1);
    expect(add(new Map(), -100)).toEqual(new Map([['xwE=', -100]]));
  });

  it('remove, only, except ignore missing keys', () => {
    const x = m({ a: 1, b: 2, c: 3 });
    expect(implFor('map.remove', [ints, T.string])(x, 'z')).toEqual(x);
    expect(implFor('map.only', [ints, T.array(T.string)])(x, ['c', 'a', 'z'])).toEqual(m({ a: 1, c: 3 }));
    expect(implFor('map.except', [ints, T.array(T.string)])(x, ['c', 'z'])).toEqual(m({ a: 1, b: 2 }));
  });

  it('update, split and join overlay from left to right', () => {
    expect(implFor('map.update', [ints, ints])(m({ a: 1, b: 2 }), m({ b: 20, c: 30 }))).toEqual(m({ a: 1, b: 20, c: 30 }));
    const parts = implFor('map.split', [ints])(m({ a: 1, b: 2 }));
    expect(parts).toEqual([m({ a: 1 }), m({ b: 2 })]);
    expect(implFor('map.join', [T.array(ints)])([m({ a: 1 }), m({ a: 2, b: 3 })])).toEqual(m({ a: 2, b: 3 }));
    expect(implFor('map.join', [T.array(ints)])([])).toEqual(new Map());
  });
});

describe('map argmax family', () => {
  const x = m({ a: 3, b: 7, c: 7, d: 1, e: 3 });

  it('argmax/argmin by Avro order, ties to the smallest key', () => {
    expect(implFor('map.argmax', [ints])(x)).toBe('b');
    expect(implFor('map.argmin', [ints])(x)).toBe('d');
    expect(implFor('map.argmin', [ints])(m({ z: 1, y: 1 }))).toBe('y');
    expect(errorCode(() => implFor('map.argmax', [ints])(new Map()))).toBe(26120);
    expect(errorCode(() => implFor('map.argmin', [ints])(new Map()))).toBe(26130);
  });

  it('argmaxN/argminN order best first with ties by key', () => {
    expect(implFor('map.argmaxN', [ints, T.int])(x, 3)).toEqual(['b', 'c', 'a']);
    expect(implFor('map.argminN', [ints, T.int])(x, 3)).toEqual(['d', 'a', 'e']);
    expect(implFor('map.argmaxN', [ints, T.int])(x, 10)).toEqual(['b', 'c', 'a', 'e', 'd']);
    expect(implFor('map.argmaxN', [ints, T.int])(x, 0)).toEqual([]);
    expect(errorCode(() => implFor('map.argmaxN', [ints, T.int])(new Map(), -1))).toBe(26160);
    expect(errorCode(() => implFor('map.argmaxN', [ints, T.int])(x, -1))).toBe(26161);
    expect(errorCode(() => implFor('map.argminN', [ints, T.int])(x, -1))).toBe(26171);
  });

  it('the LT variants use the given ordering', () => {
    const byAbs = (p: unknown, q: unknown) => Math.abs(p as number) < Math.abs(q as number);
    const y = m({ a: -5, b: 4, c: 5 });
    expect(implFor('map.argmaxLT', [ints, T.fcn([T.int, T.int], T.boolean)])(y, byAbs)).toBe('a');
    expect(implFor('map.argminLT', [ints, T.fcn([T.int, T.int], T.boolean)])(y, lt)).toBe('a');
    expect(implFor('map.argmaxNLT', [ints, T.int, T.fcn([T.int, T.int], T.boolean)])(y, 2, byAbs)).toEqual(['a', 'c']);
    expect(implFor('map.argminNLT', [ints, T.int, T.fcn([T.int, T.int], T.boolean)])(y, 2, byAbs)).toEqual(['b', 'a']);
    expect(errorCode(() => implFor('map.argmaxLT', [ints, T.fcn([], T.boolean)])(new Map(), lt))).toBe(26140);
    expect(errorCode(() => implFor('map.argminLT', [ints, T.fcn([], T.boolean)])(new Map(), lt))).toBe(26150);
    expect(errorCode(() => implFor('map.argmaxNLT', [ints, T.int, T.fcn([], T.boolean)])(y, -2, lt))).toBe(26181);
    expect(errorCode(() => implFor('map.argminNLT', [ints, T.int, T.fcn([], T.boolean)])(new Map(), 1, lt))).toBe(26190);
  });

  it('orders union values by branch, then value', () => {
    const u = T.map(T.union([T.null, T.double]));
    expect(implFor('map.argmax', [u])(m({ a: null, b: -1 }))).toBe('b');
    expect(implFor('map.argmin', [u])(m({ a: null, b: -1 }))).toBe('a');
  });
});

describe('map sets', () => {
  it('toset keys items by base64 Avro binary, as Titus does', () => {
    expect(implFor('map.toset', [T.array(T.int)])([1, -1, 1])).toEqual(
      new Map([
        ['Ag==', 1],
        ['AQ==', -1],
      ]),
    );
    expect(implFor('map.toset', [T.array(T.array(T.string))])([[''], ['o', 'hello']])).toEqual(
      new Map([
        ['AgAA', ['']],
        ['BAJvCmhlbGxvAA==', ['o', 'hello']],
      ]),
    );
    const nd = T.union([T.null, T.double]);
    expect(implFor('map.toset', [T.array(nd)])([null, 1e-5])).toEqual(
      new Map([
        ['AA==', null],
        ['AvFo44i1+OQ+', 1e-5],
      ]),
    );
  });

  it('encodes longs, floats, records, enums, fixed and maps', () => {
    const toset = (t: Parameters<typeof T.array>[0], x: unknown) => [...implFor('map.toset', [T.array(t)])([x]).keys()][0];
    expect(toset(T.long, -(2n ** 63n))).toBe('////////////AQ==');
    expect(toset(T.float, 1.5)).toBe('AADAPw==');
    expect(toset(T.boolean, true)).toBe('AQ==');
    expect(toset(Rec, { x: 1, y: 'a' })).toBe('AgJh');
    expect(toset({ kind: 'enum', name: 'E', fullName: 'E', symbols: ['p', 'q'] }, 'q')).toBe('Ag==');
    expect(toset({ kind: 'fixed', name: 'F', fullName: 'F', size: 2 }, new Uint8Array([1, 2]))).toBe('AQI=');
    expect(toset(T.map(T.int), m({ a: 1 }))).toBe('AgJhAgA=');
    expect(toset(T.bytes, new Uint8Array([255]))).toBe('Av8=');
  });

  it('fromset and in', () => {
    const s = implFor('map.toset', [T.array(T.string)])(['a', 'b']);
    expect(implFor('map.fromset', [T.map(T.string)])(s)).toEqual(['a', 'b']);
    expect(implFor('map.in', [T.map(T.string), T.string])(s, 'b')).toBe(true);
    expect(implFor('map.in', [T.map(T.string), T.string])(s, 'c')).toBe(false);
  });

  it('union, intersection, diff, symdiff, subset and disjoint look at keys', () => {
    const a = m({ p: 1, q: 2 });
    const b = m({ q: 20, r: 30 });
    expect(implFor('map.union', [ints, ints])(a, b)).toEqual(m({ p: 1, q: 20, r: 30 }));
    expect(implFor('map.intersection', [ints, ints])(a, b)).toEqual(m({ q: 2 }));
    expect(implFor('map.diff', [ints, ints])(a, b)).toEqual(m({ p: 1 }));
    expect(implFor('map.symdiff', [ints, ints])(a, b)).toEqual(m({ p: 1, r: 30 }));
    expect(implFor('map.subset', [ints, ints])(m({ q: 0 }), a)).toBe(true);
    expect(implFor('map.subset', [ints, ints])(a, b)).toBe(false);
    expect(implFor('map.subset', [ints, ints])(new Map(), b)).toBe(true);
    expect(implFor('map.disjoint', [ints, ints])(a, b)).toBe(false);
    expect(implFor('map.disjoint', [ints, ints])(a, m({ z: 1 }))).toBe(true);
  });
});

describe('map functional programming', () => {
  const x = m({ a: 1, b: 2, c: 3 });

  it('map, mapWithKey, filter, filterWithKey', () => {
    expect(implFor('map.map', [ints, T.fcn([T.int], T.int)])(x, (v: number) => v * 10)).toEqual(m({ a: 10, b: 20, c: 30 }));
    expect(implFor('map.mapWithKey', [ints, T.fcn([T.string, T.int], T.string)])(x, (k: string, v: number) => k + v)).toEqual(
      m({ a: 'a1', b: 'b2', c: 'c3' }),
    );
    expect(implFor('map.filter', [ints, T.fcn([T.int], T.boolean)])(x, (v: number) => v !== 2)).toEqual(m({ a: 1, c: 3 }));
    expect(implFor('map.filterWithKey', [ints, T.fcn([T.string, T.int], T.boolean)])(x, (k: string) => k === 'b')).toEqual(m({ b: 2 }));
  });

  it('filterMap drops null results', () => {
    const odd = (v: number) => (v % 2 ? v * 100 : null);
    expect(implFor('map.filterMap', [ints, T.fcn([T.int], T.union([T.int, T.null]))])(x, odd)).toEqual(m({ a: 100, c: 300 }));
    const keyed = (k: string, v: number) => (k === 'a' ? null : `${k}${v}`);
    expect(implFor('map.filterMapWithKey', [ints, T.fcn([T.string, T.int], T.union([T.string, T.null]))])(x, keyed)).toEqual(
      m({ b: 'b2', c: 'c3' }),
    );
  });

  it('flatMap overlays the results in order', () => {
    const spread = (v: number) => m({ [`k${v}`]: v, shared: v });
    expect(implFor('map.flatMap', [ints, T.fcn([T.int], ints)])(x, spread)).toEqual(m({ k1: 1, shared: 3, k2: 2, k3: 3 }));
    const keyed = (k: string, v: number) => m({ [k + k]: v });
    expect(implFor('map.flatMapWithKey', [ints, T.fcn([T.string, T.int], ints)])(x, keyed)).toEqual(m({ aa: 1, bb: 2, cc: 3 }));
  });

  it('zipmap needs equal key sets, in any order', () => {
    const zip = implFor('map.zipmap', [ints, ints, T.fcn([T.int, T.int], T.int)]);
    expect(zip(x, m({ c: 30, b: 20, a: 10 }), (p: number, q: number) => p + q)).toEqual(m({ a: 11, b: 22, c: 33 }));
    expect(errorCode(() => zip(x, m({ a: 1, b: 2 }), lt))).toBe(26370);
    expect(errorCode(() => zip(x, m({ a: 1, b: 2, d: 4 }), lt))).toBe(26370);
    const zip4 = implFor('map.zipmap', [ints, ints, ints, ints, T.fcn([T.int, T.int, T.int, T.int], T.int)], 2);
    expect(zip4(x, x, x, x, (p: number, q: number, r: number, s: number) => p + q + r + s)).toEqual(m({ a: 4, b: 8, c: 12 }));
    const withKey = implFor('map.zipmapWithKey', [ints, ints, ints, T.fcn([T.string, T.int, T.int, T.int], T.string)], 1);
    expect(withKey(x, x, x, (k: string, p: number, q: number, r: number) => `${k}${p + q + r}`)).toEqual(m({ a: 'a3', b: 'b6', c: 'c9' }));
    expect(errorCode(() => withKey(x, x, m({}), lt))).toBe(26380);
  });

  it('corresponds and correspondsWithKey', () => {
    const eq = (p: number, q: number) => p === q;
    const corr = implFor('map.corresponds', [ints, ints, T.fcn([T.int, T.int], T.boolean)]);
    expect(corr(x, m({ c: 3, a: 1, b: 2 }), eq)).toBe(true);
    expect(corr(x, m({ a: 1, b: 2, c: 4 }), eq)).toBe(false);
    expect(corr(x, m({ a: 1, b: 2 }), () => true)).toBe(false);
    expect(corr(new Map(), new Map(), () => false)).toBe(true);
    const withKey = implFor('map.correspondsWithKey', [ints, ints, T.fcn([T.string, T.int, T.int], T.boolean)]);
    expect(withKey(x, x, (k: string, p: number) => k !== 'b' || p === 2)).toBe(true);
  });
});

describe('map through the engine', () => {
  const intMap = { type: 'map', values: 'int' };
  const run = (action: unknown, input: unknown, output: unknown = intMap, inputType: unknown = intMap) =>
    loadPfa({ input: inputType, output, action }).action(input);

  it('keeps prototype-like keys of the input as ordinary keys', () => {
    const x = new Map([
      ['__proto__', 1],
      ['constructor', 2],
      ['hasOwnProperty', 3],
    ]);
    expect(run({ 'map.len': ['input'] }, x, 'int')).toBe(3);
    expect(run({ 'map.remove': ['input', { string: 'constructor' }] }, x)).toEqual(
      new Map([
        ['__proto__', 1],
        ['hasOwnProperty', 3],
      ]),
    );
    expect(run({ 'map.argmax': ['input'] }, x, 'string')).toBe('hasOwnProperty');
  });

  it('passes functions to the higher-order functions', () => {
    const double = { params: [{ v: 'int' }], ret: 'int', do: { '*': ['v', 2] } };
    expect(run({ 'map.map': ['input', double] }, m({ a: 1, b: 2 }))).toEqual(m({ a: 2, b: 4 }));
    const absLess = { params: [{ p: 'int' }, { q: 'int' }], ret: 'boolean', do: { '<': [{ 'm.abs': 'p' }, { 'm.abs': 'q' }] } };
    expect(run({ 'map.argmaxNLT': ['input', 2, absLess] }, m({ a: -5, b: 4, c: 5 }), { type: 'array', items: 'string' })).toEqual([
      'a',
      'c',
    ]);
  });

  it('selects the key or the predicate form of containsKey', () => {
    expect(run({ 'map.containsKey': ['input', { string: 'b' }] }, m({ b: 1 }), 'boolean')).toBe(true);
    const isLong = { params: [{ k: 'string' }], ret: 'boolean', do: { '>': [{ 's.len': 'k' }, 3] } };
    expect(run({ 'map.containsKey': ['input', isLong] }, m({ b: 1 }), 'boolean')).toBe(false);
  });

  it('builds and queries sets', () => {
    const ints = { type: 'array', items: 'int' };
    expect(run({ 'map.toset': ['input'] }, [5, 5, -100], intMap, ints)).toEqual(
      new Map([
        ['Cg==', 5],
        ['xwE=', -100],
      ]),
    );
    expect(run({ 'map.in': [{ 'map.toset': ['input'] }, 7] }, [5, 7], 'boolean', ints)).toBe(true);
  });

  it('raises the specified errors', () => {
    expect(errorCode(() => run({ 'map.argmin': ['input'] }, new Map(), 'string'))).toBe(26130);
    const add = { params: [{ p: 'int' }, { q: 'int' }], ret: 'int', do: { '+': ['p', 'q'] } };
    expect(errorCode(() => run({ 'map.zipmap': ['input', { type: intMap, value: {} }, add] }, m({ a: 1 })))).toBe(26370);
  });
});
