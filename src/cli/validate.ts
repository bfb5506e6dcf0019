/**
 * `validate-model FILE...`: check each document (PFA as JSON or YAML, or PMML, told apart by
 * content: PMML is lowered to PFA and checked the same way) with `check`, which runs every check
 * loading runs, so that a document is valid here exactly when it loads, and goes on after each
 * problem, so that every independent problem is reported. Print `file: OK` or one line per problem,
 * `file:line:col code message` (the JSON pointer when no line is known). `--json` prints one JSON
 * object per file; `--format sarif` one SARIF 2.1.0 log for all files. Exit status: 0 all valid,
 * 1 some invalid, 2 usage or unreadable; `--help` and `--version` exit 0.
 */
import { readFileSync } from 'node:fs';
import { check, type CheckResult } from '../check.js';
import { formatLocation } from '../errors.js';
import { DEFAULT_MAX_PROBLEMS, type Problem } from '../problems.js';
import { toSarif, type FileProblems } from '../sarif.js';
import { UsageError, packageVersion, unreadable, wholeNumber, withCommandLine } from './command-line.js';

export interface Diagnostic {
  readonly kind: string;
  readonly code: string | number;
  readonly message: string;
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
  /** Only for a warning: a diagnostic without it is an error. */
  readonly severity?: 'warning';
}

export interface FileResult {
  readonly file: string;
  readonly valid: boolean;
  /** Every problem found, in the order checked. */
  readonly diagnostics: Diagnostic[];
  /** Present (true) when more problems were found than --max-problems lets through. */
  readonly truncated?: true;
}

function diagnostic(p: Problem): Diagnostic {
  return {
    kind: p.kind,
    code: p.code,
    message: p.message,
    ...p.location,
    ...(p.severity === 'warning' ? { severity: 'warning' as const } : {}),
  };
}

function fileResult(file: string, r: CheckResult): FileResult {
  return { file, valid: r.ok, diagnostics: r.problems.map(diagnostic), ...(r.truncated ? { truncated: true as const } : {}) };
}

export function validateText(file: string, text: string, maxProblems = DEFAULT_MAX_PROBLEMS): FileResult {
  return fileResult(file, check(text, { maxProblems }));
}

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** The usage of `validate-model`, or of `trajan validate` when `command` says so. */
export function validateUsage(command = 'validate-model'): string {
  return `usage: ${command} [--json | --format text|json|sarif] [--max-problems N] FILE...
  --format text    one line per problem, file:line:col code message (the default)
  --json           one JSON object per file: {file, valid, diagnostics[, truncated]} (same as --format json)
  --format sarif   one SARIF 2.1.0 log for all the files, for code-scanning tools
  --max-problems N report at most N problems per file (default ${DEFAULT_MAX_PROBLEMS})
  --help, -h       this text
  --version        the installed version`;
}

const FLAGS = { json: { type: 'boolean' }, format: { type: 'string' }, 'max-problems': { type: 'string' } } as const;

/** `command` names the program in messages: `validate-model` or `trajan validate`. */
export function runValidate(args: string[], out: (s: string) => void, err: (s: string) => void, command = 'validate-model'): number {
  return withCommandLine(command, validateUsage(command), args, FLAGS, { out, err }, ({ values, positionals: files }) => {
    if (files.length === 0) throw new UsageError('no FILE to validate');
    const format = (values.format ?? (values.json === true ? 'json' : 'text')) as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got ${values.format}`);
    if (values.json === true && format !== 'json') throw new UsageError('--json and --format sarif/text do not go together');
    const maxProblems = wholeNumber('max-problems', values['max-problems']) ?? DEFAULT_MAX_PROBLEMS;
    if (maxProblems < 1) throw new UsageError('--max-problems must be at least 1');
    return validateFiles(files, format, maxProblems, out, err);
  });
}

function validateFiles(files: string[], format: Format, maxProblems: number, out: (s: string) => void, err: (s: string) => void): number {
  let status = 0;
  const checked: FileProblems[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      // The others are still checked: one missing file should not hide the verdict on the rest.
      const errno = (e as NodeJS.ErrnoException).code;
      err(`${file}: ${unreadable(e)}${errno ? ` (${errno})` : ''}`);
      status = 2;
      continue;
    }
    const r = check(text, { maxProblems });
    if (format === 'sarif') checked.push({ file, problems: r.problems });
    else if (format === 'json') out(JSON.stringify(fileResult(file, r)));
    else if (r.ok && r.problems.length === 0) out(`${file}: OK`);
    else {
      for (const p of r.problems) out(`${file}:${formatLocation(p.location)} ${p.code} ${p.message}`);
      if (r.truncated) out(`${file}: more problems not shown (--max-problems ${maxProblems})`);
    }
    if (!r.ok && status === 0) status = 1;
  }
  if (format === 'sarif') out(JSON.stringify(toSarif(checked, packageVersion()), null, 2));
  return status;
}
