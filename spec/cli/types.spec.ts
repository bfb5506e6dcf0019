/**
 * `trajan types`, run in-process; the declarations it writes are compiled with tsc beside a small
 * service that uses them, which must compile, and beside one with a misspelt field, which must not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runTypes } from '../../src/cli/types.js';
import { loadModel } from '../../src/index.js';
import { captured } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'trajan-types-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));

const PMML = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="petal length" displayName="Petal length (cm) */ oops" optype="continuous" dataType="double"><Interval closure="closedClosed" leftMargin="0" rightMargin="10"/></DataField>
  <DataField name="color" optype="categorical" dataType="string"><Value value="red"/><Value value="blue &quot;navy&quot;"/></DataField>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<RegressionModel modelName="petal model" functionName="regression"><MiningSchema><MiningField name="petal length"/><MiningField name="color"/><MiningField name="y" usageType="target"/></MiningSchema>
<RegressionTable intercept="1"><NumericPredictor name="petal length" coefficient="2"/><CategoricalPredictor name="color" value="red" coefficient="3"/></RegressionTable></RegressionModel></PMML>`;

/** `trajan types` with these arguments; what it printed as text. */
function run(args: string[]) {
  const { status, out, err } = captured((o, e) => runTypes(args, o, e));
  return { status, out: out.join('\n'), err: err.join('\n') };
}

/** Compiles the files with tsc in strict mode: its exit status and what it says. */
function tsc(...files: string[]): { status: number; output: string } {
  try {
    execFileSync(
      process.execPath,
      [
        TSC,
        '--noEmit',
        '--strict',
        '--target',
        'es2022',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        ...files.map((f) => join(dir, f)),
      ],
      { encoding: 'utf8' },
    );
    return { status: 0, output: '' };
  } catch (e) {
    const r = e as { status: number; stdout: string };
    return { status: r.status, output: r.stdout };
  }
}

describe('trajan types', () => {
  it('writes interfaces with doc comments, literal unions of valid values and optional nullable inputs', () => {
    writeFileSync(join(dir, 'petal.pmml'), PMML);
    const r = run([join(dir, 'petal.pmml')]);
    expect(r.status).toBe(0);
    expect(r.out).toContain('export interface PetalModelInput {');
    expect(r.out).toContain('"petal length"?: null | number;');
    expect(r.out).toContain('color?: "red" | "blue \\"navy\\"" | null;');
    expect(r.out).toContain('/** Petal length (cm) *\\/ oops. continuous double; valid in [0, 10] */');
    expect(r.out).toContain('export interface PetalModelOutput {\n  /** continuous double */\n  y: null | number;\n}');
    expect(r.out).toContain('export type ModelInput = PetalModelInput;');
  });

  it('writes declarations that type a service: a correct one compiles, a misspelt field does not', () => {
    expect(run([join(dir, 'petal.pmml'), '-o', join(dir, 'petal.ts')]).status).toBe(0);
    expect(run([fixture('scoring/total.pfa.yaml'), '--output', join(dir, 'total.ts')]).status).toBe(0);
    // The service's own view of the model: score typed by the generated records, as loadModel<In, Out> gives it.
    const service = `import type { PetalModelInput, PetalModelOutput } from './petal.js';
import type { TotalInput, TotalOutput } from './total.js';
declare function score<In, Out>(record: In): Out;
const a: PetalModelOutput = score<PetalModelInput, PetalModelOutput>({ 'petal length': 1.5, color: 'red' });
const b: TotalOutput = score<TotalInput, TotalOutput>({ x: 1, label: 'a' });
export const results: [number | null, string] = [a.y, b.label];
`;
    writeFileSync(join(dir, 'service.ts'), service);
    writeFileSync(join(dir, 'misspelt.ts'), service.replace("'petal length': 1.5", "'petal_length': 1.5"));
    writeFileSync(join(dir, 'invalid.ts'), service.replace("color: 'red'", "color: 'green'"));
    // One tsc run for the three (tsc takes seconds to start): errors are reported per file.
    const r = tsc('petal.ts', 'total.ts', 'service.ts', 'misspelt.ts', 'invalid.ts');
    expect(r.status).not.toBe(0);
    const errors = r.output.split('\n').filter((l) => l.includes('error TS'));
    expect(errors.filter((l) => !/(misspelt|invalid)\.ts\(/.test(l))).toEqual([]);
    expect(errors.filter((l) => l.includes('misspelt.ts('))).toEqual([
      expect.stringMatching(/petal_length'' does not exist in type 'PetalModelInput'/),
    ]);
    expect(errors.filter((l) => l.includes('invalid.ts('))).toEqual([expect.stringMatching(/"green"/)]);
  }, 240_000);

  it('types loadModel<In, Out>: the generated records go straight into score', () => {
    const model = loadModel<{ x: number; y?: number | null; label: string }, { total: number; label: string }>(
      readFileSync(fixture('scoring/total.pfa.yaml')),
    );
    const result = model.score({ x: 2, label: 'q' });
    expect(result.total + 1).toBe(3);
  });

  it('keeps the command-line conventions: --help, --version, usage errors, a model that does not load', () => {
    expect(run(['--help']).out).toMatch(/^usage: trajan types MODEL/);
    expect(run(['--version']).status).toBe(0);
    expect(run([]).status).toBe(2);
    expect(run(['a', 'b']).err).toMatch(/expected one MODEL/);
    expect(run([join(dir, 'nosuch.pfa')])).toMatchObject({ status: 2 });
    writeFileSync(join(dir, 'bad.pfa'), '{"input": "double", "output": "string", "action": [1]}');
    const bad = run([join(dir, 'bad.pfa')]);
    expect(bad.status).toBe(1);
    expect(bad.err).toMatch(/output-mismatch/);
  });
});
