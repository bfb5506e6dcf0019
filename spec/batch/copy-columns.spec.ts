/** `trajan score --copy-columns` and `--id-column`: input columns carried through to the output. */
import avro from 'avsc';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runScore } from '../../src/cli/score.js';

const MODEL = fileURLToPath(new URL('../fixtures/scoring/total.pfa.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'trajan-copy-'));
const file = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function score(...args: string[]): Promise<{ status: number; err: string[] }> {
  const err: string[] = [];
  const status = await runScore(
    args,
    (s) => err.push(s),
    () => undefined,
  );
  return { status, err };
}

const lines = (name: string) => readFileSync(file(name), 'utf8').trim().split('\n');

function readAvro(path: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const out: unknown[] = [];
    avro
      .createFileDecoder(path)
      .on('data', (r: unknown) => out.push({ ...(r as object) }))
      .on('end', () => resolve(out))
      .on('error', reject);
  });
}

// The model reads x, y and label; id and note are only there to be copied.
writeFileSync(file('in.csv'), 'id,label,x,y,note\n7,a,1,2,"hi, there"\n8,boom,1,1,yo\n9,c,2,,\n');
writeFileSync(
  file('in.jsonl'),
  '{"id": 7, "x": 1, "y": 2, "label": "a", "note": {"k": 1}}\n{"x": 1, "y": 1, "label": "boom"}\nnot json\n{"id": "n9", "x": 2, "y": null, "label": "c"}\n',
);

describe('trajan score --copy-columns and --id-column', () => {
  it('copies CSV cells as they are, id first, and gives the id of each rejected row', async () => {
    const r = await score(
      MODEL,
      file('in.csv'),
      '-o',
      file('out.csv'),
      '--copy-columns',
      'note,id',
      '--id-column',
      'id',
      '--rejects',
      file('rejects.jsonl'),
    );
    expect(r.status).toBe(0);
    expect(lines('out.csv')).toEqual(['id,note,total,label', '7,"hi, there",3,A', '9,,2,C']);
    expect(lines('rejects.jsonl').map((l) => JSON.parse(l))).toEqual([
      {
        row: 2,
        id: '8',
        error: 'label boom is not allowed',
        code: 'user-error',
        input: { id: '8', label: 'boom', x: '1', y: '1', note: 'yo' },
      },
    ]);
  });

  it('copies JSON Lines fields as values, null when absent, the same with threads', async () => {
    for (const threads of ['1', '2']) {
      const r = await score(
        MODEL,
        file('in.jsonl'),
        '-o',
        file(`out-${threads}.jsonl`),
        '--id-column',
        'id',
        '--copy-columns',
        'note',
        '--rejects',
        file(`rejects-${threads}.jsonl`),
        '--threads',
        threads,
      );
      expect(r.status).toBe(0);
      expect(lines(`out-${threads}.jsonl`).map((l) => JSON.parse(l))).toEqual([
        { id: 7, note: { k: 1 }, total: 3, label: 'A' },
        { id: 'n9', note: null, total: 2, label: 'C' },
      ]);
      expect(lines(`rejects-${threads}.jsonl`).map((l) => JSON.parse(l))).toMatchObject([
        { row: 2, id: null, code: 'user-error' },
        { row: 3, id: null, code: 'json-syntax' },
      ]);
    }
  });

  it('writes copied columns into Avro output as nullable strings, other values as JSON text', async () => {
    expect(
      (
        await score(
          MODEL,
          file('in.jsonl'),
          '-o',
          file('out.avro'),
          '--id-column',
          'id',
          '--copy-columns',
          'note',
          '--rejects',
          file('r.jsonl'),
        )
      ).status,
    ).toBe(0);
    expect(await readAvro(file('out.avro'))).toEqual([
      { id: '7', note: '{"k":1}', total: 3, label: 'A' },
      { id: 'n9', note: null, total: 2, label: 'C' },
    ]);
  });

  it('leaves the output as it was without the flags, and rejects without an id', async () => {
    const r = await score(MODEL, file('in.csv'), '-o', file('plain.csv'), '--allow-extra-fields', '--rejects', file('plain-rejects.jsonl'));
    expect(r.status).toBe(0);
    expect(lines('plain.csv')).toEqual(['total,label', '3,A', '2,C']);
    expect(JSON.parse(lines('plain-rejects.jsonl')[0]!)).not.toHaveProperty('id');
  });

  it('exits 2 for a column the CSV header lacks, a name the results use, or an empty name', async () => {
    const missing = await score(MODEL, file('in.csv'), '-o', file('never.csv'), '--copy-columns', 'nope');
    expect(missing.status).toBe(2);
    expect(missing.err.join('\n')).toMatch(/missing-column record 1: the header has no column "nope" to copy/);
    const clash = await score(MODEL, file('in.csv'), '-o', file('never.csv'), '--id-column', 'total');
    expect(clash.status).toBe(2);
    expect(clash.err[0]).toMatch(
      /^trajan score: copied column "total" would clash with the result's fields \(total, label\)\nusage: trajan score /,
    );
    const empty = await score(MODEL, file('in.csv'), '--copy-columns', 'a,,b');
    expect(empty.status).toBe(2);
    expect(empty.err[0]).toMatch(/^trajan score: --copy-columns needs a comma-separated list/);
  });
});
