/**
 * The real tree-ensemble models of the shared PMML corpus (XGBoost, LightGBM, random forests from
 * ../shared/conformance/pmml/, when that folder is present): load time, first-score latency and
 * batch throughput over the case's own input rows, with both backends.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPmml } from '../src/index.js';

const CORPUS = fileURLToPath(new URL('../../shared/conformance/pmml/', import.meta.url));
const ENSEMBLES = /XGBoost|LightGBM|RandomForest/;

interface Case {
  readonly id: string;
  readonly model_file: string;
  readonly input_csv: string;
}

/** Rows of an RFC 4180 file (quotes only around cells holding a comma or a quote), as records; NA cells are missing. */
function readCsv(text: string): Record<string, unknown>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const split = (line: string): string[] => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!));
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

/** Records per second over `ms`, after as long a warm-up: V8 optimises generated code only once it has run a while. */
function throughput(score: (r: unknown) => unknown, rows: readonly unknown[], ms: number): number {
  const warm = performance.now();
  while (performance.now() - warm < ms) for (const r of rows) score(r);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) for (const r of rows) score(r), n++;
  return (n * 1000) / (performance.now() - start);
}

export function realPmmlModels(ms: number, progress: (line: string) => void = () => {}) {
  const manifest = `${CORPUS}manifest.json`;
  if (!existsSync(manifest)) return { skipped: `no PMML corpus at ${CORPUS}` };
  const cases = (JSON.parse(readFileSync(manifest, 'utf8')) as { cases: Case[] }).cases.filter((c) => ENSEMBLES.test(c.id));
  return {
    models: cases.map((c) => {
      progress(c.id);
      const text = readFileSync(`${CORPUS}${c.model_file}`, 'utf8');
      // The first rows are enough to time; some inputs have thousands.
      const rows = readCsv(readFileSync(`${CORPUS}${c.input_csv}`, 'utf8')).slice(0, 200);
      try {
        const t0 = performance.now();
        const specialized = loadPmml(text);
        const t1 = performance.now();
        specialized.score(rows[0]);
        const t2 = performance.now();
        const closures = loadPmml(text, { backend: 'closures' });
        const bad = rows.findIndex((r) => JSON.stringify(specialized.score(r)) !== JSON.stringify(closures.score(r)));
        if (bad >= 0) return { id: c.id, error: `the backends disagree on row ${bad}` };
        const fast = throughput((r) => specialized.score(r), rows, ms);
        const generic = throughput((r) => closures.score(r), rows, ms);
        return { id: c.id, documentBytes: text.length, loadMs: t1 - t0, firstScoreMs: t2 - t1, specialized: fast, closures: generic, specializedOverClosures: fast / generic };
      } catch (e) {
        return { id: c.id, error: (e as Error).message.split('\n')[0] };
      }
    }),
  };
}
