/**
 * The server's request check: the input check generated from the model's input type (fits.ts, for
 * Avro's JSON encoding), with the closure validator's first problem in the 400 answer. It answers
 * as the JSON Schema of the input type (json-schema.ts, read by ajv) did, but for values the
 * scoring path reads and that schema refused or let through.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { avroJsonSchema } from '../../src/avro/json-schema.js';
import { fromPlainJson } from '../../src/avro/plain-json.js';
import { errorAnswer, requestCheck, ServedModel } from '../../src/io/served-model.js';
import { loadModel } from '../../src/model.js';

const INPUT = {
  type: 'record',
  name: 'In',
  fields: [
    { name: 'x', type: 'double' },
    { name: 'y', type: ['null', 'double'] },
    { name: 'label', type: 'string' },
    { name: 'n', type: 'long', default: 0 },
    { name: 'tags', type: { type: 'array', items: 'string' }, default: [] },
    { name: 'm', type: { type: 'map', values: 'int' }, default: {} },
    { name: 'e', type: ['null', { type: 'enum', name: 'E', symbols: ['a', 'b'] }], default: null },
    { name: 'k', type: ['null', { type: 'array', items: 'int' }], default: null },
  ],
};
const model = loadModel({ input: INPUT, output: 'string', action: [{ 's.concat': ['input.label', { string: '!' }] }] } as object);
const served = new ServedModel(model, 'm', '1');

/** The answer of the server to one record: 200 with its result, or the error answer. */
async function answer(record: unknown): Promise<{ status: number; body: unknown }> {
  try {
    return { status: 200, body: await served.score([record]) };
  } catch (e) {
    const a = errorAnswer(e);
    if (!a) throw e;
    return a;
  }
}

const GOOD = { x: 1, y: null, label: 'a', n: 2, tags: ['t'], m: { a: 1 }, e: 'a', k: [1] };

describe('the request check', () => {
  it('scores records that fit', async () => {
    expect(await answer(GOOD)).toEqual({ status: 200, body: ['a!'] });
    expect(await answer({ ...GOOD, y: 2, e: null, k: null, label: 'b' })).toEqual({ status: 200, body: ['b!'] });
  });

  it('answers 400 invalid-record with the pointer into the record sent and the reason', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ ...GOOD, x: 'one' }, '/x', /^must be double, got a string$/],
      [{ ...GOOD, y: 'two' }, '/y', /^must be one of null, double, got a string$/],
      [{ ...GOOD, tags: ['t', 2] }, '/tags/1', /^must be string, got a number$/],
      [{ ...GOOD, m: { a: 1.5 } }, '/m/a', /^must be int, got a fractional number$/],
      [{ ...GOOD, e: 'c' }, '/e', /^must be one of null, E, got a string$/],
      // The union tag the server adds is no step of the pointer: /k/0, not /k/array/0.
      [{ ...GOOD, k: ['x'] }, '/k/0', /^must be int, got a string$/],
      [{ ...GOOD, n: '99999999999999999999' }, '/n', /^must be long, got a string$/],
      [{ y: null, label: 'a' }, '/', /^must have required property 'x'$/],
      [5, '/', /^must be an object \(record In\), got a number$/],
    ];
    for (const [record, path, reason] of cases) {
      const a = await answer(record);
      expect([record, a.status]).toEqual([record, 400]);
      const body = a.body as Record<string, unknown>;
      expect(body).toMatchObject({ code: 'invalid-record', record: 0, path });
      expect(body.reason).toMatch(reason);
      expect(body.error).toBe(`record 0: ${path} ${String(body.reason)}`);
    }
  });

  it("gives the verdict of the input type's JSON Schema, but for values the scoring path reads", () => {
    const t = model.wire.input;
    const check = requestCheck(t);
    const schema = new Ajv({ strict: false }).compile(avroJsonSchema(t));
    const records: unknown[] = [
      GOOD,
      { x: 1, y: null, label: 'a' },
      { x: 'NaN', y: '-inf', label: 'a' },
      { x: 1, y: { double: 2 }, label: 'a' },
      { x: 1, y: { double: 'x' }, label: 'a' },
      { x: 1, y: { string: 'x' }, label: 'a' },
      { x: 1, y: null, label: 'a', n: '12', e: 'b', k: null, m: {} },
      { x: 1, y: null, label: 'a', n: 1.5 },
      { x: 1, y: null, label: 'a', m: [] },
      { x: 1, y: null, label: 'a', tags: {} },
      { x: 1, y: null },
      JSON.parse('{"x": 1, "y": null, "label": "a", "__proto__": {"x": "polluted"}}'),
      null,
      [],
    ];
    for (const r of records) {
      const tagged = fromPlainJson(t, r);
      expect([r, check.ok(tagged), check.problem(tagged) === undefined]).toEqual([r, schema(tagged), schema(tagged)]);
    }
    // Where they differ: a long past 2^63 the schema let through (scoring then refused it), and
    // integers parsed as bigints (JSON Lines and CSV beyond 2^53) the schema refused.
    const big = fromPlainJson(t, { x: 1, y: null, label: 'a', n: '9223372036854775808' });
    expect([check.ok(big), schema(big)]).toEqual([false, true]);
    const bigint = fromPlainJson(t, { x: 2n ** 60n, y: null, label: 'a', n: 2n ** 62n });
    expect([check.ok(bigint), schema(bigint)]).toEqual([true, false]);
  });
});
