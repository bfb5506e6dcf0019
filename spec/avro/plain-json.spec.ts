import { describe, expect, it } from 'vitest';
import { fromPlainJson, toPlainJson } from '../../src/avro/plain-json.js';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';

const type = (schema: unknown) => parseSchema(schema, new NameRegistry());

describe('plain JSON ⇄ Avro JSON', () => {
  const rec = type({
    type: 'record',
    name: 'R',
    fields: [
      { name: 'n', type: ['null', 'int', 'double'] },
      { name: 's', type: ['null', { type: 'enum', name: 'E', symbols: ['A'] }, 'string'] },
      { name: 'xs', type: { type: 'array', items: ['null', 'long'] } },
    ],
  });

  it('adds the tag of the first branch a plain value fits', () => {
    expect(fromPlainJson(rec, { n: 1, s: 'A', xs: [null, 5] })).toEqual({ n: { int: 1 }, s: { E: 'A' }, xs: [null, { long: 5 }] });
    expect(fromPlainJson(rec, { n: 1.5, s: 'B', xs: [] })).toEqual({ n: { double: 1.5 }, s: { string: 'B' }, xs: [] });
  });

  it('keeps values that are already tagged, and leaves values that fit no branch for validation', () => {
    expect(fromPlainJson(rec, { n: { double: 1 }, s: null, xs: [] })).toEqual({ n: { double: 1 }, s: null, xs: [] });
    expect(fromPlainJson(rec, { n: true, s: null, xs: [] })).toEqual({ n: true, s: null, xs: [] });
  });

  it('removes tags from results', () => {
    expect(toPlainJson(rec, { n: { double: 1.5 }, s: { E: 'A' }, xs: [{ long: 1 }, null] })).toEqual({ n: 1.5, s: 'A', xs: [1, null] });
  });
});
