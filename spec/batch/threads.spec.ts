import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchAbort, scoreStream, ThreadCrash } from '../../src/batch/score-stream.js';
import { runScore } from '../../src/cli/score.js';

const dir = mkdtempSync(join(tmpdir(), 'trajan-threads-'));
const file = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Counts to input.n; a negative n loops until a budget stops it. */
const LOOP = JSON.stringify({
  input: { type: 'record', name: 'In', fields: [{ name: 'n', type: 'long' }] },
  output: 'long',
  action: [
    { let: { i: { long: 0 } } },
    { while: { '||': [{ '<': ['input.n', 0] }, { '<': ['i', 'input.n'] }] }, do: [{ set: { i: { '+': ['i', 1] } } }] },
    'i',
  ],
});
writeFileSync(file('loop.pfa.json'), LOOP);

async function score(...args: string[]): Promise<{ status: number; err: string[] }> {
  const err: string[] = [];
  const status = await runScore(args, (s) => err.push(s));
  return { status, err };
}

const rejectsOf = (name: string) =>
  readFileSync(file(name), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { row: number; code?: string });

/**
 * A 2-thread run of LOOP over JSON `lines` with the worker module `worker` (a file of `dir`): what
 * it threw and what it wrote. Each piece is one line of 10 or 12 bytes: a chunk of at least 15
 * bytes holds two.
 */
async function withWorker(lines: readonly string[], worker: string): Promise<{ e: unknown; written: string[] }> {
  const output = new PassThrough();
  const written: string[] = [];
  output.on('data', (c: Buffer) => written.push(c.toString()));
  const e = await scoreStream({
    model: LOOP,
    input: Readable.from(lines),
    inputFormat: 'jsonl',
    output,
    outputFormat: 'jsonl',
    threads: 2,
    chunkBytes: 15,
    workerFile: pathToFileURL(file(worker)),
  }).then(
    () => undefined,
    (x: unknown) => x,
  );
  return { e, written };
}

describe('trajan score with budgets and threads', () => {
  it('rejects a row that breaks a budget with its code, with and without threads, and goes on', async () => {
    const deep = `{"n": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const rows = ['{"n": 3}', '{"n": 100000}', '{"n": -1}', '{"n": "x"}', deep, 'not json', '{"n": 4}'];
    // Enough rows that the threads get several chunks; the bad ones sit in the middle.
    const lines = [
      ...Array.from({ length: 1200 }, (_, i) => `{"n": ${i % 7}}`),
      ...rows,
      ...Array.from({ length: 1200 }, (_, i) => `{"n": ${i % 5}}`),
    ];
    writeFileSync(file('rows.jsonl'), `${lines.join('\n')}\n`);
    // No time budget here, so which budget stops a row does not depend on the machine's speed.
    const budget = ['--max-loop-steps', '50000', '--timeout', '0'];
    const one = await score(
      file('loop.pfa.json'),
      file('rows.jsonl'),
      '-o',
      file('one.jsonl'),
      '--rejects',
      file('one-rejects.jsonl'),
      ...budget,
    );
    const two = await score(
      file('loop.pfa.json'),
      file('rows.jsonl'),
      '-o',
      file('two.jsonl'),
      '--rejects',
      file('two-rejects.jsonl'),
      ...budget,
      '--threads',
      '2',
    );
    expect([one.status, two.status]).toEqual([0, 0]);
    expect(one.err.at(-1)).toMatch(/^scored 2402 of 2407 rows .*, 5 rejected$/);
    expect(readFileSync(file('two.jsonl'), 'utf8')).toBe(readFileSync(file('one.jsonl'), 'utf8'));
    const rejects = rejectsOf('one-rejects.jsonl');
    expect(rejectsOf('two-rejects.jsonl')).toEqual(rejects);
    expect(rejects.map((r) => [r.row, r.code])).toEqual([
      [1202, 'loop-limit'],
      [1203, 'loop-limit'], // n = -1 loops forever: the step budget stops it
      [1204, rejects[2]!.code], // a string for a long: whatever code input validation gives it
      [1205, 'too-deep'],
      [1206, 'json-syntax'],
    ]);
  });

  it('stops an endless row at the time budget, 1 s by default', async () => {
    writeFileSync(file('forever.jsonl'), '{"n": 2}\n{"n": -1}\n{"n": 5}\n');
    const steps = ['--max-loop-steps', String(Number.MAX_SAFE_INTEGER)];
    for (const extra of [[], ['--timeout', '50'], ['--threads', '2', '--timeout', '50']]) {
      const r = await score(
        file('loop.pfa.json'),
        file('forever.jsonl'),
        '-o',
        file('forever.out.jsonl'),
        '--rejects',
        file('forever-rejects.jsonl'),
        ...steps,
        ...extra,
      );
      expect(r.status).toBe(0);
      expect(readFileSync(file('forever.out.jsonl'), 'utf8')).toBe('2\n5\n');
      expect(rejectsOf('forever-rejects.jsonl')).toMatchObject([{ row: 2, code: 'timeout' }]);
    }
  });

  it('takes budget flags only as whole numbers', async () => {
    for (const flag of ['--timeout', '--max-loop-steps', '--max-allocation']) {
      for (const v of ['-1', '1.5', 'x', '']) {
        const r = await score(file('loop.pfa.json'), file('forever.jsonl'), `${flag}=${v}`);
        expect(r.status).toBe(2);
        expect(r.err[0]).toMatch(new RegExp(`^trajan score: ${flag} must be a whole number`));
      }
    }
  });

  it('ends the run when a worker thread dies, naming the rows it held, after writing the rows before', async () => {
    // A stand-in worker that reads a chunk of JSON lines, scores n as itself and dies on n = 666.
    writeFileSync(
      file('dying-worker.mjs'),
      [
        'export default (task) => {',
        '  const ns = Buffer.from(task.bytes).toString().split("\\n").filter(Boolean).map((l) => JSON.parse(l).n);',
        '  if (ns.includes(666)) process.exit(3);',
        '  return { rows: ns.length, text: Buffer.from(ns.map((n) => `${n}\\n`).join("")), failures: [] };',
        '};',
      ].join('\n'),
    );
    const lines = [1, 2, 3, 4, 5, 666, 7, 8, 9].map((n) => `{"n": ${n}}\n`);
    const { e, written } = await withWorker(lines, 'dying-worker.mjs');
    expect(e).toBeInstanceOf(BatchAbort);
    const abort = e as BatchAbort;
    expect(abort.cause).toBeInstanceOf(ThreadCrash);
    // A thread holds up to two chunks (thread-pool.ts): dying on [5, 666] it may take the chunk
    // queued before it too. The crash names the first chunk lost, and everything before is written.
    const { first, last } = abort.cause as ThreadCrash;
    expect([1, 3, 5]).toContain(first);
    expect(last).toBe(first + 1);
    expect(abort.message).toMatch(new RegExp(`^a worker thread failed while scoring rows ${first}-${last}: `));
    expect(abort.summary).toMatchObject({ rows: first - 1, scored: first - 1, rejected: 0 });
    expect(written.join('')).toBe(
      [1, 2, 3, 4]
        .slice(0, first - 1)
        .map((n) => `${n}\n`)
        .join(''),
    );
  });

  it('ends the run with a ThreadCrash when a thread fails while it starts, and writes what this thread scored', async () => {
    writeFileSync(file('failing-start.mjs'), 'throw new Error("cannot start");\n');
    const lines = Array.from({ length: 40 }, (_, i) => `{"n": ${i % 3}}\n`);
    const { e, written } = await withWorker(lines, 'failing-start.mjs');
    expect(e).toBeInstanceOf(BatchAbort);
    const abort = e as BatchAbort;
    expect(abort.cause).toBeInstanceOf(ThreadCrash);
    expect(abort.message).toMatch(/^a worker thread failed while scoring rows \d+-\d+: .*cannot start/);
    // The rows before the first chunk lost are written, each once, in order.
    const { first } = abort.cause as ThreadCrash;
    expect(abort.summary.rows).toBe(first - 1);
    expect(written.join('')).toBe(
      lines
        .slice(0, first - 1)
        .map((l) => `${JSON.parse(l).n}\n`)
        .join(''),
    );
  });
});
