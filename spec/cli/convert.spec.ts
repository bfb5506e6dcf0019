/** `trajan convert` and `validate-model` on PMML, run in-process. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runConvert } from '../../src/cli/convert.js';
import { loadPfa } from '../../src/index.js';
import { captured, validate } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'trajan-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pmml = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="petal length" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/></DataDictionary>
<RegressionModel functionName="regression"><MiningSchema><MiningField name="petal length"/><MiningField name="y" usageType="target"/></MiningSchema>
<RegressionTable intercept="1"><NumericPredictor name="petal length" coefficient="2"/></RegressionTable></RegressionModel></PMML>`;

describe('trajan convert', () => {
  it('writes a PFA document that scores like the PMML, and notes renamed fields', () => {
    const input = join(dir, 'model.pmml');
    const output = join(dir, 'model.pfa');
    writeFileSync(input, pmml);
    const r = captured((out, err) => runConvert([input, '-o', output], out, err));
    expect(r.status).toBe(0);
    expect(r.err.join('\n')).toContain('input field "petal length" is "petal_length"');
    const engine = loadPfa(readFileSync(output, 'utf8'));
    expect(engine.action({ petal_length: 3, y: null })).toEqual({ y: 7 });
    expect(validate(output).out).toEqual([`${output}: OK`]);
  });

  it('reports a document it cannot convert with its line and column', () => {
    const input = join(dir, 'bad.pmml');
    writeFileSync(input, pmml.replace('<MiningField name="petal length"/>', '<MiningField name="nope"/>'));
    const r = captured((out, err) => runConvert([input], out, err));
    expect(r.status).toBe(1);
    expect(r.err[0]).toMatch(/bad\.pmml:3:\d+ pmml-undefined-field/);
    expect(validate(input).out[0]).toMatch(/bad\.pmml:3:\d+ pmml-undefined-field/);
  });

  it('says how to use it', () => {
    expect(captured((out, err) => runConvert([], out, err)).status).toBe(2);
  });
});
