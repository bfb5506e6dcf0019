/**
 * `validate-model FILE...`: parse and check each document (PFA as JSON or YAML, or PMML, told apart
 * by content: PMML is lowered to PFA and checked the same way), with every check loading runs, so
 * that a document is valid here exactly when it loads; print `file: OK` or one line per
 * diagnostic, `file:line:col code message` (the JSON pointer when no line is known). `--json`
 * prints one JSON object per file. Exit status: 0 all valid, 1 some invalid, 2 usage or unreadable.
 */
import { readFileSync } from 'node:fs';
import { TrajanError, formatLocation } from '../errors.js';
import { detectFormat } from '../model.js';
import { checkPfaSource } from '../pfa/load.js';
import { loadPmml } from '../pmml/model.js';

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

const USAGE = 'usage: validate-model [--json] FILE...';

export function runValidate(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  const unknown = files.find((f) => f.startsWith('--'));
  if (unknown || files.length === 0) {
    err(unknown ? `unknown option ${unknown}\n${USAGE}` : USAGE);
    return 2;
  }
  let status = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      err(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
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
