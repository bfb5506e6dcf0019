/**
 * One contract for both formats: a PMML model and the PFA document `trajan convert` writes from it
 * take the same plain records (PMML names made Avro names) and give the same plain results. Runs on
 * the example and, when ../shared/conformance/pmml/ is present, on the corpus's smaller cases (big
 * ensembles take minutes to load twice; the conformance run covers them) with a sample of rows each.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadModel, loadPmml, type PmmlModel, TrajanError } from '../src/index.js';
import { readCsv, records } from '../src/conformance/pmml-suite.js';

const example = (name: string) => readFileSync(fileURLToPath(new URL(`../examples/${name}`, import.meta.url)), 'utf8');
const MANIFEST = fileURLToPath(new URL('../../shared/conformance/pmml/manifest.json', import.meta.url));
const corpus = existsSync(MANIFEST);
if (!corpus) console.warn(`PMML conformance corpus not found at ${MANIFEST}: comparing PMML and converted PFA on the example only`);

type Outcome = { ok: true; value: unknown } | { ok: false; code: unknown };
const outcome = (score: () => unknown): Outcome => {
  try {
    return { ok: true, value: score() };
  } catch (e) {
    if (e instanceof TrajanError) return { ok: false, code: e.code };
    throw e;
  }
};

/** A record keyed by PMML names, rekeyed by the names of the converted PFA record. */
function rename(record: Record<string, unknown>, names: ReadonlyMap<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) Object.defineProperty(out, names.get(k) ?? k, { value: v, enumerable: true });
  return out;
}

/**
 * Scores each record with the PMML model and with its converted PFA; the outcomes must be equal,
 * and both models' JSON Schemas must accept the records and the results.
 */
function compare(pmml: PmmlModel, inputs: readonly Record<string, unknown>[]): number {
  const pfa = loadModel(JSON.stringify(pmml.pfa));
  const { inputs: inNames, results } = pmml.fieldNames;
  const back = new Map([...results].map(([pmmlName, pfaName]) => [pfaName, pmmlName]));
  const ajv = new Ajv2020({ strict: false });
  const [pmmlIn, pmmlOut, pfaIn, pfaOut] = [
    pmml.jsonSchema().input,
    pmml.jsonSchema().output,
    pfa.jsonSchema().input,
    pfa.jsonSchema().output,
  ].map((s) => ajv.compile(s));
  const valid = (check: typeof pmmlIn, value: unknown) =>
    expect(check(value), `${JSON.stringify(value)}: ${JSON.stringify(check.errors)}`).toBe(true);
  for (const record of inputs) {
    const want = outcome(() => pmml.score(record));
    const renamed = rename(record, inNames);
    const got = outcome(() => pfa.score(renamed));
    expect(got.ok ? { ok: true, value: rename(got.value as Record<string, unknown>, back) } : got).toEqual(want);
    valid(pmmlIn!, record);
    valid(pfaIn!, renamed);
    if (want.ok) valid(pmmlOut!, want.value);
    if (got.ok) valid(pfaOut!, got.value);
  }
  return inputs.length;
}

/**
 * The corpus's CSV rows as typed plain JSON, keyed by PMML names: PMML reads numeric text as
 * numbers, a PFA engine does not, so each value is first read as the PMML model reads it.
 */
function typed(pmml: PmmlModel, rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const names = [...pmml.fieldNames.inputs];
  return rows.flatMap((row) => {
    let input: Record<string, unknown>;
    try {
      input = pmml.pfaInput(row);
    } catch {
      return []; // a value the PMML model cannot read either
    }
    const out: Record<string, unknown> = {};
    for (const [pmmlName, pfaName] of names) Object.defineProperty(out, pmmlName, { value: input[pfaName], enumerable: true });
    return [out];
  });
}

describe('a PMML model and its converted PFA', () => {
  it('give equal plain results on the same plain records (the iris example)', () => {
    const pmml = loadPmml(example('iris-tree.pmml'));
    const rows = example('iris.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number>);
    // The example's records use PFA names; the PMML model's are "sepal length", ...
    const byPmml = [...pmml.fieldNames.inputs].map(([p, f]) => [f, p] as const);
    const inputs: Record<string, unknown>[] = rows.map((r) => Object.fromEntries(byPmml.map(([f, p]) => [p, r[f]])));
    inputs.push({ 'sepal length': 5.1, 'sepal width': null, 'petal length': 1.4, 'petal width': 0.2 }, { 'petal length': 4.8 });
    expect(compare(pmml, inputs)).toBe(5);
    // A missing value is null or absent alike, for both.
    const pfa = loadModel(JSON.stringify(pmml.pfa));
    expect(pfa.score({ petal_length: 4.8 })).toEqual(
      pfa.score({ petal_length: 4.8, petal_width: null, sepal_length: null, sepal_width: null }),
    );
  });

  it.skipIf(!corpus)(
    'give equal plain results on the conformance corpus (cases under 100 kB that load, up to 25 rows each)',
    () => {
      const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as {
        cases: { id: string; model_file: string; input_csv: string; group_field?: string }[];
      };
      const base = dirname(MANIFEST);
      let cases = 0;
      let rows = 0;
      for (const c of manifest.cases) {
        if (statSync(join(base, c.model_file)).size > 100_000) continue;
        let pmml: PmmlModel;
        try {
          pmml = loadPmml(readFileSync(join(base, c.model_file), 'utf8'), { allowExtraFields: true });
        } catch {
          continue; // the conformance run reports models that do not load
        }
        const inputs = typed(pmml, records(readCsv(join(base, c.input_csv)), c.group_field).slice(0, 25));
        try {
          rows += compare(pmml, inputs);
        } catch (e) {
          throw new Error(`case ${c.id}: ${(e as Error).message}`);
        }
        cases++;
      }
      expect(cases).toBeGreaterThan(30);
      expect(rows).toBeGreaterThan(500);
    },
    300_000,
  );
});
