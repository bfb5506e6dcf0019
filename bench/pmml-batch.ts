/**
 * `PmmlModel.scoreBatch` against a loop of `score` on a real ensemble's and a real GLM's input rows
 * (the threads line's two cases), CPU time per record, taken in turns. Each case runs in a process
 * of its own: the run's own process has loaded these documents already (the realPmml lines), and
 * V8 lets functions compiled from the same source text share what they learnt about types, which
 * would time the second load of a document, not the method.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPmml } from '../src/index.js';
import { interleaved } from './cpu-time.js';
import { corpusCases, CORPUS, readCsv } from './pmml-real.js';

/** A real ensemble and a real GLM of the corpus (as bench/threads.ts). */
const CASES = ['sklearn-XGBoostAudit', 'rattle-GeneralRegressionAudit'];
const ROWS = 500;
const SELF = fileURLToPath(import.meta.url);

export interface PmmlBatchFigures {
  readonly id: string;
  readonly batchUs: number;
  readonly loopUs: number;
}

export function pmmlBatchVsLoop(quick: boolean): { skipped: string } | { cases: PmmlBatchFigures[] } {
  const cases = corpusCases();
  if (!Array.isArray(cases)) return cases;
  const chosen = CASES.filter((id) => cases.some((c) => c.id === id));
  return {
    cases: chosen.map((id) => {
      const out = execFileSync(process.execPath, [...process.execArgv, '--expose-gc', SELF, '--case', id, ...(quick ? ['--quick'] : [])], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      return JSON.parse(out.trim().split('\n').at(-1)!) as PmmlBatchFigures;
    }),
  };
}

function measure(id: string, quick: boolean): PmmlBatchFigures {
  const c = (corpusCases() as { id: string; model_file: string; input_csv: string }[]).find((x) => x.id === id)!;
  const model = loadPmml(readFileSync(`${CORPUS}${c.model_file}`, 'utf8'), { allowExtraFields: true });
  const rows = readCsv(readFileSync(`${CORPUS}${c.input_csv}`, 'utf8')).slice(0, ROWS);
  if (JSON.stringify(model.scoreBatch(rows)) !== JSON.stringify(rows.map((r) => model.score(r))))
    throw new Error(`${id}: scoreBatch disagrees with score`);
  const t = interleaved(
    {
      batch: () => void model.scoreBatch(rows),
      loop: () => {
        const out = new Array<unknown>(rows.length);
        for (let i = 0; i < rows.length; i++) out[i] = model.score(rows[i]);
      },
    },
    quick ? 3 : 7,
    quick ? 60 : 200,
  );
  return { id, batchUs: (t.batch! * 1000) / rows.length, loopUs: (t.loop! * 1000) / rows.length };
}

const caseIndex = process.argv.indexOf('--case');
if (caseIndex >= 0) process.stdout.write(`${JSON.stringify(measure(process.argv[caseIndex + 1]!, process.argv.includes('--quick')))}\n`);
