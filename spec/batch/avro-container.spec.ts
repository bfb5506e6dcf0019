import avro from 'avsc';
import { Readable } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { avroContainer } from '../../src/batch/avro-container.js';
import { InputError } from '../../src/io/input-error.js';

const SCHEMA = {
  type: 'record',
  name: 'In',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'tag', type: ['null', 'string'] },
    { name: 'xs', type: { type: 'array', items: 'double' } },
  ],
};
const SYNC = Buffer.from('0123456789abcdef');

function container(records: unknown[], opts: { codec?: string; blockSize?: number } = {}): Promise<Buffer> {
  const enc = new avro.streams.BlockEncoder(avro.Type.forSchema(SCHEMA as avro.Schema), {
    syncMarker: SYNC,
    blockSize: opts.blockSize ?? 64,
    codec: opts.codec ?? 'null',
  });
  const chunks: Buffer[] = [];
  enc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => enc.on('end', () => resolve(Buffer.concat(chunks))));
  for (const r of records) enc.write(r);
  enc.end();
  return done;
}

const RECORDS = Array.from({ length: 20 }, (_, i) => ({ id: i, tag: i % 2 ? null : `t${i}`, xs: [i, i / 2] }));

/** A zigzag varint long, as Avro writes it. */
function long(n: number | bigint): Buffer {
  let z = BigInt(n) >= 0n ? BigInt(n) << 1n : (-BigInt(n) << 1n) - 1n;
  const out: number[] = [];
  do {
    const b = Number(z & 0x7fn);
    z >>= 7n;
    out.push(z ? b | 0x80 : b);
  } while (z);
  return Buffer.from(out);
}

async function read(bytes: Buffer, chunk = 7): Promise<{ records: unknown[]; error?: InputError }> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) pieces.push(bytes.subarray(i, i + chunk));
  const records: unknown[] = [];
  try {
    for await (const block of avroContainer(Readable.from(pieces))) records.push(...block);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { records, error: e };
  }
  return { records };
}

async function parts(): Promise<{ file: Buffer; header: Buffer }> {
  const file = await container(RECORDS);
  return { file, header: file.subarray(0, file.indexOf(SYNC) + SYNC.length) };
}

describe('avroContainer', () => {
  it('reads records in Avro JSON, whatever the chunking, with null and deflate codecs', async () => {
    for (const codec of ['null', 'deflate']) {
      const file = await container(RECORDS, { codec });
      for (const chunk of [1, 7, 4096]) {
        const { records, error } = await read(file, chunk);
        expect(error).toBeUndefined();
        expect(records).toHaveLength(20);
        expect(records[0]).toEqual({ id: 0, tag: { string: 't0' }, xs: [0, 0] });
        expect(records[1]).toEqual({ id: 1, tag: null, xs: [1, 0.5] });
      }
    }
  });

  it('keeps longs beyond 2^53 exact', async () => {
    const header = (await parts()).header;
    const data = Buffer.concat([long(-9007199254740993n), Buffer.from([0, 0])]);
    const own = await read(Buffer.concat([header, long(1), long(data.length), data, SYNC]));
    expect(own.records).toEqual([{ id: -9007199254740993n, tag: null, xs: [] }]);
  });

  it('reports every cut inside the header as truncated at record 1', async () => {
    const { header } = await parts();
    for (let n = 0; n < header.length; n++) {
      const { records, error } = await read(header.subarray(0, n));
      expect(records).toEqual([]);
      expect(error?.code).toBe('avro-truncated');
      expect(error?.record).toBe(1);
    }
    expect((await read(header)).error).toBeUndefined(); // a header alone is a file of no records
  });

  it('reports a cut inside a block with the first record lost, after yielding the ones before', async () => {
    const { file } = await parts();
    const { records, error } = await read(file.subarray(0, file.length - 30));
    expect(error?.code).toBe('avro-truncated');
    expect(error?.record).toBe(records.length + 1);
    expect(records.length).toBeGreaterThan(0);
    expect(error?.message).toMatch(/^record \d+: the file ends inside (block|the sync marker after block) \d+/);
  });

  it('rejects negative and impossible counts and sizes, wrong sync markers and blocks their records do not fill', async () => {
    const { header } = await parts();
    const data = Buffer.concat([long(5), Buffer.from([0, 0])]); // one record: id 5, tag null, xs []
    const block = (count: number, size: number, body: Buffer = data, sync: Buffer = SYNC) =>
      Buffer.concat([header, long(count), long(size), body, sync]);
    const own = (body: Buffer) => block(1, body.length, body);
    const cases: [Buffer, string][] = [
      [block(-1, data.length), 'avro-block-count'],
      [block(2 ** 60, data.length), 'avro-block-count'],
      [block(1_000_000, data.length), 'avro-block-count'],
      [block(1, -3), 'avro-block-size'],
      [block(1, 2 ** 40), 'avro-block-size'],
      [block(1, 2 ** 62), 'avro-block-size'],
      [block(1, data.length, data, Buffer.alloc(16)), 'avro-sync'],
      [block(2, data.length), 'avro-block-count'], // two records take at least 6 bytes
      [own(Buffer.concat([long(5), Buffer.from([2]), long(3), Buffer.from('a')])), 'avro-truncated'], // a string of 3 bytes with 1 left
      [own(Buffer.concat([long(5), Buffer.from([6, 0])])), 'avro-value'], // union branch 3 of 2
      [own(Buffer.concat([long(5), Buffer.from([0]), long(2 ** 40)])), 'avro-length'], // array of 2^40 doubles
      [own(Buffer.concat([long(5), Buffer.from([0]), long(-(2 ** 40)), long(1), long(0)])), 'avro-length'], // the same, counted negative with a size
      [own(Buffer.concat([long(5), Buffer.from([2]), long(-1), Buffer.from([0])])), 'avro-length'], // string of length -1
      [own(Buffer.concat([long(5), Buffer.from([2]), long(1), Buffer.from([0xff, 0])])), 'avro-value'], // a string that is not UTF-8
    ];
    for (const [bytes, code] of cases) {
      const { records, error } = await read(bytes);
      expect({ code: error?.code, record: error?.record, records: records.length }).toEqual({ code, record: 1, records: 0 });
    }
    // Bytes left after a block's records: the records read are kept, the rest of the file is not trusted.
    const extra = await read(block(1, data.length + 1, Buffer.concat([data, Buffer.from([0])])));
    expect(extra.records).toHaveLength(1);
    expect(extra.error).toMatchObject({ code: 'avro-corrupt', record: 2, message: 'record 2: block 1 has 1 bytes after its 1 records' });
    // The records before a corrupt one in the same block are kept.
    const two = Buffer.concat([data, long(7), Buffer.from([9, 0])]); // the second has union branch -5
    const partial = await read(block(2, two.length, two));
    expect(partial.records).toEqual([{ id: 5, tag: null, xs: [] }]);
    expect(partial.error).toMatchObject({ code: 'avro-value', record: 2 });
  });

  it('stops a deflate block that inflates past the 64 MiB limit, and one that does not inflate', async () => {
    const enc = (codec: string) =>
      Buffer.concat([
        Buffer.from('Obj\x01', 'latin1'),
        long(2),
        long(11),
        Buffer.from('avro.schema'),
        long(6),
        Buffer.from('"null"'),
        long(10),
        Buffer.from('avro.codec'),
        long(codec.length),
        Buffer.from(codec),
        long(0),
        SYNC,
      ]);
    const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024 + 1));
    const big = await read(Buffer.concat([enc('deflate'), long(1), long(bomb.length), bomb, SYNC]), 1 << 16);
    expect(big.error).toMatchObject({ code: 'avro-deflate', record: 1 });
    const junk = Buffer.from([0xff, 0xff, 0xff]);
    expect((await read(Buffer.concat([enc('deflate'), long(1), long(3), junk, SYNC]))).error).toMatchObject({
      code: 'avro-deflate',
      record: 1,
    });
    // Records that take no bytes are not bounded by their block's size, but by a count of their own.
    expect((await read(Buffer.concat([enc('null'), long(3), long(0), SYNC]))).records).toEqual([null, null, null]);
    expect((await read(Buffer.concat([enc('null'), long(1_000_001), long(0), SYNC]))).error).toMatchObject({
      code: 'avro-block-count',
      record: 1,
    });
  });

  it('rejects bad magic, unknown codecs, missing and invalid schemas', async () => {
    expect((await read(Buffer.from('PAR1xxxxxxxxxxxxxxxxxxxxxxxx'))).error?.code).toBe('avro-header');
    const enc = (meta: Record<string, string>) => {
      const entries = Object.entries(meta).flatMap(([k, v]) => [
        long(Buffer.byteLength(k)),
        Buffer.from(k),
        long(Buffer.byteLength(v)),
        Buffer.from(v),
      ]);
      return Buffer.concat([Buffer.from('Obj\x01', 'latin1'), long(Object.keys(meta).length), ...entries, long(0), SYNC]);
    };
    expect((await read(enc({ 'avro.schema': '"long"', 'avro.codec': 'snappy' }))).error?.code).toBe('avro-codec');
    expect((await read(enc({ 'avro.codec': 'null' }))).error?.code).toBe('avro-header');
    expect((await read(enc({ 'avro.schema': '{"type": "nope"}' }))).error?.code).toBe('avro-schema');
    expect((await read(enc({ 'avro.schema': `${'['.repeat(5000)}"long"${']'.repeat(5000)}` }))).error?.code).toBe('avro-schema');
    const ok = await read(Buffer.concat([enc({ 'avro.schema': '"long"' }), long(2), long(2), long(1), long(-1), SYNC]));
    expect(ok).toEqual({ records: [1, -1] });
  });
});
