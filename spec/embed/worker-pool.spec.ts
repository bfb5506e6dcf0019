import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerScorer, loadModel } from '../../src/index.js';

const source = readFileSync(fileURLToPath(new URL('../fixtures/scoring/total.pfa.yaml', import.meta.url)), 'utf8');

describe('worker-pool scorer', () => {
  const scorer = createWorkerScorer(source, { threads: 2 });
  afterAll(() => scorer.close());

  it('scores batches on worker threads, in order, in Avro JSON like Model.score', async () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ x: i, y: i % 2 ? null : 1, label: `r${i}` }));
    const results = await scorer.scoreBatch(records);
    expect(results).toHaveLength(100);
    expect(results[0]).toEqual({ total: 1, label: 'R0' });
    expect(results[99]).toEqual({ total: 99, label: 'R99' });
    expect(await scorer.score({ x: 1, y: { double: 2 }, label: 'a' })).toEqual({ total: 3, label: 'A' });
  });

  it('reports each record’s failure with scoreEach, and rejects scoreBatch on the first', async () => {
    expect(
      await scorer.scoreEach([
        { x: 1, y: 1, label: 'boom' },
        { x: 1, y: 1, label: 'ok' },
      ]),
    ).toEqual([
      { ok: false, error: 'label boom is not allowed', code: expect.anything(), kind: 'runtime' },
      { ok: true, value: { total: 2, label: 'OK' } },
    ]);
    await expect(
      scorer.scoreBatch([
        { x: 1, y: 1, label: 'a' },
        { x: 1, label: 'b' },
      ]),
    ).rejects.toThrow(/record 1: missing field "y"/);
  });

  it('keeps order and names the failing record across the several chunks per thread of a large batch', async () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: 1, label: `r${i}` }));
    const results = await scorer.scoreBatch(records);
    expect(results).toEqual(records.map((r) => ({ total: r.x + 1, label: r.label.toUpperCase() })));
    records[777] = { x: 1, y: 1, label: 'boom' };
    await expect(scorer.scoreBatch(records)).rejects.toThrow(/^record 777: label boom is not allowed/);
  });

  it('refuses a document that does not load, before starting threads', () => {
    expect(() => createWorkerScorer('{"input": "double", "output": "string", "action": [1]}')).toThrow(/output-mismatch|returns/);
  });
});

describe('worker-pool scorer of a PMML model', () => {
  const text = readFileSync(fileURLToPath(new URL('../fixtures/scoring/linear.pmml', import.meta.url)), 'utf8');
  const scorer = createWorkerScorer(text, { threads: 2 });
  afterAll(() => scorer.close());

  it('scores many records in a thread as the model does on this thread, failures included', async () => {
    const model = loadModel(text);
    // Enough records that their outcomes come back as text (io/outcome-text.ts).
    const records = Array.from({ length: 300 }, (_, i) => (i % 50 === 7 ? { x: 'not a number' } : { x: i / 4 }));
    const here = records.map((r) => {
      try {
        return { ok: true, value: model.score(r) };
      } catch (e) {
        return { ok: false, error: (e as Error).message };
      }
    });
    const there = await scorer.scoreEach(records);
    expect(there.map((o) => (o.ok ? o : { ok: false, error: o.error }))).toEqual(here);
    expect(there.filter((o) => !o.ok)).toHaveLength(6);
  });
});
