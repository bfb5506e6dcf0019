/**
 * Runs the PFA conformance suite (files of `{"pfa-tests": [{function, engine, trials}]}`, plain or
 * gzipped, in any JSON layout: suite-reader.ts) through `loadPfa`, one compiled engine per test, and
 * compares every trial with the reference result, except those a skip rule covers (skip-rules.ts).
 */
import { fromJson, toJson } from '../avro/json.js';
import { isValueOf, setField } from '../avro/values.js';
import { PfaRuntimeError, TrajanError } from '../errors.js';
import { loadPfa } from '../pfa/load.js';
import type { PfaEngine } from '../pfa/engine.js';
import { matches, matchesUnordered, STRICT, type Tolerance } from './compare.js';
import { findRule, type SkipRule } from './skip-rules.js';
import { readSuite } from './suite-reader.js';

export { readSuite } from './suite-reader.js';
export type { SkipRule } from './skip-rules.js';

export interface Trial {
  readonly sample: Record<string, unknown>;
  readonly result?: unknown;
  readonly error?: number;
  readonly nondeterministic?: 'pseudorandom' | 'unordered' | 'unstable';
  /** For trials the reference is not trusted on: an independent library's value. */
  readonly independent?: unknown;
}

export interface SuiteTest {
  readonly function: string;
  readonly engine: object;
  readonly trials: readonly Trial[];
}

/** A skip rule: by function and by what the trial uses (see skip-rules.ts). */
export type Skip = SkipRule;

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface Failure {
  readonly function: string;
  readonly file: string;
  readonly test: number;
  readonly trial: number;
  readonly sample?: unknown;
  readonly expected: string;
  readonly actual: string;
}

export interface SuiteReport extends Counts {
  readonly byFunction: Record<string, Counts>;
  /** For each skip rule (same order as the options' `skips`): trials it skipped, by function. */
  readonly bySkip: Record<string, number>[];
  readonly failures: Failure[];
}

export interface SuiteOptions {
  /** Function-name prefixes to run (all when empty). */
  readonly filter?: readonly string[];
  readonly skips?: readonly Skip[];
  readonly tolerance?: Tolerance;
  /** Failures recorded per function (all are counted). */
  readonly keepFailures?: number;
  /** Loop/recursion budget per trial, so a runaway engine fails rather than hangs. */
  readonly timeoutMs?: number;
  /** Compare with a trial's `independent` value, when it has one, instead of the reference's. */
  readonly preferIndependent?: boolean;
  /** The engine backend to run (default: the engine's default, specialized). */
  readonly backend?: 'closures' | 'specialized';
}

function show(v: unknown): string {
  const s = JSON.stringify(v, (_k, x) =>
    typeof x === 'bigint'
      ? `${x}n`
      : typeof x === 'number' && !Number.isFinite(x)
        ? String(x)
        : x instanceof Map
          ? Object.fromEntries(x)
          : x,
  );
  return s === undefined ? String(v) : s.length > 300 ? `${s.slice(0, 300)}...` : s;
}

function describeError(e: unknown): string {
  if (e instanceof TrajanError) return `${e.kind} error ${e.code}: ${e.message}`;
  return `crash: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
}

/** Non-finite numbers as the suite writes them ("inf", "-inf", "nan"), so unordered results sort alike. */
function suiteEncoding(json: unknown): unknown {
  if (typeof json === 'number') return Number.isNaN(json) ? 'nan' : json === Infinity ? 'inf' : json === -Infinity ? '-inf' : json;
  if (Array.isArray(json)) return json.map(suiteEncoding);
  if (typeof json === 'object' && json !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(json)) setField(out, k, suiteEncoding((json as Record<string, unknown>)[k]));
    return out;
  }
  return json;
}

/** Checks one trial; returns undefined when it passes, else what was produced instead. */
function runTrial(engine: PfaEngine, trial: Trial, tol: Tolerance): string | undefined {
  let input: unknown;
  try {
    input = fromJson(engine.inputType, trial.sample, { bytes: 'base64' });
  } catch (e) {
    return `sample does not fit the input type: ${(e as Error).message}`;
  }
  let out: unknown;
  try {
    out = engine.action(input);
  } catch (e) {
    if (trial.error !== undefined && e instanceof PfaRuntimeError && e.code === trial.error) return undefined;
    return describeError(e);
  }
  if (trial.error !== undefined) return `result ${show(toJson(engine.outputType, out, { bytes: 'base64' }))}`;
  if (!isValueOf(engine.outputType, out)) return `result ${show(out)} is not a value of the output type`;
  if (trial.nondeterministic === 'pseudorandom' || trial.nondeterministic === 'unstable' || !('result' in trial)) return undefined;
  const json = suiteEncoding(toJson(engine.outputType, out, { bytes: 'base64' }));
  const ok =
    trial.nondeterministic === 'unordered'
      ? matchesUnordered(engine.outputType, trial.result, json, tol)
      : matches(engine.outputType, trial.result, json, tol);
  return ok ? undefined : `result ${show(json)}`;
}

/**
 * Runs suite files and returns the counts, by function, with the first failures of each. A file
 * that is not a PFA test file, or holds no trial, throws a `PfaSyntaxError` naming it.
 */
export function runSuite(files: readonly string[], options: SuiteOptions = {}): SuiteReport {
  const skips = options.skips ?? [];
  const report: SuiteReport = { passed: 0, failed: 0, skipped: 0, byFunction: {}, bySkip: skips.map(() => ({})), failures: [] };
  const tol = options.tolerance ?? STRICT;
  const keep = options.keepFailures ?? 5;
  const filter = options.filter ?? [];
  for (const file of files) {
    let index = -1;
    for (const test of readSuite(file)) {
      index++;
      const fn = test.function;
      if (filter.length && !filter.some((p) => fn === p || fn.startsWith(p))) continue;
      const counts = (report.byFunction[fn] ??= { passed: 0, failed: 0, skipped: 0 });
      const fail = (trial: number, sample: unknown, expected: string, actual: string) => {
        counts.failed++;
        report.failed++;
        if (report.failures.filter((f) => f.function === fn).length < keep)
          report.failures.push({ function: fn, file, test: index, trial, sample, expected, actual });
      };
      let engine: PfaEngine | undefined;
      let loadError: string | undefined;
      try {
        engine = loadPfa(test.engine, {
          maxLoopSteps: 50_000_000,
          ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
          ...(options.backend ? { backend: options.backend } : {}),
        });
      } catch (e) {
        loadError = `engine does not load: ${describeError(e)}`;
      }
      test.trials.forEach((given, t) => {
        const trial: Trial =
          options.preferIndependent && given.independent !== undefined ? { sample: given.sample, result: given.independent } : given;
        // Rules look at the trial as the suite gives it, whichever value it is compared with.
        const rule = skips.length ? findRule(skips, { function: fn, engine: test.engine, trial: given }) : -1;
        if (rule >= 0) {
          const used = report.bySkip[rule]!;
          used[fn] = (used[fn] ?? 0) + 1;
          counts.skipped++;
          report.skipped++;
          return;
        }
        const expected =
          trial.error !== undefined
            ? `error ${trial.error}`
            : 'result' in trial
              ? `result ${show(trial.result)}`
              : `a ${trial.nondeterministic} value`;
        const problem = engine ? runTrial(engine, trial, tol) : loadError!;
        if (problem === undefined) {
          counts.passed++;
          report.passed++;
        } else fail(t, trial.sample, expected, problem);
      });
    }
  }
  return report;
}
