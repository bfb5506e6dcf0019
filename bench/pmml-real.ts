/**
 * The real tree-ensemble models of the shared PMML corpus (XGBoost, LightGBM, random forests,
 * gradient boosting from ../shared/conformance/pmml/, when that folder is present), in the default
 * run, each in a fresh process of its own (pmml-first.ts): load time, the first score, the memory
 * held after loading (heap and ArrayBuffers), then CPU time per record over the case's own input
 * rows. Timed in this process after the others, a case took up to 1.7 times as long (what the
 * cases and workloads before it left behind). Input files hold the target too, so models are
 * loaded with allowExtraFields.
 *
 * Each case's time is also given per tree node visited (nodesPerRecord), against the hand-written
 * flat walk of the synthetic `gbm-300` workload (flatNsPerNode): 300 full trees of depth 6, so
 * 1,800 nodes a record.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPfa, loadPmml, type PmmlModel } from '../src/index.js';
import { interleaved, median } from './cpu-time.js';
import { flatHandJs } from './hand-js-flat.js';
import { workloads } from './models.js';

export const CORPUS = fileURLToPath(new URL('../../shared/conformance/pmml/', import.meta.url));
const FAMILIES = ['XGBoost', 'LightGBM', 'RandomForest', 'GradientBoosting', 'GBM'];
const FIRST = fileURLToPath(new URL('./pmml-first.ts', import.meta.url));

export interface Case {
  readonly id: string;
  readonly model_file: string;
  readonly input_csv: string;
  readonly top_level_model: string;
}

/** Rows of an RFC 4180 file (quotes only around cells holding a comma or a quote), as records; NA cells are missing. */
export function readCsv(text: string): Record<string, unknown>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const split = (line: string): string[] =>
    [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
      .slice(0, -1)
      .map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!));
  const header = split(lines[0]!);
  return lines.slice(1).map((line) => {
    const cells = split(line);
    const rec: Record<string, unknown> = {};
    header.forEach((h, i) => {
      const c = cells[i] ?? '';
      rec[h] = c === 'NA' || c === 'N/A' || c === '' ? null : Number.isNaN(Number(c)) ? c : Number(c);
    });
    return rec;
  });
}

/** The corpus's cases, or the reason there are none. */
export function corpusCases(): Case[] | { skipped: string } {
  const manifest = `${CORPUS}manifest.json`;
  if (!existsSync(manifest)) return { skipped: `no PMML corpus at ../shared/conformance/pmml/ (next to the repository)` };
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { cases: Case[] }).cases;
}

/** What the fresh process reports (pmml-first.ts). */
export interface FirstScore {
  readonly loadMs: number;
  readonly firstScoreMs: number;
  /** Heap used plus ArrayBuffers held after loading and scoring once, after full collections. */
  readonly memoryBytes: number;
  /** CPU microseconds of `score` per record over the first 200 input rows. */
  readonly usPerRecord: number;
}

function fresh(c: Case, ms: number, rounds: number): FirstScore {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', FIRST, `${CORPUS}${c.model_file}`, `${CORPUS}${c.input_csv}`, String(ms), String(rounds)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as FirstScore;
}

/** The ensembles of the corpus; `quick` keeps the first case of each family. */
function ensembles(cases: readonly Case[], quick: boolean): Case[] {
  const family = (c: Case) => FAMILIES.find((f) => c.id.includes(f));
  const chosen = cases.filter((c) => family(c) !== undefined && c.top_level_model === 'MiningModel');
  return quick ? FAMILIES.map((f) => chosen.find((c) => family(c) === f)).filter((c): c is Case => c !== undefined) : chosen;
}

/** The cell the instrumented document counts its tree tests in (a name no lowering writes: no digit). */
const COUNTER = 'benchNodesVisited';

/**
 * The lowered document with every `model.tree.missingWalk` test function adding one to COUNTER
 * first: one call per node the walk visits. Trees the lowering wrote as nested conditionals
 * (flat-tree.ts) have no walk and are not counted; `trees` says how many were walked.
 */
function countingDocument(pfa: Record<string, unknown>): { doc: Record<string, unknown>; trees: number } {
  const doc = structuredClone(pfa) as { cells?: Record<string, { type: unknown; init: unknown }> } & Record<string, unknown>;
  const count = { cell: COUNTER, to: { '+': [{ cell: COUNTER }, { double: 1 }] } };
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) for (const y of x) visit(y);
    else if (typeof x === 'object' && x !== null) {
      const walk = (x as Record<string, unknown>)['model.tree.missingWalk'];
      const test = Array.isArray(walk) ? (walk[2] as { do?: unknown }) : undefined;
      if (test && typeof test === 'object' && 'do' in test) test.do = [count, ...(Array.isArray(test.do) ? test.do : [test.do])];
      for (const y of Object.values(x)) visit(y);
    }
  };
  visit(doc.action);
  visit(doc.fcns);
  const cells = (doc.cells ??= {});
  // A cell of one tree holds its root node; a forest's, an array of roots. A node's record type
  // is the one with the walk's pass, fail and missing branches.
  const isNode = (t: unknown): boolean => {
    const fields = (t as { fields?: { name: string }[] }).fields;
    return Array.isArray(fields) && ['pass', 'fail', 'missing'].every((b) => fields.some((f) => f.name === b));
  };
  let trees = 0;
  for (const c of Object.values(cells)) {
    const t = c.type as { type?: string; items?: unknown };
    if (t.type === 'array' && isNode(t.items)) trees += (c.init as unknown[]).length;
    else if (isNode(t)) trees += 1;
  }
  cells[COUNTER] = { type: 'double', init: 0 };
  return { doc, trees };
}

/** Tree nodes visited per record over `rows`, by a closure-backend engine of the counting document. */
function nodesPerRecord(model: PmmlModel, rows: readonly Record<string, unknown>[]): { nodes: number; trees: number } {
  const { doc, trees } = countingDocument(model.pfa);
  const engine = loadPfa(doc, { backend: 'closures', documentLimits: { maxDepth: Infinity, maxNodes: Infinity } });
  for (const r of rows) engine.action(model.pfaInput(r));
  return { nodes: (engine.snapshot().cells[COUNTER] as number) / rows.length, trees };
}

/** CPU nanoseconds per node of the hand-written flat walk over the synthetic gbm-300 workload. */
function flatNsPerNode(ms: number, quick: boolean): number {
  const w = workloads().find((x) => x.name === 'gbm-300');
  if (w?.spec.kind !== 'gbm') throw new Error('the gbm-300 workload is gone');
  const walk = flatHandJs(w.spec)!;
  const inputs = w.inputs;
  const t = interleaved({ flat: () => inputs.forEach(walk) }, quick ? 2 : 5, ms);
  // Full trees of depth 6 (models.ts): every walk visits 6 nodes.
  return (t.flat! * 1e6) / inputs.length / (w.spec.trees.length * 6);
}

/**
 * Fresh processes per case: a first load happens once a process, so its figures are single samples,
 * and a burst of other work on a shared machine slows every round of one process alike. The cases
 * are run in PASSES passes, one process per case each, so that a case's processes are minutes
 * apart; loads, first scores and memory are the median of the processes, `us/record` the best
 * (as each process's is the best of its rounds: the cost of the code, not of the machine's moment).
 */
const PASSES = 3;

/** One figure of several fresh processes of a case (PASSES). */
function combined(samples: readonly FirstScore[]): FirstScore {
  return {
    loadMs: median(samples.map((s) => s.loadMs)),
    firstScoreMs: median(samples.map((s) => s.firstScoreMs)),
    memoryBytes: median(samples.map((s) => s.memoryBytes)),
    usPerRecord: Math.min(...samples.map((s) => s.usPerRecord)),
  };
}

/** A case measured in its first pass, or why it was not. */
type Measured =
  | {
      readonly c: Case;
      readonly samples: FirstScore[];
      readonly documentBytes: number;
      readonly visited: { nodes: number; trees: number };
      readonly treeModels: number;
    }
  | { readonly id: string; readonly error: string | undefined };

export function realPmmlModels(ms: number, quick: boolean, progress: (line: string) => void = () => {}) {
  const cases = corpusCases();
  if (!Array.isArray(cases)) return cases;
  const chosen = ensembles(cases, quick);
  const rounds = quick ? 2 : 5;
  const measured = chosen.map((c): Measured => {
    progress(c.id);
    const text = readFileSync(`${CORPUS}${c.model_file}`, 'utf8');
    // The first rows are enough to time; some inputs have thousands.
    const rows = readCsv(readFileSync(`${CORPUS}${c.input_csv}`, 'utf8')).slice(0, 200);
    try {
      const specialized = loadPmml(text, { allowExtraFields: true });
      const closures = loadPmml(text, { backend: 'closures', allowExtraFields: true });
      const bad = rows.findIndex((r) => JSON.stringify(specialized.score(r)) !== JSON.stringify(closures.score(r)));
      if (bad >= 0) return { id: c.id, error: `the backends disagree on row ${bad}` };
      const samples = [fresh(c, ms, rounds)];
      const visited = nodesPerRecord(specialized, rows);
      const treeModels = text.match(/<TreeModel[\s>]/g)?.length ?? 0;
      return { c, samples, documentBytes: text.length, visited, treeModels };
    } catch (e) {
      return { id: c.id, error: (e as Error).message.split('\n')[0] };
    }
  });
  for (let pass = 2; pass <= (quick ? 1 : PASSES); pass++)
    for (const m of measured)
      if (!('error' in m)) {
        progress(`${m.c.id} (fresh process ${pass} of ${PASSES})`);
        m.samples.push(fresh(m.c, ms, rounds));
      }
  return {
    ...(quick ? { note: `quick: ${chosen.length} cases, the first of each family, one process each` } : {}),
    flatNsPerNode: flatNsPerNode(ms, quick),
    models: measured.map((m) => {
      if ('error' in m) return m;
      const figures = combined(m.samples);
      const { visited } = m;
      return {
        id: m.c.id,
        documentBytes: m.documentBytes,
        ...figures,
        processes: m.samples.length,
        nodesPerRecord: visited.nodes,
        // None when no tree is walked flat (all nested conditionals): nothing to divide by.
        nsPerNode: visited.nodes > 0 ? (figures.usPerRecord * 1000) / visited.nodes : null,
        treesWalked: visited.trees,
        treeModels: m.treeModels,
      };
    }),
  };
}
