/**
 * The real tree-ensemble models of the shared PMML corpus (XGBoost, LightGBM, random forests,
 * gradient boosting from ../shared/conformance/pmml/, when that folder is present), in the default
 * run: CPU time per record over the case's own input rows, and, each in a fresh process of its own
 * (pmml-first.ts), load time, the first score and the memory held after loading (heap and
 * ArrayBuffers). Input files hold the target too, so models are loaded with allowExtraFields.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPmml } from '../src/index.js';
import { interleaved } from './cpu-time.js';

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
}

function fresh(c: Case): FirstScore {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', FIRST, `${CORPUS}${c.model_file}`, `${CORPUS}${c.input_csv}`],
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

export function realPmmlModels(ms: number, quick: boolean, progress: (line: string) => void = () => {}) {
  const cases = corpusCases();
  if (!Array.isArray(cases)) return cases;
  const chosen = ensembles(cases, quick);
  return {
    ...(quick ? { note: `quick: ${chosen.length} cases, the first of each family` } : {}),
    models: chosen.map((c) => {
      progress(c.id);
      const text = readFileSync(`${CORPUS}${c.model_file}`, 'utf8');
      // The first rows are enough to time; some inputs have thousands.
      const rows = readCsv(readFileSync(`${CORPUS}${c.input_csv}`, 'utf8')).slice(0, 200);
      try {
        const first = fresh(c);
        const specialized = loadPmml(text, { allowExtraFields: true });
        const closures = loadPmml(text, { backend: 'closures', allowExtraFields: true });
        const bad = rows.findIndex((r) => JSON.stringify(specialized.score(r)) !== JSON.stringify(closures.score(r)));
        if (bad >= 0) return { id: c.id, error: `the backends disagree on row ${bad}` };
        const t = interleaved(
          {
            score: () => {
              for (const r of rows) specialized.score(r);
            },
          },
          quick ? 2 : 5,
          ms,
        );
        return { id: c.id, documentBytes: text.length, usPerRecord: (t.score! * 1000) / rows.length, ...first };
      } catch (e) {
        return { id: c.id, error: (e as Error).message.split('\n')[0] };
      }
    }),
  };
}
