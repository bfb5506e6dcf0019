/** The calling thread's cuts of `--threads`: whole records, every byte once, and the files it must not cut. */
import { parse } from 'csv-parse/sync';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvChunks, jsonLineChunks, type CsvPiece } from '../../src/batch/chunk-split.js';

const pieces = (b: Buffer, size: number) =>
  Readable.from(Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size)))[Symbol.asyncIterator]();

async function all<T>(g: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of g) out.push(x);
  return out;
}

const CSV = Buffer.from('\n\na,b\n1,"x\ny"\n\n2,"he said ""hi"", twice"\n3,z\n4,"\n"\n5,last');

describe('csvChunks', () => {
  for (const [size, target] of [
    [1, 1],
    [3, 5],
    [7, 1000],
  ]) {
    it(`cuts only between records, each byte once (pieces of ${size}, chunks of ${target})`, async () => {
      const got = await all(csvChunks(pieces(CSV, size), target));
      expect(got[0]).toEqual({ kind: 'head', head: Buffer.from('\n\na,b\n') });
      const chunks = got.slice(1) as Extract<CsvPiece, { kind: 'chunk' }>[];
      expect(Buffer.concat([got[0]!.kind === 'head' ? got[0]!.head : Buffer.alloc(0), ...chunks.map((c) => c.bytes)]).equals(CSV)).toBe(
        true,
      );
      const opts = { relax_column_count: true, skip_empty_lines: true };
      const whole = parse(CSV, opts) as string[][];
      // Each chunk read after the header gives its own records, and together the file's.
      expect([
        whole[0],
        ...chunks.flatMap((c) => (parse(Buffer.concat([Buffer.from('a,b\n'), c.bytes]), opts) as string[][]).slice(1)),
      ]).toEqual(whole);
      // The line each chunk starts on.
      let line = 4;
      for (const c of chunks) {
        expect(c.firstLine).toBe(line);
        line += c.lines;
      }
    });
  }

  it('leaves a file whose records may end at a lone CR to one reader', async () => {
    const got = await all(csvChunks(pieces(Buffer.from('a,b\r1,2\r3,4\r'), 4), 1));
    expect(got).toEqual([{ kind: 'whole', consumed: expect.any(Array) }]);
    expect(Buffer.concat((got[0] as { consumed: Buffer[] }).consumed).toString()).toBe('a,b\r1,2\r3,4\r');
  });

  it('sends a file of a header alone as one empty chunk, so that the header is checked', async () => {
    const got = await all(csvChunks(pieces(Buffer.from('a,b'), 10), 1));
    expect(got.map((g) => g.kind)).toEqual(['head', 'chunk']);
    expect((got[1] as { bytes: Buffer }).bytes.length).toBe(0);
  });
});

describe('jsonLineChunks', () => {
  it('cuts at newlines, drops the byte order mark and reports a line too long to hold', async () => {
    const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"a":1}\n${'x'.repeat(40)}\n{"b":2}\n{"c":3}`)]);
    const got = await all(jsonLineChunks(pieces(text, 6), 8, 30));
    expect(got.map((c) => [c.bytes.toString(), c.overlong])).toEqual([
      ['{"a":1}\n', undefined],
      ['', 40],
      ['{"b":2}\n', undefined],
      ['{"c":3}', undefined],
    ]);
  });
});
