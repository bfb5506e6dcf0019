import { describe, expect, it } from 'vitest';
import { fits } from '../../src/avro/fits.js';
import { fromJson } from '../../src/avro/json.js';
import { validator } from '../../src/avro/validate.js';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import { isValueOf } from '../../src/avro/values.js';

const type = (json: unknown) => parseSchema(json, new NameRegistry());

/** The generated predicate must give the generic answer on every value. */
function agreesWithIsValueOf(json: unknown, values: unknown[]): void {
  const t = type(json);
  const generated = fits(t);
  for (const v of values) expect([v, generated(v)]).toEqual([v, isValueOf(t, v)]);
}

const SAMPLES: unknown[] = [
  null,
  true,
  0,
  1.5,
  -3,
  2 ** 31,
  2n ** 62n,
  2n ** 63n,
  's',
  'b',
  new Uint8Array(2),
  [],
  [1, 2],
  [1, 'x'],
  new Map([['a', 1]]),
  {},
  { x: 1 },
];

describe('fits (generated input predicate)', () => {
  it('answers as isValueOf for every primitive type', () => {
    for (const p of ['null', 'boolean', 'int', 'long', 'float', 'double', 'string', 'bytes']) agreesWithIsValueOf(p, SAMPLES);
  });

  it('answers as isValueOf for arrays, maps, enums, fixed and unions', () => {
    agreesWithIsValueOf({ type: 'array', items: 'double' }, [...SAMPLES, [[1]], [1.5, NaN, Infinity]]);
    agreesWithIsValueOf({ type: 'array', items: { type: 'array', items: 'int' } }, [[[1], []], [[1.5]], [1]]);
    agreesWithIsValueOf({ type: 'map', values: 'string' }, [
      ...SAMPLES,
      new Map([['a', 'b']]),
      new Map<string, unknown>([
        ['a', 'b'],
        ['c', 1],
      ]),
    ]);
    agreesWithIsValueOf({ type: 'enum', name: 'E', symbols: ['a', 'b'] }, SAMPLES);
    agreesWithIsValueOf({ type: 'fixed', name: 'F', size: 2 }, [...SAMPLES, new Uint8Array(3)]);
    agreesWithIsValueOf(['null', 'int', { type: 'array', items: 'string' }], [...SAMPLES, ['a']]);
  });

  it('answers as isValueOf for records, nested and recursive ones included', () => {
    const tree = {
      type: 'record',
      name: 'Node',
      fields: [
        { name: 'v', type: 'double' },
        { name: 'next', type: ['null', 'Node'] },
        { name: 'tags', type: { type: 'array', items: 'string' } },
      ],
    };
    agreesWithIsValueOf(tree, [
      ...SAMPLES,
      { v: 1, next: null, tags: [] },
      { v: 1, next: { v: 2, next: null, tags: ['a'] }, tags: ['b'] },
      { v: 1, next: { v: '2', next: null, tags: [] }, tags: [] },
      { v: 1, tags: [] },
      { v: 1, next: null, tags: [1] },
      { v: 1, next: null, tags: [], extra: 'ignored' },
    ]);
  });

  it('tells a missing field from a null or union one with hasOwn', () => {
    const t = type({ type: 'record', name: 'R', fields: [{ name: 'u', type: ['null', 'double'] }] });
    expect(fits(t)({ u: null })).toBe(true);
    expect(fits(t)({})).toBe(false);
  });

  it("reads a field named __proto__ as the record's own field", () => {
    const t = type({ type: 'record', name: 'P', fields: [{ name: '__proto__', type: 'int' }] });
    const own = Object.defineProperty({}, '__proto__', { value: 3, enumerable: true });
    expect(fits(t)(own)).toBe(isValueOf(t, own));
    expect(fits(t)({})).toBe(false);
  });

  it('counts only own fields: an inherited field is missing, as for the closure validator', () => {
    const t = type({
      type: 'record',
      name: 'I',
      fields: [
        { name: 'x', type: 'double' },
        { name: 'u', type: ['null', 'int'] },
      ],
    });
    const inherited = Object.create({ x: 1, u: null }) as object;
    const half = Object.assign(Object.create({ u: null }) as object, { x: 1 });
    const own = Object.assign(Object.create({ x: 'shadowed' }) as object, { x: 2, u: 3 });
    const noProto = Object.assign(Object.create(null) as object, { x: 1, u: null });
    for (const v of [inherited, half, own, noProto]) expect([v, fits(t)(v)]).toEqual([v, validator(t)(v) === undefined]);
    expect([fits(t)(inherited), fits(t)(half), fits(t)(own), fits(t)(noProto)]).toEqual([false, false, true, true]);
  });

  it('does not read fields named like properties of Object.prototype from the prototype', () => {
    const t = type({
      type: 'record',
      name: 'O',
      fields: [
        { name: 'constructor', type: 'double' },
        { name: 'toString', type: ['null', { type: 'record', name: 'E', fields: [] }] },
      ],
    });
    expect(fits(t)({})).toBe(false);
    expect(fits(t)({ constructor: 1 })).toBe(false);
    expect(fits(t)({ constructor: 1, toString: null })).toBe(true);
    expect(fits(t)({ constructor: 1, toString: {} })).toBe(true);
    const e = type({ type: 'record', name: 'P', fields: [{ name: '__proto__', type: { type: 'record', name: 'Empty', fields: [] } }] });
    // A plain read of `__proto__` would find Object.prototype, an object that fits the empty record.
    expect(fits(e)({})).toBe(false);
    expect(fits(e)(JSON.parse('{"__proto__": {}}'))).toBe(true);
  });

  it('refuses arrays, Maps and bytes carrying the fields, and values nested past the limit', () => {
    const t = type({ type: 'record', name: 'A', fields: [{ name: 'length', type: 'int' }] });
    expect(fits(t)([])).toBe(false);
    expect(fits(t)(Object.assign(new Map(), { length: 1 }))).toBe(false);
    expect(fits(t)(new Uint8Array(1))).toBe(false);
    expect(fits(t)({ length: 1 })).toBe(true);
    const list = type({ type: 'record', name: 'L', fields: [{ name: 'next', type: ['null', 'L'] }] });
    let deep: unknown = null;
    for (let i = 0; i < 1000; i++) deep = { next: deep };
    expect(fits(list)(deep)).toBe(true);
    expect(fits(list)({ next: deep })).toBe(false);
    expect(validator(list)({ next: deep })).toMatch(/deeper than 1000 levels/);
  });
});

describe("fits in Avro's JSON encoding", () => {
  /** Whether fromJson reads the JSON value, defaults filled in. */
  const reads = (t: ReturnType<typeof type>, json: unknown): boolean => {
    try {
      fromJson(t, json, { useDefaults: true });
      return true;
    } catch {
      return false;
    }
  };
  const agrees = (json: unknown, values: unknown[]) => {
    const t = type(json);
    const ok = fits(t, 'json');
    const problem = validator(t, 'json');
    for (const v of values) expect([v, ok(v), problem(v) === undefined]).toEqual([v, reads(t, v), reads(t, v)]);
  };

  it('accepts what fromJson reads: longs as digit strings, non-finite doubles by name, latin1 bytes', () => {
    agrees('long', [
      1,
      1.5,
      '12',
      '-12',
      '1x',
      2 ** 63,
      -(2 ** 63),
      '9223372036854775807',
      '9223372036854775808',
      2n ** 62n,
      2n ** 63n,
      null,
    ]);
    agrees('int', [1, 2 ** 31, -(2 ** 31), 3n, 2n ** 40n, 1.5, NaN, '1']);
    agrees('double', [1.5, NaN, Infinity, 'NaN', '-inf', 'nan', 'x', 3n, null]);
    // Only the names of non-finite values, not the names a plain object inherits.
    agrees('double', ['toString', '__proto__', 'constructor']);
    for (const name of ['toString', '__proto__', 'constructor'])
      expect([name, fits(type('double'), 'json')(name), validator(type('double'), 'json')(name)]).toEqual([
        name,
        false,
        `/: must be double, got a string`,
      ]);
    agrees('bytes', ['abc', '\u00ff', '\u0100', 1]);
    agrees({ type: 'fixed', name: 'F', size: 2 }, ['ab', 'a', 'abc', '\u0100a']);
    agrees({ type: 'enum', name: 'E', symbols: ['a', 'b'] }, ['a', 'c', 'toString']);
    agrees({ type: 'map', values: 'int' }, [{}, { a: 1 }, { a: 'x' }, [], new Map(), JSON.parse('{"__proto__": 1}')]);
  });

  it('reads unions tagged, and records with their defaults optional', () => {
    agrees(
      [
        'null',
        'double',
        {
          type: 'record',
          name: 'R',
          fields: [
            { name: 'a', type: 'int' },
            { name: 'b', type: 'string', default: 'x' },
          ],
        },
      ],
      [
        null,
        1.5,
        { double: 1.5 },
        { double: 'x' },
        { null: null },
        { R: { a: 1 } },
        { R: { a: 1, b: 2 } },
        { R: {} },
        { double: 1, R: { a: 1 } },
        {},
      ],
    );
  });
});
