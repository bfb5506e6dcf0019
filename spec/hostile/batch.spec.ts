/**
 * Fuzzing the three batch readers with random bytes and with mutations of valid files: every
 * outcome must be rows (each read or rejected with a code) or an InputError naming the record after
 * the last row read, never another exception or a hang. Seeded and bounded, so a failure replays.
 */
import avro from 'avsc';
import fc from 'fast-check';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import type { AvroType } from '../../src/avro/types.js';
import type { BatchFormat } from '../../src/batch/formats.js';
import { InputError } from '../../src/io/input-error.js';
import { readRows, type Row } from '../../src/batch/readers.js';
import { BatchAbort, scoreStream } from '../../src/batch/score-stream.js';

const SEED = 20261205;
const RUNS = 300;

const SCHEMA = {
  type: 'record',
  name: 'In',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'x', type: 'double' },
    { name: 'tag', type: ['null', 'string'] },
    { name: 'xs', type: { type: 'array', items: 'double' } },
    { name: 'm', type: { type: 'map', values: 'int' } },
    { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B'] } },
    { name: 'f', type: { type: 'fixed', name: 'F', size: 2 } },
    { name: 'b', type: 'bytes' },
    { name: 'ok', type: 'boolean' },
    {
      name: 'next',
      type: [
        'null',
        {
          type: 'record',
          name: 'Node',
          fields: [
            { name: 'v', type: 'int' },
            { name: 'next', type: ['null', 'Node'] },
          ],
        },
      ],
    },
  ],
};
const TYPE: AvroType = parseSchema(SCHEMA, new NameRegistry());

const RECORDS = Array.from({ length: 12 }, (_, i) => ({
  id: i * 1000003,
  x: i / 3,
  tag: i % 2 ? null : `t${i}é`,
  xs: Array.from({ length: i % 4 }, (_, k) => k * 1.5),
  m: { a: i, b: -i },
  e: i % 2 ? 'A' : 'B',
  f: Buffer.from([i, 255 - i]),
  b: Buffer.from('bytes'),
  ok: i % 3 === 0,
  next: i % 3 ? { v: i, next: { v: i + 1, next: null } } : null,
}));

function container(codec: string, blockSize: number): Promise<Buffer> {
  const enc = new avro.streams.BlockEncoder(avro.Type.forSchema(SCHEMA as avro.Schema), { codec, blockSize });
  const chunks: Buffer[] = [];
  enc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => enc.on('end', () => resolve(Buffer.concat(chunks))));
  for (const r of RECORDS) enc.write(r);
  enc.end();
  return done;
}

const JSONL = Buffer.from(
  [
    '{"id": 9007199254740993, "x": 1.5, "tag": "a", "xs": [1, 2], "m": {"a": 1}, "e": "A", "f": "ab", "b": "", "ok": true, "next": null}',
    '{"id": 2, "x": 0.1, "tag": null, "xs": [], "m": {}, "e": "B", "f": "zz", "b": "x", "ok": false, "next": {"v": 1, "next": {"v": 2, "next": null}}}',
    '',
    '[[[[["deep"]]]]]',
  ].join('\n'),
);
const CSV = Buffer.from(
  'id,x,tag,xs,m,e,f,b,ok,next\n1,1.5,a,"[1,2]","{""a"":1}",A,ab,,true,\n2,nan,,[],{},B,zz,x,0,"{""v"":1,""next"":null}"\n',
);

type Edit =
  | { kind: 'flip' | 'set'; at: number; byte: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.constantFrom(0, 1, 2, 0x7f, 0x80, 0xff, 0x0a, 0x22, 0x2c, 0x5b) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
);

function mutate(base: Buffer, edits: readonly Edit[]): Buffer {
  let b = Buffer.from(base);
  for (const e of edits) {
    if (b.length === 0) break;
    const at = e.at % b.length;
    switch (e.kind) {
      case 'flip':
        b[at] = b[at]! ^ e.byte;
        break;
      case 'set':
        b[at] = e.byte;
        break;
      case 'cut':
        b = b.subarray(0, at);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), e.bytes, b.subarray(at)]);
    }
  }
  return b;
}

function pieces(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** How often each outcome came up, so a spec can check the fuzzing reached them all. */
const seen = { rows: 0, rejected: 0, inputErrors: 0 };

/** Reads everything; checks the shape of each outcome and that the rows are numbered 1, 2, ... */
async function readAll(format: BatchFormat, bytes: Buffer, chunk: number): Promise<void> {
  const rows: Row[] = [];
  try {
    for await (const row of readRows(format, Readable.from(pieces(bytes, chunk)), TYPE)) rows.push(row);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    seen.inputErrors++;
    expect(typeof e.code).toBe('string');
    expect(e.record).toBe(rows.length + 1);
    expect(e.message).toMatch(new RegExp(`^record ${e.record}: `));
  }
  rows.forEach((r, i) => {
    expect(r.index).toBe(i + 1);
    if (r.error !== undefined) {
      seen.rejected++;
      expect(typeof r.code).toBe('string');
    } else {
      seen.rows++;
      expect(r.value).toBeDefined();
    }
  });
}

const chunkSize = fc.integer({ min: 1, max: 97 });

describe('batch readers under random and mutated input', () => {
  it('reads random bytes in every format as rows or a coded error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<BatchFormat>('jsonl', 'csv', 'avro'),
        fc.uint8Array({ maxLength: 300 }),
        chunkSize,
        async (format, bytes, chunk) => {
          await readAll(format, Buffer.from(bytes), chunk);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);

  it('reads mutated Avro containers (null and deflate codecs) as rows or a coded error', async () => {
    const bases = await Promise.all([container('null', 64), container('null', 4096), container('deflate', 128)]);
    // Random bytes past the magic and header, too: the magic alone would stop most of them.
    const magic = bases[0]!.subarray(0, 4);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bases), fc.array(edit, { minLength: 1, maxLength: 4 }), chunkSize, async (base, edits, chunk) => {
        await readAll('avro', mutate(base, edits), chunk);
        await readAll('avro', Buffer.concat([magic, mutate(base.subarray(4), edits)]), chunk);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(seen.rows).toBeGreaterThan(RUNS);
    expect(seen.inputErrors).toBeGreaterThan(RUNS / 2);
  }, 120_000);

  it('reads mutated JSON Lines and CSV as rows or a coded error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<[BatchFormat, Buffer]>(['jsonl', JSONL], ['csv', CSV]),
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        chunkSize,
        async ([format, base], edits, chunk) => {
          await readAll(format, mutate(base, edits), chunk);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(seen.rejected).toBeGreaterThan(RUNS / 2);
  }, 120_000);

  it('scores mutated input to a summary or a BatchAbort from an InputError, never anything else', async () => {
    const model = JSON.stringify({ input: SCHEMA, output: 'long', action: ['input.id'] });
    const avroBase = await container('null', 64);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<[BatchFormat, Buffer]>(['jsonl', JSONL], ['csv', CSV], ['avro', avroBase]),
        fc.array(edit, { maxLength: 3 }),
        async ([format, base], edits) => {
          const output = new PassThrough();
          output.resume();
          const rejects = new PassThrough();
          rejects.resume();
          try {
            const s = await scoreStream({
              model,
              input: Readable.from(pieces(mutate(base, edits), 50)),
              inputFormat: format,
              output,
              outputFormat: 'jsonl',
              rejects,
            });
            expect(s.scored + s.rejected).toBe(s.rows);
          } catch (e) {
            expect(e).toBeInstanceOf(BatchAbort);
            expect((e as BatchAbort).cause).toBeInstanceOf(InputError);
          }
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  }, 120_000);
});
