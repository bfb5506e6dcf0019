/**
 * `trajan score --threads 1` against `--threads 2`: the command line as the package ships it
 * (bundled by scripts/build-node.ts, built afresh for the run into a folder of the repository that
 * is removed after it), over a generated CSV file of a real ensemble's and a real GLM's input rows
 * repeated, each run a process of its own, the two thread counts in turns. The figure is records
 * per second of the whole command, start-up included (so the input is large enough for start-up to
 * be a small part).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNode } from '../scripts/build-node.js';
import { corpusCases, CORPUS, type Case } from './pmml-real.js';

/**
 * Where the command line is built: one folder below the repository, as dist/ is, so that the
 * bundle finds package.json and node_modules as the built package does.
 */
const BUILD = fileURLToPath(new URL('../.bench-dist/', import.meta.url));
const CLI = path.join(BUILD, 'cli', 'trajan.js');
/** A real ensemble and a real GLM of the corpus. */
const CASES = ['sklearn-XGBoostAudit', 'rattle-GeneralRegressionAudit'];

/** Wall-clock milliseconds of one `trajan score` run. */
function run(model: string, input: string, threads: number): number {
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [
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

export async function threadRatios(
  rows: number,
  rounds: number,
): Promise<{ skipped: string } | { cases: { id: string; rows: number; oneThreadMs: number; twoThreadMs: number; ratio: number }[] }> {
  const cases = corpusCases();
  if (!Array.isArray(cases)) return cases;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trajan-bench-threads-'));
  try {
    await buildNode(BUILD);
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
    rmSync(BUILD, { recursive: true, force: true });
  }
}
