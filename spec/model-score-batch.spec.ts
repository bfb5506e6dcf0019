/**
 * `Model.scoreBatch` (PFA and PMML) against its baseline, a loop of `score`: the same results, and
 * on a failure the same first error after the same records were scored (a model with a cell shows
 * how many were). Real corpus models too, skipped with a message when ../shared/conformance/pmml/
 * is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsv, records, type PmmlCase } from '../src/conformance/pmml-suite.js';
import { loadModel, type Model } from '../src/index.js';

/** Counts the records it scores in a cell, before failing on a negative x; answers x + count. */
const COUNTING = JSON.stringify({
  input: { type: 'record', name: 'In', fields: [{ name: 'x', type: 'double' }] },
  output: 'double',
  cells: { n: { type: 'int', init: 0 } },
  action: [
    { cell: 'n', to: { params: [{ v: 'int' }], ret: 'int', do: { '+': ['v', 1] } } },
    { if: { '<': ['input.x', 0] }, then: { error: 'negative' } },
    { '+': ['input.x', { cell: 'n' }] },
  ],
});

const LINEAR_PMML = readFileSync(fileURLToPath(new URL('./fixtures/scoring/linear.pmml', import.meta.url)), 'utf8');

type Outcome = { readonly results: unknown[] } | { readonly error: { readonly message: string; readonly code: unknown } };

function outcome(f: () => unknown[]): Outcome {
  try {
    return { results: f() };
  } catch (e) {
    return { error: { message: (e as Error).message, code: (e as { code?: unknown }).code } };
  }
}

const loop = (m: Model<unknown, unknown>, rs: readonly unknown[]) => () => {
  const out: unknown[] = [];
  for (const r of rs) out.push(m.score(r));
  return out;
};

/** scoreBatch and the loop, each on a model of its own from `text`; then one more record scored by each. */
function expectSame(text: string, rs: readonly unknown[], after: unknown): Outcome {
  const a = loadModel<unknown, unknown>(text);
  const b = loadModel<unknown, unknown>(text);
  const batch = outcome(() => a.scoreBatch(rs));
  expect(batch).toEqual(outcome(loop(b, rs)));
  expect(a.score(after)).toEqual(b.score(after));
  return batch;
}

describe('Model.scoreBatch gives what a loop of score gives', () => {
  it('PFA: results in order, and the state the records leave', () => {
    const got = expectSame(COUNTING, [{ x: 1 }, { x: 2 }, { x: 10 }], { x: 0 });
    expect(got).toEqual({ results: [2, 4, 13] });
  });

  it('PFA: a failing record ends the batch with its error, after the records before it', () => {
    const got = expectSame(COUNTING, [{ x: 1 }, { x: -1 }, { x: 3 }], { x: 0 });
    expect(got).toMatchObject({ error: { message: expect.stringContaining('negative') } });
  });

  it('PFA: a record that cannot be read fails after the records before it are scored, and not before a failure among them', () => {
    const unreadAfterGood = expectSame(COUNTING, [{ x: 1 }, { x: 2 }, { y: 3 }, { x: 4 }], { x: 0 });
    expect(unreadAfterGood).toMatchObject({ error: { code: 'unknown-field' } });
    const failingFirst = expectSame(COUNTING, [{ x: 1 }, { x: -2 }, { y: 3 }], { x: 0 });
    expect(failingFirst).toMatchObject({ error: { message: expect.stringContaining('negative') } });
    // The record after the failure was never read: only two were scored.
    const m = loadModel<unknown, number>(COUNTING);
    expect(() => m.scoreBatch([{ x: 1 }, { x: -2 }, { y: 3 }])).toThrow(/negative/);
    expect(m.score({ x: 0 })).toBe(3);
  });

  it('PMML: results, text values read as numbers, an empty batch', () => {
    const rs = [{ x: 1 }, { x: '2.5' }, { x: -3 }, {}];
    expect(expectSame(LINEAR_PMML, rs, { x: 0 })).toEqual({ results: [{ y: 3 }, { y: 6 }, { y: -5 }, { y: null }] });
    expect(loadModel(LINEAR_PMML).scoreBatch([])).toEqual([]);
  });

  it('PMML: the first failure is the loop’s, whether a value that is not a number or an unknown field', () => {
    expect(expectSame(LINEAR_PMML, [{ x: 1 }, { x: 'abc' }, { z: 1 }], { x: 0 })).toMatchObject({ error: { code: 'input-mismatch' } });
    expect(expectSame(LINEAR_PMML, [{ x: 1 }, { z: 1 }, { x: 'abc' }], { x: 0 })).toMatchObject({ error: { code: 'unknown-field' } });
  });
});

const MANIFEST = fileURLToPath(new URL('../../shared/conformance/pmml/manifest.json', import.meta.url));
const present = existsSync(MANIFEST);
if (!present) console.warn(`PMML conformance corpus not found at ${MANIFEST}: skipping scoreBatch over real models`);
/** A real ensemble and a real GLM, as in the bench's threads line. */
const CASES = ['sklearn-XGBoostAudit', 'rattle-GeneralRegressionAudit'];

describe.skipIf(!present)('PmmlModel.scoreBatch over real corpus models', () => {
  it.each(CASES)('%s: the same results as score, record by record', (id) => {
    const base = dirname(MANIFEST);
    const c = (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { cases: PmmlCase[] }).cases.find((x) => x.id === id)!;
    const model = loadModel(readFileSync(join(base, c.model_file), 'utf8'), { allowExtraFields: true });
    const rs = records(readCsv(join(base, c.input_csv)), c.group_field).slice(0, 300);
    expect(model.scoreBatch(rs)).toEqual(rs.map((r) => model.score(r)));
  });
});
