/**
 * The PMML runner on small cases of our own, written to a temp dir at run time: each way a case
 * can be wrong without a wrong prediction (columns, rows, nothing to compare) fails it; an
 * expected NaN matches a NaN result; skips follow the model document, not just the id.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellMatches, fileSha256, runPmmlSuite, type PmmlSkip } from '../../src/conformance/pmml-suite.js';
import { loadPmmlSkips, runConformance } from '../../src/cli/conformance.js';
import { PfaSyntaxError } from '../../src/errors.js';
import { tempDir } from './suite-layout.js';

/** y = 2x + intercept, with yhat as an output field. */
const model = (intercept = 1) => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/></DataDictionary>
<RegressionModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
<Output><OutputField name="yhat" feature="predictedValue" dataType="double"/></Output>
<RegressionTable intercept="${intercept}"><NumericPredictor name="x" coefficient="2"/></RegressionTable></RegressionModel></PMML>`;

interface CaseSpec {
  id: string;
  input: string;
  expected: string;
  compare?: string[];
  pmml?: string;
}

/** Writes the cases and a manifest for them; returns the manifest's path. */
function corpus(dir: string, cases: CaseSpec[]): string {
  const manifest = {
    cases: cases.map((c) => {
      mkdirSync(join(dir, c.id), { recursive: true });
      writeFileSync(join(dir, c.id, 'model.pmml'), c.pmml ?? model());
      writeFileSync(join(dir, c.id, 'input.csv'), c.input);
      writeFileSync(join(dir, c.id, 'expected.csv'), c.expected);
      return {
        id: c.id,
        model_file: `${c.id}/model.pmml`,
        input_csv: `${c.id}/input.csv`,
        expected_csv: `${c.id}/expected.csv`,
        top_level_model: 'RegressionModel',
        producer: 'hand-written',
        compare_columns: c.compare ?? ['y', 'yhat'],
        tolerance: { kind: 'jpmml_relative', precision: 1e-13, zero_threshold: 1e-13 },
      };
    }),
  };
  const path = join(dir, 'manifest.json');
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

const INPUT = 'x\n1\n2\n3\n';
const EXPECTED = 'y,yhat\n3,3\n5,5\n7,7\n';

describe('PMML conformance runner', () => {
  it('passes a case whose every row matches', () => {
    const report = runPmmlSuite(corpus(tempDir(), [{ id: 'ok', input: INPUT, expected: EXPECTED }]));
    expect(report.byCase.ok).toEqual({ status: 'passed', rows: 3, mismatches: 0 });
  });

  it('fails a compare column missing from expected.csv', () => {
    const report = runPmmlSuite(corpus(tempDir(), [{ id: 'missing', input: INPUT, expected: 'y\n3\n5\n7\n' }]));
    expect(report.byCase.missing!.status).toBe('failed');
    expect(report.byCase.missing!.firstMismatch).toContain('yhat');
  });

  it('fails fewer expected rows than results, and counts each row without one', () => {
    const report = runPmmlSuite(corpus(tempDir(), [{ id: 'fewer', input: INPUT, expected: 'y,yhat\n3,3\n5,5\n' }]));
    expect(report.byCase.fewer).toMatchObject({ status: 'failed', rows: 3, mismatches: 1 });
    expect(report.byCase.fewer!.firstMismatch).toContain('2 rows for 3 results');
  });

  it('fails more expected rows than results', () => {
    const report = runPmmlSuite(corpus(tempDir(), [{ id: 'more', input: INPUT, expected: `${EXPECTED}9,9\n11,11\n` }]));
    expect(report.byCase.more).toMatchObject({ status: 'failed', rows: 3, mismatches: 2 });
    expect(report.byCase.more!.firstMismatch).toContain('5 rows for 3 results');
  });

  it('fails a short expected row', () => {
    const report = runPmmlSuite(corpus(tempDir(), [{ id: 'short', input: INPUT, expected: 'y,yhat\n3,3\n5\n7,7\n' }]));
    expect(report.byCase.short).toMatchObject({ status: 'failed', mismatches: 1 });
  });

  it('fails a case with no compare_columns', () => {
    const report = runPmmlSuite(corpus(tempDir(), [{ id: 'nothing', input: INPUT, expected: EXPECTED, compare: [] }]));
    expect(report.byCase.nothing!.status).toBe('failed');
    expect(report.failed).toBe(1);
  });

  it('fails a case with no input rows', () => {
    const report = runPmmlSuite(corpus(tempDir(), [{ id: 'empty', input: 'x\n', expected: 'y,yhat\n' }]));
    expect(report.byCase.empty!.status).toBe('failed');
  });

  it('matches an expected NaN with a NaN result, and only with one', () => {
    const report = runPmmlSuite(
      corpus(tempDir(), [
        { id: 'nan', input: 'x\nNaN\n1\n', expected: 'y,yhat\nNaN,nan\n3,3\n' },
        { id: 'nan-for-number', input: INPUT, expected: 'y,yhat\n3,3\nNaN,NaN\n7,7\n' },
        { id: 'number-for-nan', input: 'x\nNaN\n', expected: 'y,yhat\n3,3\n' },
      ]),
    );
    expect(report.byCase.nan!.status).toBe('passed');
    expect(report.byCase['nan-for-number']).toMatchObject({ status: 'failed', mismatches: 1 });
    expect(report.byCase['number-for-nan']).toMatchObject({ status: 'failed', mismatches: 1 });
    for (const kind of ['jpmml_relative', 'jpmml_float_ulps', 'cpmml', 'exact_in_source'] as const) {
      expect(cellMatches('NaN', NaN, { kind, ulps: 2 }), kind).toBe(true);
      expect(cellMatches('NaN', 1, { kind, ulps: 2 }), kind).toBe(false);
      expect(cellMatches('1', NaN, { kind, ulps: 2 }), kind).toBe(false);
    }
  });

  it('skips a case by its id and its model checksum; the same id with another document runs', () => {
    const dir = tempDir();
    const manifest = corpus(dir, [
      { id: 'a', input: INPUT, expected: EXPECTED },
      { id: 'b', input: INPUT, expected: EXPECTED, pmml: model(0) },
    ]);
    const sha = fileSha256(join(dir, 'a', 'model.pmml'));
    const skips: PmmlSkip[] = [
      { id: 'a', model_sha256: sha, reason: 'documented departure' },
      // Same document bytes as a's, but case b holds another document: it must run (and fail).
      { id: 'b', model_sha256: sha, reason: 'written for another document' },
    ];
    const report = runPmmlSuite(manifest, { skips });
    expect(report.byCase.a).toMatchObject({ status: 'skipped', firstMismatch: 'documented departure' });
    expect(report.byCase.b!.status).toBe('failed');
    expect(report).toMatchObject({ passed: 0, failed: 1, skipped: 1 });
  });

  it('refuses a skip file whose skips have no model checksum', () => {
    const dir = tempDir();
    const path = join(dir, 'skips.json');
    writeFileSync(path, JSON.stringify({ skips: [{ id: 'a', reason: 'r' }] }));
    expect(() => loadPmmlSkips(path)).toThrow(PfaSyntaxError);
    writeFileSync(path, JSON.stringify({ skips: [{ id: 'a', model_sha256: 'a'.repeat(64), reason: 'r' }] }));
    expect(loadPmmlSkips(path)).toHaveLength(1);
    const manifest = corpus(dir, [{ id: 'ok', input: INPUT, expected: EXPECTED }]);
    writeFileSync(path, JSON.stringify({ skips: [{ id: 'ok', reason: 'r' }] }));
    const err: string[] = [];
    expect(
      runConformance(
        ['pmml', manifest, '--skips', path],
        () => {},
        (s) => err.push(s),
      ),
    ).toBe(2);
    expect(err.join('\n')).toContain(path);
  });

  it('reports a failing case through the CLI with exit 1 and the usual last line', () => {
    const manifest = corpus(tempDir(), [
      { id: 'ok', input: INPUT, expected: EXPECTED },
      { id: 'fewer', input: INPUT, expected: 'y,yhat\n3,3\n' },
    ]);
    const out: string[] = [];
    expect(
      runConformance(
        ['pmml', manifest, '--skips', join(tempDir(), 'none.json')],
        (s) => out.push(s),
        () => {},
      ),
    ).toBe(1);
    expect(out.at(-1)).toBe('1 passed, 1 failed, 0 skipped');
  });
});
