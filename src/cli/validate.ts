/**
 * `validate-model FILE...`: parse and check each document (PFA as JSON or YAML, or PMML, told apart
 * by content: PMML is lowered to PFA and checked the same way), with every check loading runs, so
 * that a document is valid here exactly when it loads; print `file: OK` or one line per
 * diagnostic, `file:line:col code message` (the JSON pointer when no line is known). `--json`
 * prints one JSON object per file. Exit status: 0 all valid, 1 some invalid, 2 usage or unreadable;
 * `--help` and `--version` exit 0.
 */
import { readFileSync } from 'node:fs';
import { TrajanError, formatLocation } from '../errors.js';
import { detectFormat } from '../model.js';
import { checkPfaSource } from '../pfa/load.js';
import { loadPmml } from '../pmml/model.js';
import { UsageError, unreadable, withCommandLine } from './command-line.js';

export interface Diagnostic {
  readonly kind: string;
  readonly code: string | number;
  readonly message: string;
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
}

export interface FileResult {
  readonly file: string;
  readonly valid: boolean;
  readonly diagnostics: Diagnostic[];
}

export function validateText(file: string, text: string): FileResult {
  try {
    if (detectFormat(text) === 'pmml') loadPmml(text);
    else checkPfaSource(text);
    return { file, valid: true, diagnostics: [] };
  } catch (e) {
    // PFA comes back coded from checkPfaSource's error boundary; this is the last resort for the rest.
    if (!(e instanceof TrajanError)) {
      return { file, valid: false, diagnostics: [{ kind: 'internal', code: 'internal-error', message: String(e instanceof Error ? e.message : e) }] };
    }
    const loc = e.location ?? {};
    return { file, valid: false, diagnostics: [{ kind: e.kind, code: e.code, message: e.message, ...loc }] };
  }
}

/** The usage of `validate-model`, or of `trajan validate` when `command` says so. */
export function validateUsage(command = 'validate-model'): string {
  return `usage: ${command} [--json] FILE...
  --json           one JSON object per file
  --help, -h       this text
  --version        the installed version`;
}

/** `command` names the program in messages: `validate-model` or `trajan validate`. */
export function runValidate(args: string[], out: (s: string) => void, err: (s: string) => void, command = 'validate-model'): number {
  return withCommandLine(command, validateUsage(command), args, { json: { type: 'boolean' } }, { out, err }, ({ values, positionals: files }) => {
    if (files.length === 0) throw new UsageError('no FILE to validate');
    return validateFiles(files, values.json === true, out, err);
  });
}

function validateFiles(files: string[], json: boolean, out: (s: string) => void, err: (s: string) => void): number {
  let status = 0;
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
    const r = validateText(file, text);
    if (json) out(JSON.stringify(r));
    else if (r.valid) out(`${file}: OK`);
    else for (const d of r.diagnostics) out(`${file}:${formatLocation(d)} ${d.code} ${d.message}`);
    if (!r.valid && status === 0) status = 1;
  }
  return status;
}
