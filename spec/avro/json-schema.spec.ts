import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { avroJsonSchema, plainJsonSchema } from '../../src/avro/json-schema.js';
import { fromJson } from '../../src/avro/json.js';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';

const type = (schema: unknown) => parseSchema(schema, new NameRegistry());
const validator = (schema: unknown) => new Ajv({ strict: false }).compile(avroJsonSchema(type(schema)));

describe('Avro type → JSON Schema of its JSON encoding', () => {
  it('accepts exactly what fromJson accepts for primitives', () => {
    const cases: [unknown, unknown[], unknown[]][] = [
      ['int', [0, -2147483648, 2147483647], [2147483648, 1.5, '1', null]],
      ['long', [1, 2 ** 60, '-9223372036854775808'], [1.5, 'x', true]],
      ['double', [1.5, 3, 'NaN', '-Infinity'], ['1.5', null]],
      ['boolean', [true], [0]],
      ['string', ['', 'é'], [1]],
      ['bytes', ['\u0000\u00ff'], ['\u0100']],
      [{ type: 'fixed', name: 'F', size: 2 }, ['ab'], ['a', 'abc']],
      [{ type: 'enum', name: 'E', symbols: ['A', 'B'] }, ['A'], ['C']],
    ];
    for (const [schema, good, bad] of cases) {
      const v = validator(schema);
      for (const g of good) {
        expect(v(g), `${JSON.stringify(schema)} accepts ${JSON.stringify(g)}`).toBe(true);
        expect(() => fromJson(type(schema), g)).not.toThrow();
      }
      for (const b of bad) expect(v(b), `${JSON.stringify(schema)} rejects ${JSON.stringify(b)}`).toBe(false);
    }
  });

  it('checks records, tagged unions, arrays and maps, and reports the path of a problem', () => {
    const v = validator({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: ['null', 'double'] },
        { name: 'xs', type: { type: 'array', items: 'int' } },
        { name: 'm', type: { type: 'map', values: 'string' } },
      ],
    });
    expect(v({ a: null, xs: [1], m: { k: 'v' } })).toBe(true);
    expect(v({ a: { double: 2 }, xs: [], m: {} })).toBe(true);
    expect(v({ a: 2, xs: [], m: {} })).toBe(false);
    expect(v({ a: null, xs: [1, 'two'], m: {} })).toBe(false);
    expect(v.errors?.at(-1)?.instancePath).toBe('/xs/1');
    expect(v({ a: null, xs: [] })).toBe(false);
    expect(v.errors?.at(-1)?.message).toBe("must have required property 'm'");
  });

  it('handles recursive records through $defs', () => {
    const v = validator({
      type: 'record',
      name: 'Node',
      fields: [
        { name: 'next', type: ['null', 'Node'] },
        { name: '__proto__', type: 'int' },
      ],
    });
    expect(v(JSON.parse('{"next": {"Node": {"next": null, "__proto__": 1}}, "__proto__": 2}'))).toBe(true);
    expect(v(JSON.parse('{"next": {"Node": {"next": 5, "__proto__": 1}}, "__proto__": 2}'))).toBe(false);
  });

  it('writes plain JSON as the tagged encoding but for unions, which it leaves untagged', () => {
    const tree = type({
      type: 'record',
      name: 'T',
      fields: [
        { name: 'v', type: { type: 'array', items: { type: 'map', values: 'long' } } },
        { name: 'kids', type: { type: 'array', items: 'T' } },
        { name: 'f', type: { type: 'fixed', name: 'F', size: 2 }, default: 'ab' },
      ],
    });
    expect(plainJsonSchema(tree)).toEqual(avroJsonSchema(tree));
    const u = type(['null', 'int', { type: 'record', name: 'U', fields: [{ name: 'x', type: ['null', 'string'] }] }]);
    const plainU = { anyOf: [{ type: 'null' }, { type: 'integer', minimum: -2147483648, maximum: 2147483647 }, { $ref: '#/$defs/U' }] };
    expect(plainJsonSchema(u)).toEqual({
      ...plainU,
      $defs: { U: { type: 'object', required: ['x'], properties: { x: { anyOf: [{ type: 'null' }, { type: 'string' }] } } } },
    });
    expect(avroJsonSchema(u)).toMatchObject({
      oneOf: [{ type: 'null' }, { required: ['int'], additionalProperties: false }, { properties: { U: { $ref: '#/$defs/U' } } }],
    });
  });
});
