/**
 * `trajan conformance pfa FILE... [--json] [--filter PREFIX]... [--skips FILE] [--verbose] [--backend closures|specialized]`:
 * runs the PFA conformance suite (`--independent`: compare with a trial's independent value where
 * the suite gives one, for the file of trials the reference is not trusted on; `--backend`: the
 * engine backend, so both can be shown to agree); prints a per-function table and a last line
 * `N passed, N failed, N skipped` (or, with --json, one JSON object). Exit 0 only when nothing failed;
 * 2 for a usage error, a file that is not a PFA test file (any JSON layout, gzipped or not) or that
 * holds no trial, or a malformed skip file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PfaSyntaxError, TrajanError } from '../errors.js';
import { runSuite, type Skip, type SuiteReport } from '../conformance/pfa-suite.js';
import { parseSkipRules } from '../conformance/skip-rules.js';
import { runPmmlSuite, type PmmlReport, type PmmlSkip } from '../conformance/pmml-suite.js';
import { FileProblem, UsageError, withCommandLine, type Parsed } from './command-line.js';

const DEFAULT_SKIPS = fileURLToPath(new URL('../../conformance/pfa-skips.json', import.meta.url));
const DEFAULT_PMML_SKIPS = fileURLToPath(new URL('../../conformance/pmml-skips.json', import.meta.url));
const PMML_USAGE = `usage: trajan conformance pmml MANIFEST [--json] [--filter ID]... [--skips FILE]
  --help, -h   this text
  --version    the installed version`;
const PFA_USAGE = `usage: trajan conformance pfa FILE... [--json] [--filter PREFIX]... [--skips FILE] [--verbose] [--independent]
                               [--backend closures|specialized]
  --help, -h   this text
  --version    the installed version`;
const USAGE = `usage: trajan conformance pmml MANIFEST [--json] [--filter ID]... [--skips FILE]
       trajan conformance pfa FILE... [--json] [--filter PREFIX]... [--skips FILE] [--verbose] [--independent]
                                  [--backend closures|specialized]
  --help, -h   this text (after pfa or pmml: that suite's usage)
  --version    the installed version`;

const PMML_OPTIONS = { json: { type: 'boolean' }, filter: { type: 'string', multiple: true }, skips: { type: 'string' } } as const;
const PFA_OPTIONS = {
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  independent: { type: 'boolean' },
  filter: { type: 'string', multiple: true },
  skips: { type: 'string' },
  backend: { type: 'string' },
} as const;

/** A suite file named on the command line must exist; one that does not is named. */
function mustExist(file: string): void {
  if (!existsSync(file)) throw new FileProblem(`${file} does not exist`);
}

/**
 * The skips of a PMML skip file (none when it does not exist). Each names a case by its id and the
 * sha256 of its model file; one without a checksum is refused, so a skip cannot follow an id onto
 * another document.
 */
export function loadPmmlSkips(path: string): PmmlSkip[] {
  if (!existsSync(path)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PfaSyntaxError('skip-rules', `${path}: malformed JSON: ${(e as Error).message}`);
  }
  const skips = (json as { skips?: unknown } | null)?.skips;
  if (!Array.isArray(skips)) throw new PfaSyntaxError('skip-rules', `${path}: expected {"skips": [...]}`, { pointer: '' });
  skips.forEach((s: unknown, i) => {
    const k = s as Partial<PmmlSkip> | null;
    if (
      typeof k !== 'object' ||
      k === null ||
      typeof k.id !== 'string' ||
      typeof k.reason !== 'string' ||
      typeof k.model_sha256 !== 'string' ||
      !/^[0-9a-fA-F]{64}$/.test(k.model_sha256)
    ) {
      throw new PfaSyntaxError(
        'skip-rules',
        `${path}: skip ${i} needs an "id", the "model_sha256" of its model file (64 hex digits) and a "reason"`,
        { pointer: `/skips/${i}` },
      );
    }
  });
  return skips as PmmlSkip[];
}

export function formatPmmlTable(report: PmmlReport): string[] {
  const ids = Object.keys(report.byCase);
  const width = Math.max(4, ...ids.map((n) => n.length));
  const lines = [`${'case'.padEnd(width)}  status   rows  mismatches  first mismatch`];
  for (const id of ids) {
    const c = report.byCase[id]!;
    lines.push(
      `${id.padEnd(width)}  ${c.status.padEnd(7)}  ${String(c.rows).padStart(4)}  ${String(c.mismatches).padStart(10)}  ${c.firstMismatch ?? ''}`,
    );
  }
  return lines;
}

function runPmml(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  return withCommandLine('trajan conformance pmml', PMML_USAGE, args, PMML_OPTIONS, { out, err }, ({ values, positionals }) => {
    if (positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? 'missing MANIFEST' : `expected one MANIFEST, got ${positionals.length}`);
    const manifest = positionals[0]!;
    mustExist(manifest);
    return pmmlSuite(manifest, values, out, err);
  });
}

function pmmlSuite(
  manifest: string,
  values: Parsed<typeof PMML_OPTIONS>['values'],
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  const json = values.json === true;
  const filter = values.filter ?? [];
  const skipsPath = values.skips ?? DEFAULT_PMML_SKIPS;
  let report: PmmlReport;
  try {
    report = runPmmlSuite(manifest, { skips: loadPmmlSkips(skipsPath), filter });
  } catch (e) {
    if (!(e instanceof TrajanError)) throw e;
    err(e.message);
    return 2;
  }
  if (json) out(JSON.stringify(report));
  else {
    for (const l of formatPmmlTable(report)) out(l);
    out(`${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  }
  return report.failed === 0 ? 0 : 1;
}

/** The skip rules of a skip file (none when it does not exist); a malformed rule is a PfaSyntaxError. */
export function loadSkips(path: string): Skip[] {
  if (!existsSync(path)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PfaSyntaxError('skip-rules', `${path}: malformed JSON: ${(e as Error).message}`);
  }
  return parseSkipRules(json, path);
}

export function formatTable(report: SuiteReport): string[] {
  const names = Object.keys(report.byFunction).sort();
  const width = Math.max(8, ...names.map((n) => n.length));
  const lines = [`${'function'.padEnd(width)}  passed  failed  skipped`];
  for (const n of names) {
    const c = report.byFunction[n]!;
    lines.push(`${n.padEnd(width)}  ${String(c.passed).padStart(6)}  ${String(c.failed).padStart(6)}  ${String(c.skipped).padStart(7)}`);
  }
  return lines;
}

export function runConformance(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  const [suite, ...rest] = args;
  if (suite === 'pmml') return runPmml(rest, out, err);
  if (suite === 'pfa') return runPfa(rest, out, err);
  // No suite named: only --help and --version make sense here.
  return withCommandLine('trajan conformance', USAGE, args, {}, { out, err }, ({ positionals }) => {
    throw new UsageError(positionals.length === 0 ? 'missing the suite: pfa or pmml' : `unknown suite ${positionals[0]}; use pfa or pmml`);
  });
}

function runPfa(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  return withCommandLine('trajan conformance pfa', PFA_USAGE, args, PFA_OPTIONS, { out, err }, ({ values, positionals: files }) => {
    const backend = values.backend;
    if (files.length === 0) throw new UsageError('missing FILE');
    if (backend !== undefined && backend !== 'closures' && backend !== 'specialized')
      throw new UsageError(`unknown backend ${backend}; use closures or specialized`);
    files.forEach(mustExist);
    return pfaSuite(files, values, backend, out, err);
  });
}

function pfaSuite(
  files: string[],
  values: Parsed<typeof PFA_OPTIONS>['values'],
  backend: 'closures' | 'specialized' | undefined,
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  const json = values.json === true;
  const verbose = values.verbose === true;
  const independent = values.independent === true;
  const filter = values.filter ?? [];
  const skipsPath = values.skips ?? DEFAULT_SKIPS;
  let report: SuiteReport;
  try {
    report = runSuite(files, {
      filter,
      skips: loadSkips(skipsPath),
      keepFailures: verbose ? 10 : 0,
      preferIndependent: independent,
      ...(backend ? { backend } : {}),
    });
  } catch (e) {
    // A file that is not a PFA test file (or holds no trial) or a bad skip file: a usage-level error.
    if (!(e instanceof TrajanError)) throw e;
    err(e.message);
    return 2;
  }
  if (json) {
    const { passed, failed, skipped, byFunction } = report;
    out(JSON.stringify({ passed, failed, skipped, byFunction }));
  } else {
    for (const l of formatTable(report)) out(l);
    if (verbose) {
      for (const f of report.failures)
        out(
          `FAIL ${f.function} [test ${f.test}, trial ${f.trial}] sample ${JSON.stringify(f.sample, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}\n  expected ${f.expected}\n  got      ${f.actual}`,
        );
    }
    out(`${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
  }
  return report.failed === 0 ? 0 : 1;
}
