/**
 * `fromJson` reads with a reader built once per type; `fromJsonPlain` walks the type at every
 * value. They must agree on every value: the same result, or the same error (message, path, code).
 * So must `fromOwnJson`, which reads a JSON tree of the caller's own in place, and `fromJson`.
 * Values here are generated at random (fixed seed) for recursive and nested types, then broken in
 * one place.
 */
import { describe, expect, it } from 'vitest';
import { JsonValueError, fromJson, fromJsonPlain, fromOwnJson, type JsonOptions } from '../../src/avro/json.js';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import type { AvroType } from '../../src/avro/types.js';

/** A small deterministic generator (an LCG), so that failures repeat. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

const names = new NameRegistry();
const TREE = parseSchema(
  {
    type: 'record',
    name: 'Node',
    fields: [
      { name: 'field', type: { type: 'enum', name: 'F', symbols: ['a', 'b'] } },
      { name: 'value', type: ['double', 'string', { type: 'array', items: 'double' }] },
      { name: 'weight', type: 'float', default: 1.5 },
      { name: 'pass', type: ['double', 'Node'] },
      { name: 'fail', type: ['double', 'Node'] },
      { name: 'meta', type: ['null', { type: 'map', values: 'long' }], default: null },
    ],
  },
  names,
);
const FLAT = parseSchema(
  {
    type: 'array',
    items: {
      type: 'record',
      name: 'Row',
      fields: [
        { name: 'id', type: 'int' },
        { name: 'b', type: 'bytes' },
        { name: 'k', type: { type: 'fixed', name: 'K', size: 2 } },
        { name: 'ok', type: 'boolean' },
        { name: '__proto__', type: 'string' },
      ],
    },
  },
  names,
);

function tree(r: ReturnType<typeof random>, depth: number): unknown {
  const branch = () => (depth === 0 || r.next() < 0.3 ? { double: r.next() } : { Node: tree(r, depth - 1) });
  const value = r.pick([{ double: r.next() }, { string: 'x' }, { array: [1, 2.5] }]);
  const node: Record<string, unknown> = { field: r.pick(['a', 'b']), value, pass: branch(), fail: branch() };
  if (r.next() < 0.5) node.weight = r.pick([2, 'NaN', 'inf', 0.1]);
  if (r.next() < 0.3) node.meta = r.pick([null, { map: { x: 1, y: '12345678901234567890' } }]);
  return node;
}

function rows(r: ReturnType<typeof random>): unknown {
  return Array.from(
    { length: 1 + r.int(4) },
    (_, i) => JSON.parse(`{"id": ${i}, "b": "\\u0001\\u00ff", "k": "ab", "ok": true, "__proto__": "p"}`) as unknown,
  );
}

const BREAKS: unknown[] = [
  null,
  'zz',
  1.5,
  2 ** 40,
  [],
  {},
  { double: 1, string: 'x' },
  { Node: 1 },
  { nope: 1 },
  '\u0100',
  'abc',
  true,
  'inf',
];

/** The value with one member somewhere inside replaced (or deleted when `replacement` is undefined). */
function broken(r: ReturnType<typeof random>, value: unknown): unknown {
  const copy = structuredClone(value);
  let at: unknown = copy;
  for (;;) {
    if (typeof at !== 'object' || at === null) return copy;
    const holder = at as Record<string, unknown>;
    const keys = Object.keys(holder);
    if (keys.length === 0) return copy;
    const key = r.pick(keys);
    const inner = holder[key];
    if (typeof inner !== 'object' || inner === null || r.next() < 0.25) {
      if (r.next() < 0.15) delete holder[key];
      else holder[key] = r.pick(BREAKS);
      return copy;
    }
    at = inner;
  }
}

function outcome(read: () => unknown): unknown {
  try {
    return { value: read() };
  } catch (e) {
    expect(e).toBeInstanceOf(JsonValueError);
    const err = e as JsonValueError;
    return { message: err.message, path: err.path, code: err.code };
  }
}

/** Text of a value with its members in order (records keep the fields' order), bigints written as digits. */
const ordered = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** A JSON tree of the value's own enumerable members, as JSON.parse makes them (undefined stays undefined). */
const jsonTree = (x: unknown): unknown => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));

function expectAgree(t: AvroType, json: unknown, options: JsonOptions = {}): unknown {
  const fast = outcome(() => fromJson(t, json, options, '/at'));
  const plain = outcome(() => fromJsonPlain(t, json, options, '/at'));
  expect(fast).toEqual(plain);
  expect(ordered(fast)).toBe(ordered(plain));
  const copied = outcome(() => fromJson(t, jsonTree(json), options, '/at'));
  const inPlace = outcome(() => fromOwnJson(t, jsonTree(json), options, '/at'));
  expect(inPlace).toEqual(copied);
  expect(ordered(inPlace)).toBe(ordered(copied));
  return fast;
}

describe('fromJson by type readers and by the plain walk', () => {
  it('agree on valid and broken recursive values, with and without defaults', () => {
    const r = random(7);
    let errors = 0;
    for (let i = 0; i < 300; i++) {
      const value = tree(r, 1 + r.int(6));
      for (const options of [{}, { useDefaults: true }, { useDefaults: true, maxDepth: 6 }] as JsonOptions[]) {
        expectAgree(TREE, value, options);
        if ('message' in (expectAgree(TREE, broken(r, value), options) as object)) errors++;
      }
    }
    expect(errors).toBeGreaterThan(300);
  });

  it('agree on records of bytes, fixed and a field named __proto__, latin1 and base64', () => {
    const r = random(11);
    for (let i = 0; i < 200; i++) {
      const value = rows(r);
      expect(expectAgree(FLAT, value)).toHaveProperty('value');
      expectAgree(FLAT, broken(r, value));
      expectAgree(FLAT, value, { bytes: 'base64' });
    }
  });

  it('agree whatever order, number and kind of members a record has: extra, missing, inherited, numeric names', () => {
    const r = random(13);
    // Objects whose prototype has enumerable members: for-in meets those after the object's own.
    const inheriting = (proto: Record<string, unknown>, own: Record<string, unknown>) => Object.assign(Object.create(proto) as object, own);
    for (let i = 0; i < 200; i++) {
      const node = tree(r, 0) as Record<string, unknown>;
      const inOrder = { field: node.field, value: node.value, weight: 2, pass: node.pass, fail: node.fail, meta: null };
      const variants: unknown[] = [
        inOrder,
        { ...inOrder, extra: 1 },
        { 0: 'n', ...inOrder },
        { field: node.field, value: node.value, weight: 2, pass: node.pass, fail: node.fail },
        { field: node.field, value: node.value, pass: node.pass, weight: 2, fail: node.fail, meta: null },
        inheriting({ meta: null }, { field: node.field, value: node.value, weight: 2, pass: node.pass, fail: node.fail }),
        inheriting({ fail: { double: 1 } }, { field: node.field, value: node.value, weight: 2, pass: node.pass }),
        inheriting({ x: 1 }, inOrder),
        { ...inOrder, pass: r.pick(BREAKS) },
        { ...inOrder, value: r.pick(BREAKS) },
        { ...inOrder, pass: { Node: { ...inOrder, fail: r.pick(BREAKS) } } },
      ];
      for (const v of variants)
        for (const options of [{}, { useDefaults: true }, { useDefaults: true, maxDepth: 1 }] as JsonOptions[])
          expectAgree(TREE, v, options);
    }
  });

  it('make records as plain objects with every field an own member, in field order, whatever order they came in', () => {
    const node = { fail: { double: 2 }, pass: { double: 1 }, value: { double: 0 }, field: 'b', weight: 3 };
    for (const json of [node, { field: 'a', value: { double: 0 }, weight: 3, pass: { double: 1 }, fail: { double: 2 }, meta: null }]) {
      const v = fromJson(TREE, json, { useDefaults: true }) as Record<string, unknown>;
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      expect(Object.keys(v)).toEqual(['field', 'value', 'weight', 'pass', 'fail', 'meta']);
      expect(v.field).toBe(json.field);
      expect(v.meta).toBeNull();
    }
  });

  it('reach a recursive type through its own reader, read once per type', () => {
    const deep = {
      field: 'a',
      value: { double: 1 },
      pass: { double: 0 },
      fail: { Node: { field: 'b', value: { string: 's' }, pass: { double: 1 }, fail: { double: 2 } } },
    };
    const v = fromJson(TREE, deep, { useDefaults: true }) as { fail: { weight: number; meta: unknown } };
    expect(v.fail.weight).toBe(1.5);
    expect(v.fail.meta).toBeNull();
    expect(() => fromJson(TREE, { ...deep, weight: 2, meta: null })).toThrow(/^missing field "weight" of Node at \/fail\/Node$/);
  });

  it('in place, make a record whose members are its fields in order of the JSON object itself, and copy any other', () => {
    const inOrder = JSON.parse(
      '{"field": "a", "value": {"double": 0}, "weight": 2, "pass": {"double": 1}, "fail": {"Node": {"field": "b", "value": {"string": "s"}, "weight": 3, "pass": {"double": 2}, "fail": {"double": 3}, "meta": null}}, "meta": null}',
    ) as Record<string, unknown>;
    const inner = (inOrder.fail as { Node: object }).Node;
    const v = fromOwnJson(TREE, inOrder) as Record<string, unknown>;
    expect(v).toBe(inOrder);
    expect(v.fail).toBe(inner);
    expect(v).toEqual({
      field: 'a',
      value: 0,
      weight: 2,
      pass: 1,
      fail: { field: 'b', value: 's', weight: 3, pass: 2, fail: 3, meta: null },
      meta: null,
    });
    // Out of order, or short of a field filled by its default: a new record, the JSON left as it was.
    for (const text of [
      '{"value": {"double": 0}, "field": "a", "weight": 2, "pass": {"double": 1}, "fail": {"double": 2}, "meta": null}',
      '{"field": "a", "value": {"double": 0}, "pass": {"double": 1}, "fail": {"double": 2}}',
    ]) {
      const json = JSON.parse(text) as object;
      const w = fromOwnJson(TREE, json, { useDefaults: true });
      expect(w).not.toBe(json);
      expect(json).toEqual(JSON.parse(text));
    }
  });
});
