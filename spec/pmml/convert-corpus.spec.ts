/**
 * `trajan convert` over the shared PMML corpus: for every case that loads, the PFA document that
 * convert writes passes `checkPfaSource` on its own and scores the case's input rows exactly as the
 * PMML model does (the first ROWS rows of each case, to keep the run short). Skipped with a
 * message when ../shared/conformance/pmml/ is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsv, records, type PmmlCase } from '../../src/conformance/pmml-suite.js';
import { checkPfaSource, loadPfa, loadPmml, TrajanError, type PmmlModel } from '../../src/index.js';

const MANIFEST = fileURLToPath(new URL('../../../shared/conformance/pmml/manifest.json', import.meta.url));
const ROWS = 10;
const present = existsSync(MANIFEST);
if (!present) console.warn(`PMML conformance corpus not found at ${MANIFEST}: skipping the convert run over it`);

describe.skipIf(!present)('trajan convert over the PMML corpus', () => {
  it('writes PFA that validates and scores like the PMML', () => {
    const base = dirname(MANIFEST);
    const cases = (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { cases: PmmlCase[] }).cases;
    const differences: string[] = [];
    let converted = 0;
    for (const c of cases) {
      let model: PmmlModel;
      try {
        model = loadPmml(readFileSync(join(base, c.model_file), 'utf8'));
      } catch (e) {
        // A case that does not load fails the conformance run, which reports it.
        if (e instanceof TrajanError) continue;
        throw e;
      }
      const text = JSON.stringify(model.pfa);
      checkPfaSource(text);
      const pfa = loadPfa(text);
      converted++;
      for (const [i, rec] of records(readCsv(join(base, c.input_csv)), c.group_field)
        .slice(0, ROWS)
        .entries()) {
        let input: Record<string, unknown>;
        try {
          input = model.pfaInput(rec);
        } catch {
          continue; // a record the model itself rejects
        }
        const score = (f: () => unknown) => {
          try {
            return f();
          } catch (e) {
            return e instanceof TrajanError ? `error ${e.code}` : e;
          }
        };
        const want = score(() => model.engine.action(input));
        const got = score(() => pfa.action(input));
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          differences.push(`${c.id} row ${i + 1}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
          break;
        }
      }
    }
    console.log(`convert: ${converted} of ${cases.length} cases converted and compared`);
    expect(converted).toBeGreaterThan(0);
    expect(differences).toEqual([]);
  });
});
