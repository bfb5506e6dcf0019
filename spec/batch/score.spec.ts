import avro from 'avsc';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runScore } from '../../src/cli/score.js';
import { TOTAL_INPUT_SCHEMA } from '../helpers/total-model.js';

const MODEL = fileURLToPath(new URL('../fixtures/scoring/total.pfa.yaml', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/trajan.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'trajan-batch-'));
const file = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function score(...args: string[]): Promise<{ status: number; err: string[] }> {
  const err: string[] = [];
  const status = await runScore(args, (s) => err.push(s));
  return { status, err };
}

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

describe('trajan score', () => {
  it('scores CSV to CSV, reading cells by the input schema, with failing rows in --rejects', async () => {
    writeFileSync(file('in.csv'), 'label,x,y\na,1,2\nb,1.5,\nboom,1,1\nc,x,1\n');
    const r = await score(MODEL, file('in.csv'), '-o', file('out.csv'), '--rejects', file('rejects.jsonl'));
    expect(r.status).toBe(0);
    expect(readFileSync(file('out.csv'), 'utf8')).toBe('total,label\n3,A\n1.5,B\n');
    const rejects = readFileSync(file('rejects.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects).toEqual([
      { row: 3, error: 'label boom is not allowed', code: 'user-error', input: { label: 'boom', x: '1', y: '1' } },
      { row: 4, error: 'column x: expected double, got "x"', code: 'csv-cell', input: { label: 'c', x: 'x', y: '1' } },
    ]);
    expect(r.err.at(-1)).toMatch(/^scored 2 of 4 rows in [\d.]+ s \(\d+ rows\/s\), 2 rejected$/);
  });

  it('writes and reads Avro object container files', async () => {
    writeFileSync(file('in.jsonl'), '{"x": 1, "y": 2, "label": "a"}\n\n{"x": 2, "y": null, "label": "b"}\n');
    expect((await score(MODEL, file('in.jsonl'), '-o', file('out.avro'))).status).toBe(0);
    expect(await readAvro(file('out.avro'))).toEqual([
      { total: 3, label: 'A' },
      { total: 2, label: 'B' },
    ]);

    const enc = avro.createFileEncoder(file('in.avro'), avro.Type.forSchema(TOTAL_INPUT_SCHEMA as avro.Schema));
    enc.write({ x: 1, y: 2, label: 'a' });
    enc.write({ x: 4, y: null, label: 'd' });
    await new Promise((resolve) => enc.end(resolve));
    await new Promise((r) => setTimeout(r, 50));
    expect((await score(MODEL, file('in.avro'), '-o', file('from-avro.jsonl'))).status).toBe(0);
    expect(readFileSync(file('from-avro.jsonl'), 'utf8')).toBe('{"total":3,"label":"A"}\n{"total":4,"label":"D"}\n');
  });

  it('keeps input order with --threads', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({ x: i, y: i % 3 ? 1 : null, label: i === 1234 ? 'boom' : `r${i}` }),
    );
    writeFileSync(file('many.jsonl'), `${lines.join('\n')}\n`);
    const one = await score(MODEL, file('many.jsonl'), '-o', file('one.csv'), '--rejects', file('one-rejects.jsonl'));
    const four = await score(MODEL, file('many.jsonl'), '-o', file('four.csv'), '--rejects', file('four-rejects.jsonl'), '--threads', '3');
    expect([one.status, four.status]).toEqual([0, 0]);
    const out = readFileSync(file('four.csv'), 'utf8');
    expect(out).toBe(readFileSync(file('one.csv'), 'utf8'));
    expect(out.split('\n').length).toBe(3001);
    expect(out.split('\n')[3]).toBe('3,R2');
    expect(readFileSync(file('four-rejects.jsonl'), 'utf8')).toMatch(/^\{"row":1235,"error":"label boom is not allowed"/);
  });

  it('stops at the first failing row with --fail-fast, and exits 1 for failures without --rejects', async () => {
    writeFileSync(
      file('bad.jsonl'),
      '{"x": 1, "y": 2, "label": "a"}\n{"x": 1, "y": 2, "label": "boom"}\nnot json\n{"x": 1, "y": 2, "label": "z"}\n',
    );
    const ff = await score(MODEL, file('bad.jsonl'), '-o', file('ff.jsonl'), '--fail-fast');
    expect(ff.status).toBe(1);
    expect(ff.err.at(-1)).toMatch(/stopped at row 2: label boom is not allowed/);
    expect(readFileSync(file('ff.jsonl'), 'utf8')).toBe('{"total":3,"label":"A"}\n');
    const plain = await score(MODEL, file('bad.jsonl'), '-o', file('plain.jsonl'));
    expect(plain.status).toBe(1);
    expect(plain.err.slice(0, 2)).toEqual([
      'row 2: label boom is not allowed (user-error)',
      expect.stringMatching(/^row 3: malformed JSON: .* \(json-syntax\)$/),
    ]);
    expect(readFileSync(file('plain.jsonl'), 'utf8').split('\n').length).toBe(3);
  });

  it('exits 2 for usage errors, unreadable input and models that do not load', async () => {
    expect((await score()).status).toBe(2);
    writeFileSync(file('in.txt'), 'x,y,label\n');
    expect((await score(MODEL, file('in.txt'))).err[0]).toMatch(
      /^trajan score: cannot tell the input format from \S+in\.txt: use --format\nusage: /,
    );
    expect((await score(MODEL, file('in.csv'), '--threads', '0')).status).toBe(2);
    expect((await score(MODEL, file('in.csv'), '--rejects', 'r', '--fail-fast')).status).toBe(2);
    expect((await score(MODEL, file('missing.csv'))).err).toEqual([`trajan score: input file ${file('missing.csv')} does not exist`]);
    const bad = fileURLToPath(new URL('../fixtures/unknown-function.pfa.json', import.meta.url));
    const r = await score(bad, file('in.csv'), '-o', file('never.csv'));
    expect(r.status).toBe(2);
    expect(r.err[0]).toMatch(/unknown-function\.pfa\.json:5:5 unknown-function/);
  });

  it('reads stdin and writes stdout in a pipe, with no progress bar', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'score', MODEL, '--format', 'csv'], {
      input: 'x,y,label\n1,2,a\n',
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('total,label\n3,A\n');
    expect(r.stderr).toMatch(/^scored 1 of 1 rows in [\d.]+ s \(\d+ rows\/s\), 0 rejected\n$/);
  });
});
