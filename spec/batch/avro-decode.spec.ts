import avro from 'avsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import { avscType } from '../../src/avro/binary.js';
import { Cursor, DecodeError, decoderFor, minBytes, readLong } from '../../src/batch/avro-decode.js';

const decode = (schema: unknown, bytes: Buffer) => {
  const c = new Cursor(bytes);
  const v = decoderFor(parseSchema(schema, new NameRegistry()))(c);
  expect(c.left).toBe(0);
  return v;
};

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof DecodeError) return e.code;
    throw e;
  }
  return undefined;
};

describe('Avro binary decoding', () => {
  it('reads every 64-bit long as avsc writes it: a number when safe, else a bigint', () => {
    const type = avscType('long');
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const v = readLong(new Cursor(type.toBuffer(n)));
        expect(BigInt(v)).toBe(n);
        expect(typeof v).toBe(Number.isSafeInteger(Number(n)) && BigInt(Number(n)) === n ? 'number' : 'bigint');
      }),
      { seed: 7, numRuns: 2000 },
    );
    // Ten bytes whose last carries more than the 64th bit, and eleven bytes, are not longs.
    expect(codeOf(() => readLong(new Cursor(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]))))).toBe(
      'avro-varint',
    );
    expect(codeOf(() => readLong(new Cursor(Buffer.from([0xff, 0xff, 0xff]))))).toBe('avro-truncated');
  });

  it('decodes what avsc encodes into Avro JSON: tagged unions, bytes and fixed as code points', () => {
    const schema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'u', type: ['null', 'double', { type: 'record', name: 'P', fields: [{ name: 'q', type: 'int' }] }] },
        { name: 'm', type: { type: 'map', values: { type: 'array', items: 'float' } } },
        { name: 'b', type: 'bytes' },
        { name: 'f', type: { type: 'fixed', name: 'F', size: 3 } },
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['X', 'Y'] } },
        { name: 's', type: 'string' },
        { name: 't', type: 'boolean' },
      ],
    };
    const t = avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true });
    const bytes = t.toBuffer({
      u: { P: { q: -7 } },
      m: { a: [0.5, -2], b: [] },
      b: Buffer.from([0, 200, 255]),
      f: Buffer.from('abc'),
      e: 'Y',
      s: 'héllo',
      t: true,
    });
    expect(decode(schema, bytes)).toEqual({
      u: { P: { q: -7 } },
      m: { a: [0.5, -2], b: [] },
      b: '\u0000\u00c8\u00ff',
      f: 'abc',
      e: 'Y',
      s: 'héllo',
      t: true,
    });
  });

  it('bounds nesting of a recursive type at 1000 levels', () => {
    const schema = { type: 'record', name: 'L', fields: [{ name: 'next', type: ['null', 'L'] }] };
    const chain = (n: number) => Buffer.concat([Buffer.alloc(n, 2), Buffer.from([0])]); // n times branch 1, then null
    expect(decode(schema, chain(400))).toBeDefined();
    expect(codeOf(() => decode(schema, chain(100_000)))).toBe('too-deep');
  });

  it('knows the fewest bytes a value takes, recursive types included', () => {
    const t = parseSchema(
      {
        type: 'record',
        name: 'L',
        fields: [
          { name: 'x', type: 'double' },
          { name: 'f', type: { type: 'fixed', name: 'G', size: 4 } },
          { name: 'n', type: 'null' },
          { name: 'next', type: ['null', 'L'] },
        ],
      },
      new NameRegistry(),
    );
    expect(minBytes(t)).toBe(13);
  });
});
