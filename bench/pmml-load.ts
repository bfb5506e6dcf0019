/**
 * Loading the largest ensembles of the PMML corpus, each load in a fresh process (nothing of the
 * library warmed, as in a service that has just started): the load's wall and CPU time, heap
 * (with ArrayBuffers) before and after it, and the CPU time of each stage in a second fresh
 * process: reading the XML, lowering it to PFA, parsing and checking the PFA, compiling it.
 *
 *   node --expose-gc --import tsx bench/pmml-load.ts [--runs N] [--lib DIR]...
 *
 * `--lib` loads the library from another tree (another checkout's src/, or `dist`, whose bundle
 * gives the loads but not the stages: they import modules one by one) instead of src/. Given more than once, the versions are compared run for run: each run of a case loads it
 * with every version in turn (so that a busy machine slows them alike), and each version gets its
 * row. Prints a Markdown table of medians.
 * CPU time is process.cpuUsage, so it counts the collector's and the compiler's threads too.
 *
 * A last row loads the benchmark's 300-tree gradient-boosting PFA document (`gbmOfSize(300)` of
 * models.ts, as JSON text) the same way, with its own stages: the JSON text read (scan and parse),
 * the PFA parse (the forest cell's value included), check and compile.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './cpu-time.js';

const SELF = fileURLToPath(import.meta.url);
const CORPUS = fileURLToPath(new URL('../../shared/conformance/pmml/', import.meta.url));
const CASES = ['sklearn-RandomForestAudit', 'sparkml-XGBoostAuto', 'sklearn-XGBoostAudit', 'sklearn-LightGBMAudit'];

interface LoadFigures {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly heapBefore: number;
  readonly heapAfter: number;
  readonly docBytes: number;
}
type StageFigures = Record<'xml' | 'lower' | 'pfaCheck' | 'compile', number>;
type GbmStages = Record<'json' | 'parse' | 'check' | 'compile', number>;

/** The synthetic document of the last row: not a corpus file, so the child builds its text. */
const GBM = 'gbm-300';
const GBM_TREES = 300;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function memoryNow(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function gbmText(): Promise<string> {
  const { gbmOfSize } = await import('./models.js');
  const { pfaText } = await import('./pfa.js');
  return pfaText('gbm', gbmOfSize(GBM_TREES));
}

async function child(mode: string, lib: string, file: string): Promise<void> {
  const text = file === GBM ? await gbmText() : readFileSync(file, 'utf8');
  const at = (path: string): Promise<Record<string, unknown>> =>
    import(pathToFileURL(resolve(lib, path)).href) as Promise<Record<string, unknown>>;
  if (file === GBM) return gbmChild(mode, text, at);
  if (mode === 'load') {
    const { loadPmml } = (await at('index.js')) as { loadPmml: (t: string, o: object) => unknown };
    const heapBefore = memoryNow();
    const [c0, t0] = [cpuMs(), performance.now()];
    const model = loadPmml(text, { allowExtraFields: true });
    const [t1, c1] = [performance.now(), cpuMs()];
    const heapAfter = memoryNow();
    if (!model) throw new Error('no model');
    const out: LoadFigures = { wallMs: t1 - t0, cpuMs: c1 - c0, heapBefore, heapAfter, docBytes: Buffer.byteLength(text) };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  // The stages of loadPmml one after another, as it runs them (model.ts, pfa/load.ts).
  const { parseXml } = (await at('pmml/xml.js')) as { parseXml: (t: string) => { children: { attrs: Record<string, string> }[] } };
  const { lowerDocument } = (await at('pmml/lower/document.js')) as {
    lowerDocument: (r: unknown, n: string, o: object) => { pfa: object };
  };
  const { checkPfaSource } = (await at('pfa/load.js')) as { checkPfaSource: (d: object, o: object) => unknown };
  const { PfaEngine } = (await at('pfa/engine.js')) as { PfaEngine: new (c: unknown, o: object) => unknown };
  const limits = { documentLimits: { maxDepth: Infinity, maxNodes: Infinity } };
  const c0 = cpuMs();
  const root = parseXml(text);
  const c1 = cpuMs();
  const lowered = lowerDocument(root, 'PMML', {});
  const c2 = cpuMs();
  const checked = checkPfaSource(lowered.pfa, limits);
  const c3 = cpuMs();
  new PfaEngine(checked, {});
  const c4 = cpuMs();
  const out: StageFigures = { xml: c1 - c0, lower: c2 - c1, pfaCheck: c3 - c2, compile: c4 - c3 };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** The PFA document's load, or its stages as load.ts runs them (source.ts, parse.ts, the checker, the engine). */
async function gbmChild(mode: string, text: string, at: (path: string) => Promise<Record<string, unknown>>): Promise<void> {
  if (mode === 'load') {
    const { loadPfa } = (await at('index.js')) as { loadPfa: (t: string) => unknown };
    const heapBefore = memoryNow();
    const [c0, t0] = [cpuMs(), performance.now()];
    const engine = loadPfa(text);
    const [t1, c1] = [performance.now(), cpuMs()];
    const heapAfter = memoryNow();
    if (!engine) throw new Error('no engine');
    const out: LoadFigures = { wallMs: t1 - t0, cpuMs: c1 - c0, heapBefore, heapAfter, docBytes: Buffer.byteLength(text) };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const { parseSource } = (await at('pfa/source.js')) as { parseSource: (t: string, l: undefined, d: Set<string>) => unknown };
  const { parsePfaDocument } = (await at('pfa/parse.js')) as { parsePfaDocument: (j: unknown, o: object, d: Set<string>) => unknown };
  const { checkPfa } = (await at('pfa/check/checker.js')) as { checkPfa: (d: unknown) => unknown };
  const { PfaEngine } = (await at('pfa/engine.js')) as { PfaEngine: new (c: unknown, o: object) => unknown };
  const doubles = new Set<string>();
  const c0 = cpuMs();
  const json = parseSource(text, undefined, doubles);
  const c1 = cpuMs();
  const doc = parsePfaDocument(json, {}, doubles);
  const c2 = cpuMs();
  const checked = checkPfa(doc);
  const c3 = cpuMs();
  new PfaEngine(checked, {});
  const c4 = cpuMs();
  const out: GbmStages = { json: c1 - c0, parse: c2 - c1, check: c3 - c2, compile: c4 - c3 };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function run<T>(mode: string, lib: string, file: string): T {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--child', mode, lib, file], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

/** The values following each `--lib`, resolved; src/ when none is given. */
function libraries(args: readonly string[]): string[] {
  const libs = args.flatMap((a, i) => (a === '--lib' && args[i + 1] !== undefined ? [resolve(args[i + 1]!)] : []));
  return libs.length ? libs : [fileURLToPath(new URL('../src/', import.meta.url))];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, args[2]!, args[3]!);
  const runs = Number(args[args.indexOf('--runs') + 1] ?? 5) || 5;
  const libs = libraries(args);
  const manifest = `${CORPUS}manifest.json`;
  if (!existsSync(manifest)) {
    console.log('no PMML corpus at ../shared/conformance/pmml/ (next to the repository): nothing to measure');
    return;
  }
  const cases = (JSON.parse(readFileSync(manifest, 'utf8')) as { cases: { id: string; model_file: string }[] }).cases;
  const mb = (b: number): string => (b / 1e6).toFixed(1);
  const version = libs.length > 1 ? ' version |' : '';
  console.log(
    `| model |${version} document | load wall ms | load CPU ms | XML | lower | PFA parse+check | compile | heap before → after (MB) | held / document |`,
  );
  console.log(`| --- |${libs.length > 1 ? ' --- |' : ''} --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const id of CASES) {
    const c = cases.find((x) => x.id === id);
    if (!c) continue;
    const file = `${CORPUS}${c.model_file}`;
    const loads = libs.map((): LoadFigures[] => []);
    const stages = libs.map((): StageFigures[] => []);
    for (let i = 0; i < runs; i++)
      for (const [v, lib] of libs.entries()) {
        loads[v]!.push(run<LoadFigures>('load', lib, file));
        stages[v]!.push(run<StageFigures>('stages', lib, file));
      }
    for (const [v, lib] of libs.entries()) {
      const m = (f: (x: LoadFigures) => number): number => median(loads[v]!.map(f));
      const s = (k: keyof StageFigures): string => median(stages[v]!.map((x) => x[k])).toFixed(0);
      const held = m((x) => x.heapAfter - x.heapBefore);
      const bytes = loads[v]![0]!.docBytes;
      console.log(
        `| ${id} |${libs.length > 1 ? ` ${lib} |` : ''} ${mb(bytes)} MB | ${m((x) => x.wallMs).toFixed(0)} | ${m((x) => x.cpuMs).toFixed(0)} | ${s('xml')} | ${s('lower')} | ${s('pfaCheck')} | ${s('compile')} | ${mb(m((x) => x.heapBefore))} → ${mb(m((x) => x.heapAfter))} | ${(held / bytes).toFixed(1)}× |`,
      );
    }
  }
  gbmRows(libs, runs);
}

/** The 300-tree PFA document: load and stages as for the PMML cases, in a table of its own (other stages). */
function gbmRows(libs: readonly string[], runs: number): void {
  const loads = libs.map((): LoadFigures[] => []);
  const stages = libs.map((): GbmStages[] => []);
  for (let i = 0; i < runs; i++)
    for (const [v, lib] of libs.entries()) {
      loads[v]!.push(run<LoadFigures>('load', lib, GBM));
      stages[v]!.push(run<GbmStages>('stages', lib, GBM));
    }
  console.log('');
  console.log(
    `| model |${libs.length > 1 ? ' version |' : ''} document | load wall ms | load CPU ms | JSON text | PFA parse | check | compile |`,
  );
  console.log(`| --- |${libs.length > 1 ? ' --- |' : ''} --- | --- | --- | --- | --- | --- | --- |`);
  for (const [v, lib] of libs.entries()) {
    const m = (f: (x: LoadFigures) => number): string => median(loads[v]!.map(f)).toFixed(0);
    const s = (k: keyof GbmStages): string => median(stages[v]!.map((x) => x[k])).toFixed(0);
    const bytes = loads[v]![0]!.docBytes;
    console.log(
      `| ${GBM} |${libs.length > 1 ? ` ${lib} |` : ''} ${(bytes / 1e6).toFixed(1)} MB | ${m((x) => x.wallMs)} | ${m((x) => x.cpuMs)} | ${s('json')} | ${s('parse')} | ${s('check')} | ${s('compile')} |`,
    );
  }
}

await main();
