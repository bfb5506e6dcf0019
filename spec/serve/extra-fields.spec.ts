/**
 * Fields a model does not read: refused by default (a misspelt name would otherwise score as a
 * missing value), accepted when the host allows them — in the server and in `trajan score`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScore } from '../../src/cli/score.js';
import { serveRepository } from './repo.js';

const PMML = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="petal length" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/></DataDictionary>
<RegressionModel functionName="regression"><MiningSchema><MiningField name="petal length"/><MiningField name="y" usageType="target"/></MiningSchema>
<RegressionTable intercept="1"><NumericPredictor name="petal length" coefficient="2"/></RegressionTable></RegressionModel></PMML>`;

const root = mkdtempSync(join(tmpdir(), 'trajan-extra-'));
mkdirSync(join(root, 'repo', 'lin', '1'), { recursive: true });
writeFileSync(join(root, 'repo', 'lin', '1', 'model.pmml'), PMML);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the server and fields a model does not read', () => {
  const body = JSON.stringify({ instances: [{ 'petal length': 2, petal_width: 1 }] });

  it('answers 400 unknown-field, naming the field, by default', async () => {
    const server = await serveRepository(join(root, 'repo'));
    try {
      const r = await server.app.inject({
        method: 'POST',
        url: '/v1/models/lin:predict',
        payload: body,
        headers: { 'content-type': 'application/json' },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'unknown-field', kind: 'runtime' });
      expect(r.json().error).toContain('petal_width');
    } finally {
      await server.close();
    }
  });

  it('scores the record when the host allows extra fields', async () => {
    const server = await serveRepository(join(root, 'repo'), { loadOptions: { allowExtraFields: true } });
    try {
      const r = await server.app.inject({
        method: 'POST',
        url: '/v1/models/lin:predict',
        payload: body,
        headers: { 'content-type': 'application/json' },
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ predictions: [{ y: 5 }] });
    } finally {
      await server.close();
    }
  });
});

describe('trajan score and columns a model does not read', () => {
  const model = join(root, 'lin.pmml');
  writeFileSync(model, PMML);
  const input = join(root, 'in.csv');
  writeFileSync(input, 'id,petal length\n1,2\n2,3\n');

  it('refuses a CSV header with a column the model does not read, by default', async () => {
    const err: string[] = [];
    expect(await runScore([model, input, '-o', join(root, 'out1.csv')], (s) => err.push(s))).toBe(2);
    expect(err.join('\n')).toMatch(/"id".*--allow-extra-fields/);
  });

  it('rejects each JSON Lines record with a field the model does not read, by default', async () => {
    const lines = join(root, 'in.jsonl');
    writeFileSync(lines, '{"petal length": 2}\n{"petal length": 3, "petal_width": 1}\n');
    const rejects = join(root, 'rejects.jsonl');
    expect(await runScore([model, lines, '-o', join(root, 'out1.jsonl'), '--rejects', rejects], () => {})).toBe(0);
    const rows = readFileSync(rejects, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.row, r.code])).toEqual([[2, 'unknown-field']]);
  });

  it('scores every row with --allow-extra-fields', async () => {
    const out = join(root, 'out2.csv');
    expect(await runScore([model, input, '-o', out, '--allow-extra-fields'], () => {})).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('y\n5\n7\n');
  });
});
