/**
 * `trajan score --threads 1` against `--threads 2`: the command line run from source (tsx) over a
 * generated CSV file of a real ensemble's and a real GLM's input rows repeated, each run a process
 * of its own, the two thread counts in turns. The figure is records per second of the whole
 * command, start-up included (so the input is large enough for start-up to be a small part).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusCases, CORPUS, type Case } from './pmml-real.js';

const CLI = fileURLToPath(new URL('../src/cli/trajan.ts', import.meta.url));
/** A real ensemble and a real GLM of the corpus. */
const CASES = ['sklearn-XGBoostAudit', 'rattle-GeneralRegressionAudit'];

/** Wall-clock milliseconds of one `trajan score` run. */
function run(model: string, input: string, threads: number): number {
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'score',
      model,
      input,
      '-o',
      path.join(path.dirname(input), `out-${threads}.csv`),
      '--threads',
      String(threads),
      '--allow-extra-fields',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return performance.now() - t0;
}

export function threadRatios(
  rows: number,
  rounds: number,
): { skipped: string } | { cases: { id: string; rows: number; oneThreadMs: number; twoThreadMs: number; ratio: number }[] } {
  const cases = corpusCases();
  if (!Array.isArray(cases)) return cases;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trajan-bench-threads-'));
  try {
    return {
      cases: CASES.map((id) => cases.find((c) => c.id === id))
        .filter((c): c is Case => c !== undefined)
        .map((c) => {
          const [header, ...lines] = readFileSync(`${CORPUS}${c.input_csv}`, 'utf8')
            .split(/\r?\n/)
            .filter((l) => l.length > 0);
          const input = path.join(dir, `${c.id}.csv`);
          writeFileSync(input, `${[header, ...Array.from({ length: rows }, (_, i) => lines[i % lines.length])].join('\n')}\n`);
          const model = `${CORPUS}${c.model_file}`;
          let one = Infinity;
          let two = Infinity;
          for (let r = 0; r < rounds; r++) {
            one = Math.min(one, run(model, input, 1));
            two = Math.min(two, run(model, input, 2));
          }
          // Throughput of two threads over one: the inverse ratio of the times.
          return { id: c.id, rows, oneThreadMs: one, twoThreadMs: two, ratio: one / two };
        }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
