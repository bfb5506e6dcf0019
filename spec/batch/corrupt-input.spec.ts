import avro from 'avsc';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScore } from '../../src/cli/score.js';

const dir = mkdtempSync(join(tmpdir(), 'trajan-corrupt-'));
const file = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Passes an id through and doubles x. */
const MODEL = file('ids.pfa.json');
writeFileSync(
  MODEL,
  JSON.stringify({
    input: {
      type: 'record',
      name: 'In',
      fields: [
        { name: 'id', type: 'long' },
        { name: 'x', type: 'double' },
      ],
    },
    output: {
      type: 'record',
      name: 'Out',
      fields: [
        { name: 'id', type: 'long' },
        { name: 'y', type: 'double' },
      ],
    },
    action: [{ new: { id: 'input.id', y: { '*': ['input.x', 2] } }, type: 'Out' }],
  }),
);

async function score(...args: string[]): Promise<{ status: number; err: string[] }> {
  const err: string[] = [];
  const status = await runScore(args, (s) => err.push(s));
  return { status, err };
}

function avroFile(n: number): Promise<Buffer> {
  const type = avro.Type.forSchema({
    type: 'record',
    name: 'In',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'x', type: 'double' },
    ],
  });
  const enc = new avro.streams.BlockEncoder(type, { blockSize: 100 });
  const chunks: Buffer[] = [];
  enc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => enc.on('end', () => resolve(Buffer.concat(chunks))));
  for (let i = 0; i < n; i++) enc.write({ id: i, x: i / 4 });
  enc.end();
  return done;
}

describe('trajan score keeps every digit and loses no row silently', () => {
  it('keeps longs beyond 2^53 from JSON Lines through to JSON Lines and CSV, with doubles as doubles', async () => {
    writeFileSync(
      file('ids.jsonl'),
      '{"id": 9007199254740993, "x": 0.1}\n{"id": -9223372036854775807, "x": 12345678901234567890}\n{"id": 1, "x": 1.25}\n',
    );
    expect((await score(MODEL, file('ids.jsonl'), '-o', file('ids.out.jsonl'))).status).toBe(0);
    // x = 12345678901234567890 is read for a double field: it is the double nearest it, as JSON.parse gives.
    const y = String(12345678901234567890 * 2);
    expect(readFileSync(file('ids.out.jsonl'), 'utf8')).toBe(
      `{"id":9007199254740993,"y":0.2}\n{"id":-9223372036854775807,"y":${y}}\n{"id":1,"y":2.5}\n`,
    );
    expect((await score(MODEL, file('ids.jsonl'), '-o', file('ids.out.csv'))).status).toBe(0);
    expect(readFileSync(file('ids.out.csv'), 'utf8')).toBe(`id,y\n9007199254740993,0.2\n-9223372036854775807,${y}\n1,2.5\n`);
  });

  it('exits 2 naming the first record lost when an Avro container is cut, after writing the rows before', async () => {
    const whole = await avroFile(50);
    writeFileSync(file('cut-block.avro'), whole.subarray(0, whole.length - 40));
    const cut = await score(MODEL, file('cut-block.avro'), '-o', file('cut-block.jsonl'));
    expect(cut.status).toBe(2);
    const written = readFileSync(file('cut-block.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    expect(written).toBeGreaterThan(0);
    expect(cut.err.at(-2)).toMatch(new RegExp(`^scored ${written} of ${written} rows`));
    expect(cut.err.at(-1)).toMatch(
      new RegExp(`cut-block\\.avro: avro-truncated record ${written + 1}: the file ends inside .*; the run is incomplete$`),
    );

    writeFileSync(file('cut-header.avro'), whole.subarray(0, 30));
    const head = await score(MODEL, file('cut-header.avro'), '-o', file('cut-header.jsonl'), '--rejects', file('r.jsonl'));
    expect(head.status).toBe(2);
    expect(head.err.at(-1)).toMatch(/avro-truncated record 1: the file ends inside the header/);

    writeFileSync(file('empty.avro'), '');
    expect((await score(MODEL, file('empty.avro'), '-o', file('empty.jsonl'))).status).toBe(2);
  });

  it('exits 2 when a CSV quote never closes; rejects rows of the wrong width like any bad row', async () => {
    writeFileSync(file('quote.csv'), 'id,x\n1,1\n2,"2\n3,3\n');
    const q = await score(MODEL, file('quote.csv'), '-o', file('quote.out.csv'), '--rejects', file('quote-rejects.jsonl'));
    expect(q.status).toBe(2);
    expect(q.err.at(-1)).toMatch(/quote\.csv: csv-quote-not-closed record 2: Quote Not Closed/);
    expect(readFileSync(file('quote.out.csv'), 'utf8')).toBe('id,y\n1,2\n');

    writeFileSync(file('width.csv'), 'id,x\n1,1\n2\n3,3,3\n4,4\n');
    const w = await score(MODEL, file('width.csv'), '-o', file('width.out.csv'), '--rejects', file('width-rejects.jsonl'));
    expect(w.status).toBe(0);
    expect(readFileSync(file('width.out.csv'), 'utf8')).toBe('id,y\n1,2\n4,8\n');
    expect(readFileSync(file('width-rejects.jsonl'), 'utf8')).toBe(
      '{"row":2,"error":"row has 1 cells, the header has 2","code":"csv-width","input":["2"]}\n{"row":3,"error":"row has 3 cells, the header has 2","code":"csv-width","input":["3","3","3"]}\n',
    );
    expect((await score(MODEL, file('width.csv'), '-o', file('width.out.csv'))).status).toBe(1);
  });

  it('rejects a CSV row that is not UTF-8 with its number, where decoding would have replaced the bytes', async () => {
    writeFileSync(file('latin1.csv'), Buffer.concat([Buffer.from('id,x\n1,1\n2,2'), Buffer.from([0xe9]), Buffer.from('\n3,3\n')]));
    const r = await score(MODEL, file('latin1.csv'), '-o', file('latin1.out.csv'), '--rejects', file('latin1-rejects.jsonl'));
    expect(r.status).toBe(0);
    expect(readFileSync(file('latin1.out.csv'), 'utf8')).toBe('id,y\n1,2\n3,6\n');
    expect(readFileSync(file('latin1-rejects.jsonl'), 'utf8')).toBe(
      '{"row":2,"error":"row is not valid UTF-8","code":"invalid-utf8","input":{"id":"2","x":"2\uFFFD"}}\n',
    );
  });

  it('rejects a JSON line that is not JSON or not UTF-8 with its number', async () => {
    writeFileSync(
      file('bad.jsonl'),
      Buffer.concat([
        Buffer.from('{"id": 1, "x": 1}\n{"id": 2,\n\n{"id": ""}\n'),
        Buffer.from([0x7b, 0xff, 0x7d, 0x0a]),
        Buffer.from('{"id": 3, "x": 3}'),
      ]),
    );
    const r = await score(MODEL, file('bad.jsonl'), '-o', file('bad.out.jsonl'), '--rejects', file('bad-rejects.jsonl'));
    expect(r.status).toBe(0);
    const rejects = readFileSync(file('bad-rejects.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { row: number; code?: string });
    expect(rejects.map((x) => [x.row, x.code])).toEqual([
      [2, 'json-syntax'],
      [3, rejects[1]!.code], // {"id": ""}: no x, as input validation reports it
      [4, 'invalid-utf8'],
    ]);
    expect(readFileSync(file('bad.out.jsonl'), 'utf8')).toBe('{"id":1,"y":2}\n{"id":3,"y":6}\n');
  });
});
