/**
 * What the closure validator says of a value that does not fit, in both encodings: the message of
 * each kind of mismatch, word for word, and on random types and near misses (helpers/random-avro.ts)
 * that every pointer leads to the place that is wrong: the part of the value found by following the
 * pointer, checked against the part of the type found the same way, gets the same reason at `/`.
 */
import { describe, expect, it } from 'vitest';
import { branchName, toJson } from '../../src/avro/json.js';
import { unionTag, type Encoding } from '../../src/avro/json-values.js';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import type { AvroType } from '../../src/avro/types.js';
import { problemFinder, validator } from '../../src/avro/validate.js';
import { VALUE_DEPTH, isRecordValue } from '../../src/avro/values.js';
import { JSON_NEAR, RUNTIME_NEAR, mutate, randomTypes, tagNames, valueOfType } from '../helpers/random-avro.js';
import { seededRandom } from '../helpers/random.js';

const type = (schema: unknown) => parseSchema(schema, new NameRegistry());

const P = type({
  type: 'record',
  name: 'ns.P',
  fields: [
    { name: 'x', type: 'double' },
    { name: 'n', type: 'int', default: 0 },
    { name: 'm', type: { type: 'map', values: { type: 'array', items: 'long' } } },
    { name: 'u', type: ['null', 'string', { type: 'fixed', name: 'F', size: 2 }] },
    { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B'] } },
    { name: 'b', type: 'bytes' },
  ],
});
const okValue = () => ({ x: 1, n: 2, m: new Map([['k', [1n]]]), u: null, e: 'A', b: new Uint8Array(1) });
const okJson = () => ({ x: 1, n: 2, m: { k: [1] }, u: null, e: 'A', b: 'z' });

describe('the messages of the closure validator', () => {
  it('of runtime values: expected <type>, missing fields at the field, unions as a whole', () => {
    const check = validator(P);
    const cases: [Record<string, unknown>, string][] = [
      [{ x: 'a' }, '/x: expected double, got a string'],
      [{ n: 1.5 }, '/n: expected int, got a fractional number'],
      [{ m: { k: [1n] } }, '/m: expected a Map (use fromJson for JSON objects), got an object'],
      [{ m: new Map([['k/1', [1n, 2]]]) }, '/m/k/1/1: expected long, got a number'],
      [{ m: new Map([['k', 1n]]) }, '/m/k: expected an array, got a bigint'],
      [{ u: 3 }, '/u: a number fits no branch of the union'],
      [{ u: new Uint8Array(3) }, '/u: bytes fits no branch of the union'],
      [{ e: 'C' }, '/e: expected ns.E, got a string'],
      [{ b: [] }, '/b: expected bytes, got an array'],
    ];
    for (const [change, message] of cases) expect(check({ ...okValue(), ...change })).toBe(message);
    const { n: _, ...noN } = okValue();
    expect(check(noN)).toBe('/n: missing field of ns.P');
    expect(check([])).toBe('/: expected a record ns.P, got an array');
    expect(check(okValue())).toBeUndefined();
  });

  it('of JSON: must be <type>, escaped pointers, required properties at the record, a union at its place', () => {
    const check = validator(P, 'json');
    const cases: [Record<string, unknown>, string][] = [
      [{ x: 'a' }, '/x: must be double, got a string'],
      [{ n: '1' }, '/n: must be int, got a string'],
      [{ m: [] }, '/m: must be an object (a map), got an array'],
      [{ m: { 'k/~': [1, 'x'] } }, '/m/k~1~0/1: must be long, got a string'],
      [{ u: 'x' }, '/u: must be one of null, string, ns.F, got a string'],
      [{ u: { 'ns.F': 'abc' } }, '/u: must be ns.F (a string of 2 code points up to U+00FF), got a string'],
      [{ e: 'C' }, '/e: must be a symbol of ns.E, got a string'],
      [{ b: '\u0100' }, '/b: must be bytes (a string of code points up to U+00FF), got a string'],
    ];
    for (const [change, message] of cases) expect(check({ ...okJson(), ...change })).toBe(message);
    const { n: _n, ...noN } = okJson();
    expect(check(noN)).toBeUndefined();
    const { x: _x, ...noX } = okJson();
    expect(check(noX)).toBe("/: must have required property 'x'");
    expect(check(new Map())).toBe('/: must be an object (record ns.P), got a Map');
  });
});

/** One step down a JSON pointer: `~1` and `~0` are `/` and `~`, in JSON; runtime values' steps are their keys. */
const keyOfStep = (step: string, encoding: Encoding) => (encoding === 'json' ? step.replace(/~1/g, '/').replace(/~0/g, '~') : step);

/**
 * The part of the value and of the type a pointer leads to, or where it stopped: the record whose
 * field it names is missing. In JSON a tagged union is no step of the pointer: its branch is read
 * through the tag. A runtime value's problem never lies inside a union (the union is refused as a
 * whole), so a pointer into one is a wrong pointer.
 */
type Found = { at: AvroType; value: unknown } | { missingIn: AvroType & { kind: 'record' }; field: string };

function follow(t: AvroType, v: unknown, path: string, encoding: Encoding): Found {
  const steps = path === '/' ? [] : path.slice(1).split('/');
  let [at, value] = [t, v];
  for (const raw of steps) {
    if (at.kind === 'union') {
      if (encoding === 'value') throw new Error(`${path} goes into a union`);
      const tag = unionTag(value)!;
      at = at.types.find((b) => branchName(b) === tag)!;
      value = (value as Record<string, unknown>)[tag];
    }
    const step = keyOfStep(raw, encoding);
    if (at.kind === 'array') [at, value] = [at.items, (value as unknown[])[Number(step)]];
    else if (at.kind === 'map')
      [at, value] = [at.values, value instanceof Map ? value.get(step) : (value as Record<string, unknown>)[step]];
    else if (at.kind === 'record') {
      const field = at.fields.find((f) => f.name === step);
      if (!field) throw new Error(`${path}: ${step} is no field of ${at.fullName}`);
      if (!isRecordValue(value) || !Object.hasOwn(value, step)) return { missingIn: at, field: step };
      [at, value] = [field.type, value[step]];
    } else throw new Error(`${path} goes into a ${at.kind}`);
  }
  return { at, value };
}

describe('the pointers of the closure validator', () => {
  for (const [encoding, seed] of [
    ['value', 21],
    ['json', 22],
  ] as const) {
    it(`lead to the part that is wrong, in ${encoding === 'json' ? 'JSON' : 'runtime values'}`, () => {
      const r = seededRandom(seed);
      const foreign = encoding === 'json' ? /\bexpected\b|fits no branch|missing field/ : /\bmust\b/;
      let refused = 0;
      let nested = 0;
      for (const { t } of randomTypes(seed, 200)) {
        const find = problemFinder(t, encoding);
        const tags = tagNames(t);
        for (let i = 0; i < 16; i++) {
          const fitting = valueOfType(r, t);
          const v = mutate(r, encoding === 'json' ? toJson(t, fitting) : fitting, encoding === 'json' ? JSON_NEAR : RUNTIME_NEAR, tags);
          const p = find(v);
          if (!p) continue;
          refused++;
          if (p.path !== '/') nested++;
          // Every message is in its encoding's words.
          expect([p.reason, foreign.test(p.reason)]).toEqual([p.reason, false]);
          const found = follow(t, v, p.path, encoding);
          if ('missingIn' in found) {
            expect([p.path, p.reason, encoding]).toEqual([p.path, `missing field of ${found.missingIn.fullName}`, 'value']);
            expect(p.path.endsWith(`/${found.field}`)).toBe(true);
          } else {
            expect([p.path, problemFinder(found.at, encoding)(found.value)]).toEqual([p.path, { path: '/', reason: p.reason }]);
          }
        }
      }
      // Most near misses are refused, and many of them below the top.
      expect(refused).toBeGreaterThan(1000);
      expect(nested).toBeGreaterThan(refused / 4);
    });
  }
  it('past the nesting limit, at the value that is too deep', () => {
    const L = type({ type: 'record', name: 'L', fields: [{ name: 'next', type: ['null', 'L'] }] });
    let v: unknown = null;
    for (let i = 0; i <= VALUE_DEPTH; i++) v = { next: v };
    const p = problemFinder(L)(v);
    expect(p?.reason).toBe(`value nested deeper than ${VALUE_DEPTH} levels`);
    expect(p?.path).toBe('/next'.repeat(VALUE_DEPTH));
  });
});
