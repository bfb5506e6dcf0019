/**
 * Runs the PMML conformance corpus (a manifest of cases: model.pmml, input.csv, expected.csv, a
 * tolerance) through `loadPmml`. A case passes when it has columns to compare, every one of them is
 * in expected.csv, expected.csv has one row per result, and every row's compared columns match.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { PfaSyntaxError, TrajanError } from '../errors.js';
import { loadPmml, type PmmlModel } from '../pmml/model.js';

export interface Tolerance {
  readonly kind: 'jpmml_relative' | 'jpmml_float_ulps' | 'cpmml' | 'exact_in_source';
  readonly precision?: number;
  readonly zero_threshold?: number;
  readonly ulps?: number;
  readonly regression_relative_error?: number;
}

export interface PmmlCase {
  readonly id: string;
  readonly model_file: string;
  readonly input_csv: string;
  readonly expected_csv: string;
  readonly top_level_model: string;
  readonly producer: string;
  readonly compare_columns: readonly string[];
  readonly tolerance: Tolerance;
  readonly group_field?: string;
}

export interface CaseResult {
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly rows: number;
  readonly mismatches: number;
  readonly firstMismatch?: string;
}

export interface PmmlReport {
  readonly cases: number;
  passed: number;
  failed: number;
  skipped: number;
  readonly byCase: Record<string, CaseResult>;
}

/** A case skipped with its reason: by id and by the sha256 of its model file, so another document under the same id runs. */
export interface PmmlSkip {
  readonly id: string;
  readonly model_sha256: string;
  readonly reason: string;
}

/** Missing-value tokens of the corpus; an empty input cell is missing too. */
const MISSING = new Set(['N/A', 'NA']);
const absent = (v: string): boolean => MISSING.has(v) || v === '';

function num(s: unknown): number | undefined {
  if (typeof s === 'number') return s;
  if (typeof s !== 'string' || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isNaN(n) && !/^nan$/i.test(s.trim()) ? undefined : n;
}

function ulp32(x: number): number {
  const f = Math.abs(Math.fround(x));
  if (!Number.isFinite(f)) return Infinity;
  const next = new Float32Array([f]);
  const bits = new Uint32Array(next.buffer);
  bits[0]! += 1;
  return next[0]! - f;
}

/** Whether a result matches the expected cell under the case's tolerance. */
export function cellMatches(expected: string, actual: unknown, tol: Tolerance): boolean {
  if (MISSING.has(expected)) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  const e = num(expected);
  const a = num(actual);
  if (typeof actual === 'boolean') return String(actual) === expected.toLowerCase();
  if (e === undefined || a === undefined) return String(actual) === expected;
  if (typeof actual === 'string' && String(actual) === expected) return true;
  // An expected NaN is a NaN result (no tolerance compares NaN equal to anything).
  if (Number.isNaN(e) || Number.isNaN(a)) return Number.isNaN(e) && Number.isNaN(a);
  switch (tol.kind) {
    case 'jpmml_float_ulps': {
      const ef = Math.fround(e);
      const af = Math.fround(a);
      return ef === af || Math.abs(af - ef) <= (tol.ulps ?? 0) * ulp32(ef);
    }
    case 'cpmml':
      return e === a || Math.abs(a - e) / Math.abs(e) < (tol.regression_relative_error ?? 1e-3);
    case 'exact_in_source':
      return e === a || Math.abs(a - e) <= 1e-12 * Math.abs(e);
    default: {
      const p = tol.precision ?? 1e-13;
      const z = tol.zero_threshold ?? p;
      if (Math.abs(e) <= z && Math.abs(a) <= z) return true;
      const lo = Math.min(e * (1 - p), e * (1 + p));
      const hi = Math.max(e * (1 - p), e * (1 + p));
      return a >= lo && a <= hi;
    }
  }
}

export function readCsv(path: string): Record<string, string>[] {
  return parseCsv(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<
    string,
    string
  >[];
}

/** Input records from CSV rows; missing tokens become absent. Transactional cases group rows. */
export function records(rows: Record<string, string>[], group: string | undefined): Record<string, unknown>[] {
  const toRecord = (row: Record<string, string>) => Object.fromEntries(Object.entries(row).filter(([, v]) => !absent(v)));
  if (!group) return rows.map(toRecord);
  const groups = new Map<string, Record<string, unknown[]>>();
  for (const row of rows) {
    const key = row[group]!;
    const g = groups.get(key) ?? {};
    for (const [k, v] of Object.entries(row)) if (!absent(v)) (g[k] ??= []).push(v);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** A CSV's header (its column names) and its records. */
function readCsvTable(path: string): { header: string[]; rows: Record<string, string>[] } {
  const cells = parseCsv(readFileSync(path, 'utf8'), { skip_empty_lines: true, relax_column_count: true }) as string[][];
  const header = cells[0] ?? [];
  const rows = cells.slice(1).map((r) => {
    const row: Record<string, string> = {};
    // Only the cells a row has: a short row lacks the rest, rather than holding empty strings.
    header.forEach((name, i) => {
      if (i < r.length) row[name] = r[i]!;
    });
    return row;
  });
  return { header, rows };
}

function describeError(e: unknown): string {
  return e instanceof TrajanError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
}

function runCase(c: PmmlCase, base: string): CaseResult {
  const fail = (why: string, rows = 0): CaseResult => ({ status: 'failed', rows, mismatches: 0, firstMismatch: why });
  // A case that compares nothing would pass whatever the engine did.
  if (!Array.isArray(c.compare_columns) || c.compare_columns.length === 0) return fail('no compare_columns: the case compares nothing');
  let model: PmmlModel;
  try {
    // The suites' input files carry columns the models do not read (ids, expected values).
    model = loadPmml(readFileSync(join(base, c.model_file), 'utf8'), { allowExtraFields: true });
  } catch (e) {
    const why = e instanceof TrajanError ? `${e.code}: ${e.message}${e.location?.line ? ` (line ${e.location.line})` : ''}` : String(e);
    return fail(`load failed: ${why}`);
  }
  let inputs: Record<string, unknown>[];
  let expected: { header: string[]; rows: Record<string, string>[] };
  try {
    inputs = records(readCsv(join(base, c.input_csv)), c.group_field);
    expected = readCsvTable(join(base, c.expected_csv));
  } catch (e) {
    return fail(`cannot read the case's CSV: ${describeError(e)}`);
  }
  if (inputs.length === 0) return fail(`${c.input_csv} has no rows: the case compares nothing`);
  const missing = c.compare_columns.filter((col) => !expected.header.includes(col));
  if (missing.length)
    return fail(`compare column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not in ${c.expected_csv}`, inputs.length);
  let mismatches = 0;
  let first: string | undefined;
  // Every result needs an expected row and every expected row a result: each row without its
  // counterpart is a mismatch.
  if (expected.rows.length !== inputs.length) {
    mismatches += Math.abs(expected.rows.length - inputs.length);
    first = `${c.expected_csv} has ${expected.rows.length} rows for ${inputs.length} results`;
  }
  inputs.forEach((rec, i) => {
    const want = expected.rows[i];
    if (!want) return;
    let got: Record<string, unknown>;
    try {
      got = model.score(rec);
    } catch (e) {
      mismatches++;
      first ??= `row ${i + 1}: ${describeError(e)}`;
      return;
    }
    for (const col of c.compare_columns) {
      const cell = want[col];
      if (cell === undefined || !cellMatches(cell, got[col], c.tolerance)) {
        mismatches++;
        first ??=
          cell === undefined
            ? `row ${i + 1}, ${col}: no expected value (short row)`
            : `row ${i + 1}, ${col}: expected ${cell}, got ${JSON.stringify(got[col])}`;
        break;
      }
    }
  });
  return { status: mismatches === 0 ? 'passed' : 'failed', rows: inputs.length, mismatches, ...(first ? { firstMismatch: first } : {}) };
}

/** The sha256 of a file's bytes, in hex. */
export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The skip for a case: same id and same model document (by checksum); a changed document runs. */
function skipFor(skips: readonly PmmlSkip[] | undefined, c: PmmlCase, base: string): PmmlSkip | undefined {
  const candidates = skips?.filter((s) => s.id === c.id) ?? [];
  if (candidates.length === 0) return undefined;
  let sha: string;
  try {
    sha = fileSha256(join(base, c.model_file));
  } catch {
    return undefined;
  }
  return candidates.find((s) => s.model_sha256.toLowerCase() === sha);
}

export function runPmmlSuite(manifestPath: string, options: { skips?: readonly PmmlSkip[]; filter?: readonly string[] } = {}): PmmlReport {
  let manifest: { cases: PmmlCase[] };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { cases: PmmlCase[] };
  } catch (e) {
    throw new PfaSyntaxError('manifest', `${manifestPath}: not a readable JSON manifest (${(e as Error).message})`);
  }
  if (!Array.isArray(manifest?.cases))
    throw new PfaSyntaxError('manifest', `${manifestPath}: not a PMML conformance manifest (no "cases" array)`);
  const base = dirname(manifestPath);
  const cases = manifest.cases.filter((c) => !options.filter?.length || options.filter.some((f) => c.id.includes(f)));
  const report: PmmlReport = { cases: cases.length, passed: 0, failed: 0, skipped: 0, byCase: {} };
  for (const c of cases) {
    const skip = skipFor(options.skips, c, base);
    const r: CaseResult = skip ? { status: 'skipped', rows: 0, mismatches: 0, firstMismatch: skip.reason } : runCase(c, base);
    report.byCase[c.id] = r;
    report[r.status]++;
  }
  return report;
}
