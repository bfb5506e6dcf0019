/**
 * `npm run bench`: scores every workload (models.ts) with Trajan's specialised backend, its closure
 * backend, hand-specialised JS (the JS limit: flat typed-array walks for ensembles, hand-js-flat.ts,
 * with nested ifs as a second line; nested ifs and unrolled sums for the others) and
 * onnxruntime-node, after checking that all of them give the same results; compares scoreBatch with
 * a loop of score (and, for real PMML models, PmmlModel.scoreBatch with a loop of score); measures load time and first-score latency in fresh processes and memory
 * against model size; times the real PMML ensembles of the shared corpus and `trajan score
 * --threads`. Prints a table and summary lines, and writes bench/results/latest.json. Figures that
 * one process measures once (a workload's tinybench tasks, a first load) are taken in several
 * processes, passes over every case apart (WORKLOAD_PASSES here, PASSES in pmml-real.ts).
 *
 * Options: `--quick` (one size per family, shorter timings: a smoke run), `--time MS` (per task),
 * `--no-pmml` (skip the real PMML ensembles of ../shared/conformance/pmml/ and the threads lines;
 * `--pmml` is accepted and is the default), `--only a,b` (the workloads whose names start with these).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { loadModel, loadPfa, type PfaEngine } from '../src/index.js';
import { handJs } from './hand-js.js';
import { flatHandJs } from './hand-js-flat.js';
import { interleaved, median } from './cpu-time.js';
import { threadRatios } from './threads.js';
import { pmmlBatchVsLoop } from './pmml-batch.js';
import { BATCH, gbmOfSize, TREE_FEATURES, workloads, type ModelSpec, type Workload } from './models.js';
import { loadOnnx, OrtRunner, toOnnx } from './onnx.js';
import { pfaDocument, pfaText } from './pfa.js';
import { realPmmlModels } from './pmml-real.js';
import { type FreshFigures, freshOf, heapOf } from './heap.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const timeIndex = args.indexOf('--time');
const TASK_MS = timeIndex >= 0 ? Number(args[timeIndex + 1]) : quick ? 100 : 400;
const onlyIndex = args.indexOf('--only');
/** `--only a,b`: just the workloads whose names start with one of these prefixes. */
const only = onlyIndex >= 0 ? args[onlyIndex + 1]!.split(',') : undefined;
const childIndex = args.indexOf('--child');
/** `--child NAME`: measure that one workload and print its result as JSON (how the run isolates workloads). */
const child = childIndex >= 0 ? args[childIndex + 1]! : undefined;
const RESULTS = fileURLToPath(new URL('./results/latest.json', import.meta.url));

interface Figures {
  /** Single-record latency, microseconds (null for the batch entry points). */
  readonly p50: number | null;
  readonly p99: number | null;
  /** Records per second, scoring batches of 1,000. */
  readonly throughput: number;
}

/**
 * `scoreBatch` is Trajan's `scoreBatch` over the same arrays of records the others score one by one;
 * `columns` is `scoreBatch` over a ColumnBatch filled beforehand, as onnxruntime's tensors are
 * (both only for engines whose action has a columnar plan).
 */
type Variant = 'specialized' | 'closures' | 'handJS' | 'handJSIfs' | 'onnxruntime' | 'scoreBatch' | 'columns';

/** Same results, exactly for the JS variants; within float32 rounding for onnxruntime's float models. */
function agree(a: unknown, b: unknown, tolerance: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => agree(x, b[i], tolerance));
  return Object.is(a, b);
}

/** Feature rows for onnxruntime: tree records in field order, vectors as they are. */
function rows(w: Workload): number[][] {
  if (w.family === 'tree' || w.family === 'ensemble')
    return w.inputs.map((r) => Array.from({ length: TREE_FEATURES }, (_, i) => (r as Record<string, number>)[`f${i}`]!));
  return w.inputs as number[][];
}

function figures(bench: Bench, latency: string | undefined, batch: string, perBatch: number): Figures {
  const l = latency === undefined ? undefined : bench.getTask(latency)?.result;
  const b = bench.getTask(batch)?.result;
  if ((latency !== undefined && l?.state !== 'completed') || b?.state !== 'completed')
    throw new Error(`${batch}: ${l && 'error' in l ? l.error : b && 'error' in b ? b.error : 'did not complete'}`);
  const p = l?.state === 'completed' ? l.latency : undefined;
  return { p50: p ? p.p50 * 1000 : null, p99: p ? p.p99 * 1000 : null, throughput: (perBatch * 1000) / b.latency.mean };
}

/** The inputs in batches of BATCH. */
const chunks = <X>(xs: readonly X[]): X[][] => Array.from({ length: xs.length / BATCH }, (_, b) => xs.slice(b * BATCH, (b + 1) * BATCH));

/**
 * A timing loop of its own for each task, built from source so that no two variants share the
 * call-site feedback of one loop (which would slow down whichever runs second). V8 keeps what
 * `new Function` compiled by its text, so each loop's text is made its own by a numbered comment:
 * loops of the same text would share that feedback after all. Latency cycles through every input;
 * each batch iteration scores the next batch of BATCH records.
 *
 * Every answer is stored where the loop's owner can read it (`sink`): a result the loop drops lets
 * V8 inline a small kernel and leave out the work whose result nobody reads. With the answers
 * dropped, `linear-10` scored 503 million records a second by hand-written JS and 233 million by
 * Trajan's `action` (2 and 4 ns a record: the dot product mostly left out); kept, 82 and 60 million.
 */
let harnesses = 0;
/** A timing loop, and the last answer it kept. */
type Loop = (() => void) & { sink(): unknown };
function harness(kind: 'latency' | 'batch', score: (x: unknown) => unknown, inputs: readonly unknown[]): Loop {
  const body =
    kind === 'latency'
      ? 'let i = 0, sink; const run = () => { i = (i + 1) % inputs.length; sink = score(inputs[i]); };'
      : 'let start = 0, sink; const run = () => { const end = start + batch; for (let k = start; k < end; k++) sink = score(inputs[k]); start = end % inputs.length; };';
  return new Function('score', 'inputs', 'batch', `// loop ${++harnesses}\n${body}\nrun.sink = () => sink;\nreturn run;`)(
    score,
    inputs,
    BATCH,
  ) as Loop;
}

async function measureWorkload(w: Workload, onnx: ReturnType<typeof loadOnnx>) {
  const text = JSON.stringify(pfaDocument(w.name, w.spec));
  const engines: Record<'specialized' | 'closures', PfaEngine> = {
    specialized: loadPfa(text),
    closures: loadPfa(text, { backend: 'closures' }),
  };
  // The JS limit: for ensembles the flat typed-array walk, with nested ifs as a second line.
  const ifs = handJs(w.spec);
  const hand = (w.family === 'ensemble' && flatHandJs(w.spec)) || ifs;
  const inputs = w.inputs;
  const expected = inputs.map((x) => hand(x));
  if (hand !== ifs) {
    const bad = inputs.findIndex((x, i) => !agree(ifs(x), expected[i], 0));
    if (bad >= 0) throw new Error(`${w.name}: the flat and nested-if hand-JS disagree on input ${bad}`);
  }
  // Every input through the specialised backend; the first batch through the (slow) closures.
  for (const [name, engine] of Object.entries(engines)) {
    const count = name === 'closures' ? BATCH : inputs.length;
    const bad = inputs.slice(0, count).findIndex((x, i) => !agree(engine.action(x), expected[i], 0));
    if (bad >= 0) throw new Error(`${w.name}: ${name} disagrees with hand-specialised JS on input ${bad}`);
  }
  const columnar = engines.specialized.columnar;
  const rowBatches = chunks(inputs);
  const columnBatches = columnar
    ? rowBatches.map((batch) => {
        const columns = engines.specialized.createBatch(batch.length);
        for (const [j, c] of columns.columns.entries()) for (const [i, x] of batch.entries()) c[i] = (x as number[])[j]!;
        return columns;
      })
    : [];
  if (columnar) {
    const fromRows = rowBatches.flatMap((b) => engines.specialized.scoreBatch(b));
    const fromColumns = columnBatches.flatMap((b) => engines.specialized.scoreBatch(b));
    for (const [name, got] of [
      ['scoreBatch', fromRows],
      ['columns', fromColumns],
    ] as const) {
      const bad = got.findIndex((x, i) => !agree(x, expected[i], 0));
      if (bad >= 0) throw new Error(`${w.name}: ${name} disagrees with hand-specialised JS on input ${bad}`);
    }
  }
  let ort: OrtRunner | undefined;
  let ortNote: string | undefined;
  if ('ort' in onnx) {
    const model = toOnnx(w.spec, onnx.proto);
    if (model) {
      ort = await OrtRunner.create(onnx.ort, model);
      const out = await ort.run(ort.tensor(rows(w)));
      const width = out.length / inputs.length;
      const got = width === 1 ? Array.from(out) : inputs.map((_, i) => out.slice(i * width, (i + 1) * width));
      const tolerance = model.type === 'float32' ? 1e-4 : 1e-9;
      const bad = inputs.findIndex((_, i) => !agree(got[i], expected[i], tolerance));
      if (bad >= 0)
        throw new Error(
          `${w.name}: onnxruntime disagrees with hand-specialised JS on input ${bad}: ${JSON.stringify(got[bad])} vs ${JSON.stringify(expected[bad])}`,
        );
    } else ortNote = 'no ONNX converter for this model';
  } else ortNote = onnx.missing;

  // Before the other timings, so that the state their many loops leave in V8 does not weigh on it.
  // (The engine timed is the second of this process compiled from the same document: childMain's
  // first score made one. Kernels of the same source text used to share V8's type feedback, which
  // timed scoreBatch on trees at up to four times the loop of action; every compiled kernel now has
  // a text of its own, src/codegen/kernel.ts.)
  const batchFigures = batchVsLoop(text, engines.specialized, rowBatches);
  const bench = new Bench({ time: TASK_MS, warmup: true, warmupTime: Math.min(200, TASK_MS), iterations: 5 });
  // Each engine's `action` is a function of its own, passed as it is: an arrow written here would be
  // one function for every workload, and its call of `action` would see every engine of the run.
  const score = {
    specialized: engines.specialized.action,
    closures: engines.closures.action,
    handJS: hand,
    ...(hand !== ifs ? { handJSIfs: ifs } : {}),
  };
  const loops: Loop[] = [];
  for (const [name, fn] of Object.entries(score)) {
    const [latency, batch] = [harness('latency', fn, inputs), harness('batch', fn, inputs)];
    loops.push(latency, batch);
    bench.add(`${name}:latency`, latency);
    bench.add(`${name}:batch`, batch);
  }
  if (columnar) {
    const engine = engines.specialized;
    let r = 0;
    let c = 0;
    bench.add('scoreBatch:batch', () => void engine.scoreBatch(rowBatches[(r = (r + 1) % rowBatches.length)]!));
    bench.add('columns:batch', () => void engine.scoreBatch(columnBatches[(c = (c + 1) % columnBatches.length)]!));
  }
  if (ort) {
    const all = rows(w);
    const singles = all.map((r) => ort.tensor([r]));
    const batches = chunks(all).map((b) => ort.tensor(b));
    let j = 0;
    let b = 0;
    bench.add('onnxruntime:latency', async () => void (await ort.run(singles[(j = (j + 1) % singles.length)]!)));
    bench.add('onnxruntime:batch', async () => void (await ort.run(batches[(b = (b + 1) % batches.length)]!)));
  }
  await bench.run();
  // The answers the loops kept: read, so that keeping them is work no compiler may drop.
  if (loops.some((l) => l.sink() === undefined)) throw new Error(`${w.name}: a timing loop kept no answer`);
  const result: Partial<Record<Variant, Figures>> = {};
  for (const v of [
    'specialized',
    'closures',
    'handJS',
    ...(hand !== ifs ? ['handJSIfs'] : []),
    ...(ort ? ['onnxruntime'] : []),
  ] as Variant[])
    result[v] = figures(bench, `${v}:latency`, `${v}:batch`, BATCH);
  if (columnar) for (const v of ['scoreBatch', 'columns'] as const) result[v] = figures(bench, undefined, `${v}:batch`, BATCH);
  return {
    name: w.name,
    family: w.family,
    documentBytes: text.length,
    variants: result,
    ratios: ratiosOf(result),
    batchVsLoop: batchFigures,
    ...(ortNote ? { onnxruntime: ortNote } : {}),
  };
}

/** The summary ratios of one workload's figures. */
function ratiosOf(result: Partial<Record<Variant, Figures>>) {
  const s = result.specialized!;
  // Trajan's batch figure: its fastest way to score a batch (scoreBatch over columns where the
  // action has a columnar plan, else action record by record).
  const batch = Math.max(s.throughput, result.columns?.throughput ?? 0);
  return {
    trajanOverHandJS: s.throughput / result.handJS!.throughput,
    scoreBatchOverHandJS: result.scoreBatch ? result.scoreBatch.throughput / result.handJS!.throughput : null,
    specializedOverClosures: s.throughput / result.closures!.throughput,
    ortLatencyOverTrajan: result.onnxruntime ? result.onnxruntime.p50! / s.p50! : null,
    trajanBatchOverOrt: result.onnxruntime ? batch / result.onnxruntime.throughput : null,
  };
}

/**
 * scoreBatch over an array of records against a loop of single scores keeping the results, CPU time
 * per record (µs), taken in turns: the engine's scoreBatch against its action, and loadModel's
 * scoreBatch against its score (JSON records in and out). Each call scores the next batch.
 */
function batchVsLoop(text: string, engine: PfaEngine, batches: readonly (readonly unknown[])[]) {
  const model = loadModel<unknown, unknown>(text);
  const fromBatch = model.scoreBatch(batches[0]!);
  const bad = batches[0]!.findIndex((x, i) => !agree(fromBatch[i], model.score(x), 0));
  if (bad >= 0) throw new Error(`model scoreBatch disagrees with score on input ${bad}`);
  // Each task goes through the batches in the same order from its own cursor: with one cursor
  // shared, the tasks took different batches, whose walks (a tree ensemble's) differ in length.
  const cursor = () => {
    let b = 0;
    return () => batches[(b = (b + 1) % batches.length)]!;
  };
  const loop = (score: (x: unknown) => unknown) => {
    const next = cursor();
    return () => {
      const batch = next();
      const out = new Array<unknown>(batch.length);
      for (let i = 0; i < batch.length; i++) out[i] = score(batch[i]);
    };
  };
  const [engineBatches, modelBatches] = [cursor(), cursor()];
  const t = interleaved(
    {
      engineBatch: () => void engine.scoreBatch(engineBatches()),
      engineLoop: loop(engine.action),
      modelBatch: () => void model.scoreBatch(modelBatches()),
      modelLoop: loop((x) => model.score(x)),
    },
    quick ? 3 : 7,
    quick ? 40 : 150,
  );
  const us = (ms: number) => (ms * 1000) / BATCH;
  return {
    engineBatchUs: us(t.engineBatch!),
    engineLoopUs: us(t.engineLoop!),
    modelBatchUs: us(t.modelBatch!),
    modelLoopUs: us(t.modelLoop!),
  };
}

/**
 * Load+check+compile time and first-score latency, each the first of a fresh process, and memory held
 * (heap and ArrayBuffers), all from heap.ts, for gradient boosting of growing size. Load and first
 * score are the median of `passes` processes, a pass over every size apart (pmml-real.ts, PASSES).
 */
function loadCurve(sizes: readonly number[], passes: number) {
  const firsts = sizes.map(() => [] as FreshFigures[]);
  for (let pass = 0; pass < passes; pass++)
    sizes.forEach((trees, i) => {
      const first = freshOf(trees);
      if (first) firsts[i]!.push(first);
    });
  return sizes.map((trees, i) => {
    const spec: ModelSpec = gbmOfSize(trees);
    const text = JSON.stringify(pfaDocument(`gbm_${trees}`, spec));
    const first = firsts[i]!;
    return {
      trees,
      documentBytes: text.length,
      loadMs: first.length ? median(first.map((f) => f.loadMs)) : null,
      firstScoreMs: first.length ? median(first.map((f) => f.firstScoreMs)) : null,
      processes: first.length,
      heapBytes: heapOf(trees),
    };
  });
}

const fmt = (x: number | null, digits = 2): string => (x === null ? 'n/a' : x >= 100 ? x.toFixed(0) : x.toFixed(digits));

type WorkloadResult = Awaited<ReturnType<typeof measureWorkload>>;

/** A workload's figures from one process, with the load and first score that began it. */
type Measured = WorkloadResult & { fresh: { loadMs: number; firstScoreMs: number } };

/**
 * Processes per workload. Each variant's throughput is one tinybench task of TASK_MS in one
 * process, and it moved by a quarter between processes (gbm-skew-100's Trajan 401,652 to 626,644
 * records a second, its hand-written walk 345,816 to 474,630, in four processes in a row): each
 * workload runs in two processes, a pass over every workload apart, and each variant's figures
 * are those of its faster process (as `interleaved` keeps each task's best round); the ratios are
 * of those figures, the CPU times per record of scoreBatch and its loop the least of the two, the
 * fresh load and first score their median (of two, their mean).
 */
const WORKLOAD_PASSES = 2;

function bestOf(passes: readonly Measured[]): Measured {
  const first = passes[0]!;
  const variants: Partial<Record<Variant, Figures>> = {};
  for (const v of Object.keys(first.variants) as Variant[])
    variants[v] = passes.map((p) => p.variants[v]!).reduce((a, b) => (b.throughput > a.throughput ? b : a));
  const least = (pick: (b: NonNullable<Measured['batchVsLoop']>) => number) => Math.min(...passes.map((p) => pick(p.batchVsLoop!)));
  return {
    ...first,
    variants,
    ratios: ratiosOf(variants),
    batchVsLoop: first.batchVsLoop && {
      engineBatchUs: least((b) => b.engineBatchUs),
      engineLoopUs: least((b) => b.engineLoopUs),
      modelBatchUs: least((b) => b.modelBatchUs),
      modelLoopUs: least((b) => b.modelLoopUs),
    },
    fresh: {
      loadMs: median(passes.map((p) => p.fresh.loadMs)),
      firstScoreMs: median(passes.map((p) => p.fresh.firstScoreMs)),
    },
  };
}

/**
 * One workload measured in a process of its own: in one long process, what earlier workloads left
 * behind (a heap of 20,000-record input sets, their compiled code) slowed later ones by up to a
 * factor of two, a bias against whichever variant is most sensitive to it.
 */
function inProcess(name: string): Measured {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, '--expose-gc', self, '--child', name, '--time', String(TASK_MS), ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

async function childMain(name: string): Promise<void> {
  const w = workloads(quick).find((x) => x.name === name);
  if (!w) throw new Error(`no workload ${name}`);
  // Before anything else of the library runs in this process: the load and the first score as a
  // service that has just started sees them, from the document's text as read from a file.
  const text = pfaText(w.name, w.spec);
  const t0 = performance.now();
  const engine = loadPfa(text);
  const t1 = performance.now();
  engine.action(w.inputs[0]);
  const fresh = { loadMs: t1 - t0, firstScoreMs: performance.now() - t1 };
  process.stdout.write(`${JSON.stringify({ ...(await measureWorkload(w, loadOnnx())), fresh })}\n`);
}

async function main(): Promise<void> {
  const onnx = loadOnnx();
  if ('missing' in onnx) console.log(`onnxruntime baseline skipped: ${onnx.missing}`);
  const curve = loadCurve(quick ? [10, 100, 300] : [10, 50, 100, 200, 300, 500, 1000], quick ? 1 : 3);
  // Each workload in WORKLOAD_PASSES processes, a pass over every workload apart (see `bestOf`).
  const chosen = workloads(quick).filter((x) => !only || only.some((o) => x.name.startsWith(o)));
  const runs = chosen.map(() => [] as Measured[]);
  for (let pass = 0; pass < (quick ? 1 : WORKLOAD_PASSES); pass++) for (const [i, w] of chosen.entries()) runs[i]!.push(inProcess(w.name));
  const results = runs.map(bestOf);
  console.log(
    `${'workload'.padEnd(16)} ${'variant'.padEnd(12)} ${'p50 µs'.padStart(9)} ${'p99 µs'.padStart(9)} ${'records/s'.padStart(12)}`,
  );
  for (const r of results) {
    for (const [v, f] of Object.entries(r.variants))
      console.log(
        `${r.name.padEnd(16)} ${v.padEnd(12)} ${fmt(f.p50).padStart(9)} ${fmt(f.p99).padStart(9)} ${Math.round(f.throughput).toLocaleString('en-US').padStart(12)}`,
      );
  }
  console.log(
    '\nload curve (gradient boosting, depth-6 trees; load and first score each the first of a fresh process, the median of several; memory: heap and ArrayBuffers)',
  );
  console.log(`${'trees'.padStart(6)} ${'doc KB'.padStart(8)} ${'load ms'.padStart(8)} ${'first ms'.padStart(9)} ${'mem KB'.padStart(8)}`);
  for (const c of curve)
    console.log(
      `${String(c.trees).padStart(6)} ${fmt(c.documentBytes / 1024, 0).padStart(8)} ${fmt(c.loadMs).padStart(8)} ${fmt(c.firstScoreMs, 3).padStart(9)} ${(c.heapBytes === null ? 'n/a' : fmt(c.heapBytes / 1024, 0)).padStart(8)}`,
    );
  console.log('');
  for (const r of results)
    console.log(
      `${r.name}: trajan/handJS = ${fmt(r.ratios.trajanOverHandJS)}, ortLatency/trajan = ${fmt(r.ratios.ortLatencyOverTrajan)}, trajanBatch/ortBatch = ${fmt(r.ratios.trajanBatchOverOrt)}, specialized/closures = ${fmt(r.ratios.specializedOverClosures)}${r.ratios.scoreBatchOverHandJS === null ? '' : `, scoreBatch/handJS = ${fmt(r.ratios.scoreBatchOverHandJS)}`}`,
    );
  // Ensembles: the nested-if baseline as a second line, against the same Trajan figure.
  for (const r of results)
    if (r.variants.handJSIfs)
      console.log(`${r.name}: trajan/handJSIfs = ${fmt(r.variants.specialized!.throughput / r.variants.handJSIfs.throughput)}`);
  // Time per record of scoreBatch(records) over that of a loop of single scores (CPU time; at most 1 is the aim).
  for (const r of results) {
    const b = r.batchVsLoop;
    console.log(
      `scoreBatch: ${r.name} engine scoreBatch/action loop = ${fmt(b.engineBatchUs / b.engineLoopUs)}, model scoreBatch/score loop = ${fmt(b.modelBatchUs / b.modelLoopUs)} (µs/record ${fmt(b.engineBatchUs, 3)} vs ${fmt(b.engineLoopUs, 3)}, model ${fmt(b.modelBatchUs, 3)} vs ${fmt(b.modelLoopUs, 3)})`,
    );
  }
  for (const r of results)
    console.log(`firstScore: ${r.name} load ms = ${fmt(r.fresh.loadMs)}, first-score ms = ${fmt(r.fresh.firstScoreMs, 3)} (fresh process)`);
  const gbm300 = curve.find((c) => c.trees === 300);
  if (gbm300)
    console.log(
      `first score after load, 300-tree gradient boosting: ${fmt(gbm300.firstScoreMs, 3)} ms (load ${fmt(gbm300.loadMs)} ms), fresh process`,
    );
  const withPmml = !args.includes('--no-pmml');
  const pmml = withPmml
    ? realPmmlModels(quick ? 100 : 400, quick, (id) => console.log(`timing ${id}...`))
    : { skipped: 'left out (--no-pmml)' };
  if ('skipped' in pmml) console.log(`realPmml: skipped: ${pmml.skipped}`);
  else {
    if (pmml.note) console.log(`realPmml: ${pmml.note}`);
    for (const m of pmml.models) {
      if ('error' in m) console.log(`realPmml: ${m.id} error: ${m.error}`);
      else
        console.log(
          `realPmml: ${m.id} us/record = ${fmt(m.usPerRecord)}, load ms = ${fmt(m.loadMs)}, first-score ms = ${fmt(m.firstScoreMs, 3)}, memory KB = ${fmt(m.memoryBytes / 1024, 0)} (CPU time per record, the best of ${m.processes} fresh processes; load, first score and memory (heap and ArrayBuffers), each the first of a fresh process, their median)`,
        );
    }
    // The same time per tree node visited, against the hand-written flat walk of gbm-300.
    for (const m of pmml.models)
      if (!('error' in m))
        console.log(
          `realPmmlNodes: ${m.id} ns/node = ${fmt(m.nsPerNode)}, flat ns/node = ${fmt(pmml.flatNsPerNode)}, ratio = ${fmt(m.nsPerNode === null ? null : m.nsPerNode / pmml.flatNsPerNode)} (nodes/record = ${fmt(m.nodesPerRecord)}, ${m.treesWalked} of ${m.treeModels} trees walked flat; the whole score's CPU time over the nodes its walks visit)`,
        );
  }
  const pmmlBatch = withPmml ? pmmlBatchVsLoop(quick) : { skipped: 'left out (--no-pmml)' };
  if ('skipped' in pmmlBatch) console.log(`scoreBatch: pmml skipped: ${pmmlBatch.skipped}`);
  else
    for (const b of pmmlBatch.cases)
      console.log(
        `scoreBatch: ${b.id} pmml scoreBatch/score loop = ${fmt(b.batchUs / b.loopUs)} (µs/record ${fmt(b.batchUs, 3)} vs ${fmt(b.loopUs, 3)}, CPU time, a process of its own)`,
      );
  // Enough rows that the threads' start-up (imports, the model's load) is a small part of the run.
  const threads = withPmml ? await threadRatios(quick ? 20000 : 200000, quick ? 1 : 3) : { skipped: 'left out (--no-pmml)' };
  if ('skipped' in threads) console.log(`threads: skipped: ${threads.skipped}`);
  else
    for (const t of threads.cases) {
      console.log(
        `threads: ${t.id} 2-thread/1-thread = ${fmt(t.ratio)} (${t.rows} rows, ${fmt(t.oneThreadMs, 0)} ms vs ${fmt(t.twoThreadMs, 0)} ms wall-clock, start-up included)`,
      );
      console.log(
        `threadsSteady: ${t.id} 2-thread/1-thread = ${fmt(t.steadyRatio)} (the ${t.rows} rows a run of ${2 * t.rows} adds: ${fmt(t.oneThreadDoubleMs - t.oneThreadMs, 0)} ms vs ${fmt(t.twoThreadDoubleMs - t.twoThreadMs, 0)} ms wall-clock, start-up excluded)`,
      );
    }
  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  const machine = {
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    platform: `${process.platform}-${process.arch}`,
  };
  writeFileSync(
    RESULTS,
    `${JSON.stringify({ date: new Date().toISOString(), quick, taskMs: TASK_MS, machine, workloads: results, loadCurve: curve, pmml, pmmlBatch, threads }, null, 2)}\n`,
  );
  console.log(`wrote ${RESULTS}`);
}

await (child ? childMain(child) : main());
