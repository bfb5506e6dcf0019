/**
 * `check`: every independent problem of a PFA or PMML document, as data, without throwing. Loading
 * (and `checkPfaSource`) stops at the first problem; this goes on after each where the document's
 * parts allow (problems.ts says how, and how cascades are left out), up to `maxProblems`.
 */
import { PfaInitializationError, type PfaSyntaxError } from './errors.js';
import { formatShownBy, type ModelFormat, type ModelSource } from './model.js';
import { checkOptionNames } from './pfa/check/options.js';
import { collectPfaSource } from './pfa/check/collect.js';
import { documentText, PARSE_OPTION_NAMES, type DocumentSource } from './pfa/load.js';
import type { ParseOptions } from './pfa/parse.js';
import { collectPmmlSource } from './pmml/collect.js';
import type { LoweringOptions } from './pmml/lower/document.js';
import { DEFAULT_MAX_PROBLEMS, Problems, type Problem } from './problems.js';

export interface CheckOptions extends ParseOptions, LoweringOptions {
  /** Most problems reported (default 100); `truncated` says when there were more. */
  readonly maxProblems?: number;
}

export const CHECK_OPTION_NAMES = {
  ...PARSE_OPTION_NAMES,
  maxTreeDepth: true,
  maxSegments: true,
  maxProblems: true,
} as const satisfies Record<keyof CheckOptions, true>;

export interface CheckResult {
  /** No problem of severity `error`: the document loads. */
  readonly ok: boolean;
  readonly format: ModelFormat;
  /** In document order as checked: parsing first, then checking (PFA) or lowering (PMML). */
  readonly problems: readonly Problem[];
  /** Whether problems were left out at `maxProblems`. */
  readonly truncated: boolean;
}

/**
 * Checks a PFA (JSON, YAML or a parsed value) or PMML document, told apart by content as
 * `loadModel` does. Problems of the document never throw; options that are not CheckOptions, or a
 * `maxProblems` that is not a positive whole number, do (as for every function taking options).
 */
export function check(source: ModelSource, options: CheckOptions = {}): CheckResult {
  checkOptionNames(options, CHECK_OPTION_NAMES, 'check');
  const max = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  if (!Number.isSafeInteger(max) || max < 1)
    throw new PfaInitializationError('bad-option', 'check: option maxProblems must be a whole number of at least 1');
  const { maxProblems: _max, ...rest } = options;
  const problems = new Problems(max);
  if (typeof source !== 'string' && !(source instanceof Uint8Array))
    return result('pfa', collectPfaSource(source, rest, problems), problems);
  let text: string;
  try {
    text = documentText(source as DocumentSource);
  } catch (e) {
    // Bytes that are not UTF-8 do not show their format; the problem is the same for both.
    problems.add(e as PfaSyntaxError);
    return result('pfa', problems.list, problems);
  }
  if (formatShownBy(text) === 'pmml') return result('pmml', collectPmmlSource(text, rest, problems), problems);
  return result('pfa', collectPfaSource(text, rest, problems), problems);
}

function result(format: ModelFormat, list: readonly Problem[], problems: Problems): CheckResult {
  return { ok: !list.some((p) => p.severity === 'error'), format, problems: list, truncated: problems.truncated };
}
