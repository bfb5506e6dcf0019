/**
 * The one-pass conversions of plain records of scalar fields (plain-records.ts) against the two
 * general steps they stand in for: on random record types and random plain values, the reader
 * either gives the general path's runtime value or leaves the record to it (NOT_PLAIN), and the
 * writer gives the general path's plain result. Then through PfaModel, values and errors.
 */
import { describe, expect, it } from 'vitest';
import { fromJson, toJson } from '../../src/avro/json.js';
import { fromPlainJson, toPlainJson } from '../../src/avro/plain-json.js';
import { NOT_PLAIN, plainInputReader, plainResultWriter } from '../../src/avro/plain-records.js';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import type { AvroType } from '../../src/avro/types.js';
import { loadModel } from '../../src/index.js';
import type { PfaModel } from '../../src/model.js';
import { Rng } from '../helpers/random.js';

const KINDS = ['null', 'boolean', 'int', 'long', 'float', 'double', 'string'] as const;

const DEFAULTS: Record<(typeof KINDS)[number], unknown> = {
  null: null,
  boolean: false,
  int: 1,
  long: 2,
  float: 0.5,
  double: 1.5,
  string: 's',
};

/** A record type of scalar fields, nullable or not, some with defaults (a union's default is of its first branch). */
function randomSchema(r: Rng, n: number): Record<string, unknown> {
  const fields = Array.from({ length: r.int(1, 5) }, (_, i) => {
    const kind = r.pick(KINDS);
    const nullable = kind !== 'null' && r.chance(0.5);
    const type = nullable ? (r.chance(0.5) ? ['null', kind] : [kind, 'null']) : kind;
    const field: Record<string, unknown> = { name: r.pick(['a', 'b', 'toString', 'x_1', 'valueOf']) + i, type };
    if (r.chance(0.2)) field.default = nullable && (type as string[])[0] === 'null' ? null : DEFAULTS[kind];
    return field;
  });
  return { type: 'record', name: `R${n}`, fields };
}

const VALUES: readonly unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  -0,
  1,
  -7,
  2.5,
  0.1,
  2 ** 31,
  -(2 ** 31),
  2 ** 53 + 2,
  1e300,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  'text',
  '12',
  5n,
  [1],
  { double: 1.5 },
  { string: 'x' },
  {},
];

/** A plain value that fits the field's kind most of the time, anything else otherwise. */
function valueFor(r: Rng, kind: string): unknown {
  if (r.chance(0.35)) return r.pick(VALUES);
  switch (kind) {
    case 'boolean':
      return r.chance(0.5);
    case 'int':
    case 'long':
      return r.int(-1000, 1000);
    case 'float':
    case 'double':
      return r.int(-1000, 1000) / 8;
    case 'string':
      return r.pick(['', 'a', 'é', 'two words']);
    default:
      return null;
  }
}

/** A record for the type: its fields (some left out, some undefined), sometimes an extra one, sometimes not a plain object. */
function randomRecord(r: Rng, t: AvroType): unknown {
  if (t.kind !== 'record') throw new Error('a record type');
  const out: Record<string, unknown> = r.chance(0.1) ? Object.create(null) : {};
  for (const f of t.fields) {
    if (r.chance(0.12)) continue;
    const kind = f.type.kind === 'union' ? f.type.types.find((b) => b.kind !== 'null')!.kind : f.type.kind;
    out[f.name] = valueFor(r, kind);
  }
  if (r.chance(0.1)) out.extra = 1;
  if (r.chance(0.05)) return Object.assign(Object.create({ inherited: 1 }), out);
  if (r.chance(0.03)) return r.pick([null, 3, 'x', [out]]);
  return out;
}

/** The general path: absent nullable fields without a default as null, union tags added, then read with defaults. */
function generalRead(t: AvroType, record: unknown): unknown {
  let filled = record;
  if (t.kind === 'record' && typeof record === 'object' && record !== null && !Array.isArray(record)) {
    const copy: Record<string, unknown> = { ...(record as object) };
    for (const f of t.fields) {
      const nullable = f.type.kind === 'null' || (f.type.kind === 'union' && f.type.types.some((b) => b.kind === 'null'));
      if (nullable && !f.hasDefault && !Object.hasOwn(record, f.name)) copy[f.name] = null;
    }
    filled = Object.getPrototypeOf(record) === Object.prototype || Object.getPrototypeOf(record) === null ? copy : record;
  }
  return fromJson(t, fromPlainJson(t, filled), { useDefaults: true });
}

function outcome(run: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: run() };
  } catch (e) {
    return { error: String(e) };
  }
}

describe.each([
  ['as closures', false],
  ['as generated source', true],
] as const)('plain records of scalar fields in one pass, %s', (_, generate) => {
  it('read what the general path reads, or leave the record to it', () => {
    const r = new Rng(20261207);
    const counts = { fast: 0, left: 0, written: 0 };
    for (let n = 0; n < 300; n++) {
      const t = parseSchema(randomSchema(r, n), new NameRegistry());
      const read = plainInputReader(t, generate)!;
      const write = plainResultWriter(t, generate)!;
      expect(read).toBeDefined();
      for (let k = 0; k < 20; k++) {
        const record = randomRecord(r, t);
        const fast = read(record);
        const general = outcome(() => generalRead(t, record));
        if (fast === NOT_PLAIN) {
          counts.left++;
          continue;
        }
        counts.fast++;
        // Values compare with Object.is, so -0, NaN, float rounding and bigints must agree exactly.
        expect(general).toStrictEqual({ value: fast });
        expect(Object.keys(fast as object)).toEqual(t.kind === 'record' ? t.fields.map((f) => f.name) : []);
        const written = write(fast);
        expect(written).toStrictEqual(toPlainJson(t, toJson(t, fast)));
        counts.written++;
      }
    }
    // Both ways were taken often.
    expect(counts.fast).toBeGreaterThan(600);
    expect(counts.left).toBeGreaterThan(600);
  });

  it('read arrays of scalars as the general path does, or leave them to it, and write them back', () => {
    const r = new Rng(20261208);
    const counts = { fast: 0, left: 0 };
    for (const kind of KINDS.filter((k) => k !== 'null')) {
      const t = parseSchema({ type: 'array', items: kind }, new NameRegistry());
      const read = plainInputReader(t, generate)!;
      const write = plainResultWriter(t, generate)!;
      for (let k = 0; k < 200; k++) {
        const v: unknown = r.chance(0.05)
          ? r.pick([null, 3, 'x', { 0: 1 }, new Array(2), [undefined, 1]])
          : Array.from({ length: r.int(0, 6) }, () => valueFor(r, kind));
        const fast = read(v);
        if (fast === NOT_PLAIN) {
          counts.left++;
          continue;
        }
        counts.fast++;
        expect(fast).not.toBe(v);
        expect(outcome(() => generalRead(t, v))).toStrictEqual({ value: fast });
        expect(write(fast)).toStrictEqual(toPlainJson(t, toJson(t, fast)));
      }
    }
    expect(counts.fast).toBeGreaterThan(100);
    expect(counts.left).toBeGreaterThan(100);
  });

  it('are only for records of scalar fields, and results of scalar types', () => {
    const parse = (s: unknown) => parseSchema(s, new NameRegistry());
    const record = (name: string, type: unknown) => parse({ type: 'record', name, fields: [{ name: 'x', type }] });
    expect(plainInputReader(record('A', { type: 'array', items: 'int' }), generate)).toBeUndefined();
    expect(plainInputReader(record('B', ['null', 'int', 'string']), generate)).toBeUndefined();
    expect(plainInputReader(parse({ type: 'record', name: 'C', fields: [{ name: '__proto__', type: 'int' }] }), generate)).toBeUndefined();
    expect(plainInputReader(parse('double'), generate)).toBeUndefined();
    expect(plainResultWriter(parse(['null', 'long']), generate)!(2n ** 60n)).toBe(2n ** 60n);
    expect(plainResultWriter(parse('long'), generate)!(5n)).toBe(5);
    expect(plainResultWriter(record('D', 'long'), generate)!({ x: 2n ** 60n })).toStrictEqual({ x: 2n ** 60n });
    expect(plainResultWriter(parse({ type: 'map', values: 'int' }), generate)).toBeUndefined();
    // Field names that are words of JavaScript are fields like any other; one of Object.prototype's
    // left out reads as its inherited function, and the record is left to the general path.
    const words = parse({
      type: 'record',
      name: 'E',
      fields: ['class', 'constructor', 'toString'].map((name) => ({ name, type: ['null', 'int'] })),
    });
    const read = plainInputReader(words, generate)!;
    expect(read({ class: 1, constructor: null, toString: 2 })).toStrictEqual({ class: 1, constructor: null, toString: 2 });
    expect(read({ class: 1, constructor: 3 })).toBe(NOT_PLAIN);
    expect(read(Object.assign(Object.create(null), { class: 1 }))).toStrictEqual({ class: 1, constructor: null, toString: null });
  });
});

describe.each(['specialized', 'closures'] as const)('PfaModel with one-pass records (%s backend)', (backend) => {
  const doc = {
    input: {
      type: 'record',
      name: 'In',
      fields: [
        { name: 'x', type: 'double' },
        { name: 'n', type: ['null', 'long'] },
        { name: 'f', type: 'float', default: 0.25 },
        { name: 's', type: ['string', 'null'] },
      ],
    },
    output: {
      type: 'record',
      name: 'Out',
      fields: [
        { name: 'y', type: 'double' },
        { name: 'n', type: ['null', 'long'] },
        { name: 'f', type: 'float' },
        { name: 's', type: ['null', 'string'] },
      ],
    },
    action: { new: { y: { '*': ['input.x', 2] }, n: 'input.n', f: 'input.f', s: 'input.s' }, type: 'Out' },
  };

  it('scores plain records as the general path does, values and errors', () => {
    const model = loadModel(doc, { backend });
    const rows: unknown[] = [
      { x: 1.5, n: 3, f: 0.1, s: 'a' },
      { x: -0, n: null, f: 1, s: null },
      { x: 2 },
      { x: 2, n: 2 ** 53 + 2 },
      { x: 2, n: { long: 7 }, s: { string: 'tagged' } },
      { x: 'two' },
      { x: 1, n: 1.5 },
      { x: 1, f: undefined },
      { n: 1 },
    ];
    for (const row of rows) {
      const general = outcome(() => {
        const input = generalRead(model.inputType, row);
        const out = model.engine.action(input);
        return toPlainJson(model.outputType, model.engine.toJson(out));
      });
      const got = outcome(() => model.score(row as Record<string, unknown>));
      expect(got, JSON.stringify(row)).toStrictEqual(general);
    }
    expect(model.score({ x: 1.5, n: 3, f: 0.1, s: 'a' })).toStrictEqual({ y: 3, n: 3, f: Math.fround(0.1), s: 'a' });
  });

  it('scores plain records to the wire encoding as scoreWire does after adding their tags, values and errors', () => {
    const model = loadModel(doc, { backend }) as PfaModel;
    const r = new Rng(20261209);
    let scored = 0;
    for (let k = 0; k < 400; k++) {
      const row = randomRecord(r, model.inputType);
      const want = outcome(() => model.scoreWire(fromPlainJson(model.inputType, row)));
      const got = outcome(() => model.scorePlainWire(row));
      expect(got, String(k)).toStrictEqual(want);
      if ('value' in want) scored++;
    }
    expect(scored).toBeGreaterThan(60);
  });
});
