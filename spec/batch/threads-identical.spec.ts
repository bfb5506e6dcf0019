/**
 * Chunks and `--threads` change where and in what groups rows are read, scored and encoded, not
 * what comes out: the output, the rejects file, the summary and the error that ends a run are the
 * same bytes as row by row on one thread, wherever the input is cut into chunks (tiny chunks put a
 * cut between every two records).
 */
import avro from 'avsc';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchFormat } from '../../src/batch/formats.js';
import { BatchAbort, scoreStream, type BatchOptions } from '../../src/batch/score-stream.js';
import { runScore } from '../../src/cli/score.js';
import { InputError } from '../../src/io/input-error.js';
import { TOTAL_INPUT_SCHEMA } from '../helpers/total-model.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/scoring/${name}`, import.meta.url));
const TOTAL = readFileSync(fixture('total.pfa.yaml'), 'utf8');
const LINEAR = readFileSync(fixture('linear.pmml'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'trajan-identical-'));
const file = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows of the Total model's CSV input, good and bad: quotes across lines, blank lines, a wrong width, a bad cell, a model error, bytes that are not UTF-8. */
function csvInput(n: number, eol = '\n'): Buffer {
  const parts: Buffer[] = [Buffer.from(`id,label,x,y,note${eol}`)];
  for (let i = 0; i < n; i++) {
    const row = [
      `${i},a${i},${i},${i % 3 ? i / 2 : ''},plain`,
      `${i},"quoted, label",1.5,2,"two${eol}lines, ""q"""`,
      '',
      `${i},short`,
      `${i},b,abc,1,x`,
      `${i},boom,1,1,x`,
      `${i},"ünïcode",-2,,"é"`,
    ][i % 7]!;
    parts.push(Buffer.from(`${row}${eol}`));
    if (i % 11 === 5) parts.push(Buffer.from([0x35, 0x2c, 0x63, 0xff, 0xfe, 0x2c, 0x31, 0x2c, 0x31, 0x2c, 0x78, 0x0a])); // 5,c\xff\xfe,1,1,x
  }
  return Buffer.concat(parts);
}

function jsonInput(n: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      [
        `{"id": ${i}, "x": ${i}, "y": ${i % 2 ? null : i}, "label": "l${i}", "note": {"k": [${i}]}}`,
        `{"x": 1, "y": 1, "label": "boom", "id": "b${i}"}`,
        'not json',
        '',
        `{"x": "one", "y": 1, "label": "s"}`,
        `{"x": 12345678901234567890, "y": 1.5e3, "label": "big"}`,
        `{"x": 2, "y": null, "label": "ü ${'\u{1F600}'}", "id": null}`,
      ][i % 7]!,
    );
  }
  return Buffer.from(`\uFEFF${lines.join('\n')}\n`);
}

interface Run {
  readonly out: string;
  readonly rejects: string;
  readonly summary?: unknown;
  readonly error?: unknown;
}

/** A run over `input` cut into pieces of `piece` bytes, as a file stream hands them out. */
async function run(input: Buffer, options: Omit<BatchOptions, 'input' | 'output' | 'rejects'>, piece = 1000): Promise<Run> {
  const output = new PassThrough();
  const rejects = new PassThrough();
  const out: Buffer[] = [];
  const rej: Buffer[] = [];
  output.on('data', (c: Buffer) => out.push(c));
  rejects.on('data', (c: Buffer) => rej.push(c));
  const pieces = Array.from({ length: Math.ceil(input.length / piece) }, (_, i) => input.subarray(i * piece, (i + 1) * piece));
  const result = await scoreStream({ ...options, input: Readable.from(pieces), output, rejects }).then(
    (s) => ({ summary: { ...s, seconds: 0 } }),
    (e: unknown) => ({
      error:
        e instanceof BatchAbort
          ? {
              message: e.message,
              cause: e.cause instanceof InputError ? e.cause.toJSON() : e.cause.message,
              summary: { ...e.summary, seconds: 0 },
            }
          : e,
    }),
  );
  const bytes = Buffer.concat(out);
  // An Avro container's sync marker is random: its records are compared, not its bytes.
  const written = options.outputFormat === 'avro' ? JSON.stringify(await avroRecords(bytes)) : bytes.toString('latin1');
  return { out: written, rejects: Buffer.concat(rej).toString('latin1'), ...result };
}

function avroRecords(bytes: Buffer): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const records: unknown[] = [];
    const decoder = new avro.streams.BlockDecoder();
    decoder
      .on('data', (r: unknown) => records.push(r))
      .on('end', () => resolve(records))
      .on('error', reject);
    decoder.end(bytes);
  });
}

/** Row by row on one thread, then in chunks of each size on one thread and on two: every run the same. */
async function expectSame(
  input: Buffer,
  options: Omit<BatchOptions, 'input' | 'output' | 'rejects' | 'threads'>,
  chunkBytes: readonly number[],
): Promise<Run> {
  const one = await run(input, { ...options, threads: 1, chunkBytes: 0 });
  expect(await run(input, { ...options, threads: 1 })).toEqual(one);
  for (const bytes of chunkBytes)
    for (const threads of [1, 2]) expect(await run(input, { ...options, threads, chunkBytes: bytes }, 97)).toEqual(one);
  return one;
}

describe('trajan score with threads writes what it writes on one thread', () => {
  it('CSV with quoted newlines, blank lines, bad rows and bytes that are not UTF-8, copying columns, to CSV', async () => {
    const one = await expectSame(
      csvInput(60),
      { model: TOTAL, inputFormat: 'csv', outputFormat: 'csv', copyColumns: ['note'], idColumn: 'id' },
      [1, 300],
    );
    expect(one.rejects).toContain('"code":"invalid-utf8"');
    expect(one.rejects).toContain('"code":"csv-width"');
    expect(one.rejects).toContain('"code":"csv-cell"');
    expect(one.out).toContain('"two\nlines, ""q""",');
  });

  it('CSV with CRLF line ends and a byte order mark, to JSON Lines and to Avro', async () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csvInput(40, '\r\n')]);
    const jsonl = await expectSame(
      input,
      { model: TOTAL, inputFormat: 'csv', outputFormat: 'jsonl', loadOptions: { allowExtraFields: true } },
      [1],
    );
    expect(jsonl.summary).toMatchObject({ rows: 34, scored: 15 });
    const avro = await expectSame(input, { model: TOTAL, inputFormat: 'csv', outputFormat: 'avro', copyColumns: ['id', 'note'] }, [200]);
    expect(avro.summary).toMatchObject({ rows: 34, scored: 15 });
  });

  it('JSON Lines with blank lines, bad JSON, long integers and a byte order mark, to JSON Lines and CSV', async () => {
    const one = await expectSame(
      jsonInput(50),
      { model: TOTAL, inputFormat: 'jsonl', outputFormat: 'jsonl', copyColumns: ['note'], idColumn: 'id' },
      [1, 200],
    );
    expect(one.rejects).toContain('"code":"json-syntax"');
    await expectSame(
      jsonInput(30),
      { model: TOTAL, inputFormat: 'jsonl', outputFormat: 'csv', loadOptions: { allowExtraFields: true } },
      [150],
    );
  });

  it('stops at the same row with --fail-fast', async () => {
    const one = await expectSame(
      csvInput(30),
      { model: TOTAL, inputFormat: 'csv', outputFormat: 'jsonl', failFast: true, loadOptions: { allowExtraFields: true } },
      [1],
    );
    expect(one.summary).toMatchObject({ rows: 3, scored: 2, stoppedAt: { row: 3 } });
  });

  it('ends with the same input error, record and line, when a quote never closes far into the file', async () => {
    const input = Buffer.concat([csvInput(40), Buffer.from('1,"never closed,1,1,x\n2,b,1,1,x\n')]);
    const one = await expectSame(
      input,
      { model: TOTAL, inputFormat: 'csv', outputFormat: 'csv', loadOptions: { allowExtraFields: true } },
      [1, 120],
    );
    expect(one.error).toMatchObject({ cause: { code: 'csv-quote-not-closed' } });
    expect((one.error as { message: string }).message).toMatch(/^record \d+: Quote Not Closed: .* at line 5\d$/);
  });

  it('scores and writes the records of an Avro container before the point where it is cut off', async () => {
    const type = avro.Type.forSchema(TOTAL_INPUT_SCHEMA as avro.Schema);
    const encoder = new avro.streams.BlockEncoder(type, { blockSize: 256 });
    const parts: Buffer[] = [];
    const whole = new Promise<Buffer>((resolve) =>
      encoder.on('data', (b: Buffer) => parts.push(b)).on('end', () => resolve(Buffer.concat(parts))),
    );
    for (let i = 0; i < 300; i++) encoder.write({ x: i, y: i % 2 ? null : i / 2, label: i % 50 === 7 ? 'boom' : `l${i}` });
    encoder.end();
    const bytes = await whole;
    const one = await expectSame(
      bytes.subarray(0, bytes.length - 100),
      { model: TOTAL, inputFormat: 'avro', outputFormat: 'jsonl', chunkSize: 64 },
      [1],
    );
    expect(one.error).toMatchObject({ cause: { code: 'avro-truncated' } });
    const { rows, rejected } = (one.error as { summary: { rows: number; rejected: number } }).summary;
    expect(rows).toBeGreaterThan(200);
    expect(one.out.split('\n').filter(Boolean)).toHaveLength(rows - rejected);
  });

  it('refuses an unknown header column before any row, the same way', async () => {
    const one = await expectSame(Buffer.from('x,y,label,extra\n1,2,a,0\n'), { model: TOTAL, inputFormat: 'csv', outputFormat: 'csv' }, [1]);
    expect(one.error).toMatchObject({ cause: { code: 'unknown-field', record: 1 } });
    expect(one.out).toBe('total,label\n');
  });

  it('scores a PMML model in the threads the same way', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => (i % 9 === 4 ? 'x\nnot a number\n' : `x\n${i / 4}\n`).split('\n')[1]).join('\n');
    const one = await expectSame(Buffer.from(`x\n${rows}\n`), { model: LINEAR, inputFormat: 'csv', outputFormat: 'csv' }, [1]);
    expect(one.out.split('\n').slice(0, 3)).toEqual(['y', '1', '1.5']);
    expect(one.summary).toMatchObject({ rows: 200, rejected: 22 });
  });
});

describe('trajan score --threads 1 and --threads 2 on the command line', () => {
  async function score(...args: string[]): Promise<{ status: number; err: string[] }> {
    const err: string[] = [];
    const status = await runScore(
      args,
      (s) => err.push(s),
      () => undefined,
    );
    return { status, err };
  }
  const model = fixture('total.pfa.yaml');

  for (const [format, input] of [
    ['csv', csvInput(1500)],
    ['jsonl', jsonInput(1500)],
  ] as [BatchFormat, Buffer][]) {
    it(`writes the same bytes from ${format}, with rejects, --copy-columns and --id-column`, async () => {
      writeFileSync(file(`in.${format}`), input);
      const runs = [];
      for (const threads of ['1', '2']) {
        const r = await score(
          model,
          file(`in.${format}`),
          '-o',
          file(`out-${threads}.${format}`),
          '--rejects',
          file(`rejects-${threads}.jsonl`),
          '--copy-columns',
          'note',
          '--id-column',
          'id',
          '--threads',
          threads,
        );
        runs.push({
          status: r.status,
          summary: r.err.at(-1)!.replace(/ in [\d.]+ s \(\d+ rows\/s\)/, ''),
          out: readFileSync(file(`out-${threads}.${format}`)),
          rejects: readFileSync(file(`rejects-${threads}.jsonl`)),
        });
      }
      expect(runs[0]!.status).toBe(0);
      expect(runs[0]!.rejects.length).toBeGreaterThan(10_000);
      expect(runs[1]).toEqual(runs[0]);
    });
  }
});
