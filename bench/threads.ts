/**
 * `trajan score --threads 1` against `--threads 2`: the command line as the package ships it
 * (bundled by scripts/build-node.ts, built afresh for the run into a folder of the repository that
 * is removed after it), over a generated CSV file of a real ensemble's and a real GLM's input rows
 * repeated, each run a process of its own, the two thread counts in turns. Two figures:
 * - records per second of the whole command, start-up included, over `rows` rows;
 * - the steady rate: the same command over twice the rows, and the time the second half added
 *   (T(2n) - T(n)), which leaves out what a run pays once whatever its length (the process's start,
 *   the imports and the model's load on each thread, V8 compiling the hot code of each thread).
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

export interface ThreadFigures {
  readonly id: string;
  readonly rows: number;
  /** Wall-clock ms of the whole command over `rows` rows, and over twice as many. */
  readonly oneThreadMs: number;
  readonly twoThreadMs: number;
  readonly oneThreadDoubleMs: number;
  readonly twoThreadDoubleMs: number;
  /** Throughput of two threads over one, start-up included. */
  readonly ratio: number;
  /** The same, of the rows the doubled input added (the steady rate). */
  readonly steadyRatio: number;
}

export async function threadRatios(rows: number, rounds: number): Promise<{ skipped: string } | { cases: ThreadFigures[] }> {
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
          const inputOf = (n: number) => {
            const input = path.join(dir, `${c.id}-${n}.csv`);
            writeFileSync(input, `${[header, ...Array.from({ length: n }, (_, i) => lines[i % lines.length])].join('\n')}\n`);
            return input;
          };
          const [single, double] = [inputOf(rows), inputOf(2 * rows)];
          const model = `${CORPUS}${c.model_file}`;
          const best = { one: Infinity, two: Infinity, oneDouble: Infinity, twoDouble: Infinity };
          for (let r = 0; r < rounds; r++) {
            best.one = Math.min(best.one, run(model, single, 1));
            best.two = Math.min(best.two, run(model, single, 2));
            best.oneDouble = Math.min(best.oneDouble, run(model, double, 1));
            best.twoDouble = Math.min(best.twoDouble, run(model, double, 2));
          }
          // Throughput of two threads over one: the inverse ratio of the times.
          return {
            id: c.id,
            rows,
            oneThreadMs: best.one,
            twoThreadMs: best.two,
            oneThreadDoubleMs: best.oneDouble,
            twoThreadDoubleMs: best.twoDouble,
            ratio: best.one / best.two,
            steadyRatio: (best.oneDouble - best.one) / (best.twoDouble - best.two),
          };
        }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(BUILD, { recursive: true, force: true });
  }
}
