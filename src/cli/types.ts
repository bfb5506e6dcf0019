/**
 * `trajan types MODEL [-o OUT.d.ts]`: writes TypeScript declarations for a model's plain input
 * record and result (see model-types.ts), to stdout without `-o`. Exit status: 0 written, 1 the
 * model does not load (the error, located in the document), 2 usage or an unreadable file.
 * `--help` and `--version` exit 0.
 */
import { writeFileSync } from 'node:fs';
import { TrajanError, ModelFileError, formatLocation } from '../errors.js';
import type { Model } from '../model.js';
import { loadModelFile } from '../model-file.js';
import { modelDeclarations } from '../model-types.js';
import { FileProblem, UsageError, withCommandLine } from './command-line.js';

export const TYPES_USAGE = `usage: trajan types MODEL [-o OUT.d.ts]
  -o, --output FILE  where to write the declarations (default: stdout)
  --help, -h         this text
  --version          the installed version`;

export function runTypes(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  return withCommandLine(
    'trajan types',
    TYPES_USAGE,
    args,
    { output: { type: 'string', short: 'o' } },
    { out, err },
    ({ values, positionals }) => {
      if (positionals.length === 0) throw new UsageError('missing MODEL');
      if (positionals.length > 1) throw new UsageError(`expected one MODEL, got ${positionals.length} files`);
      return types(positionals[0]!, values.output, out, err);
    },
  );
}

function types(file: string, output: string | undefined, out: (s: string) => void, err: (s: string) => void): number {
  let model: Model;
  try {
    model = loadModelFile(file);
  } catch (e) {
    // Worded as the other commands word a missing model file.
    if (e instanceof ModelFileError) throw new FileProblem(e.code === 'file-not-found' ? `model file ${file} does not exist` : e.message);
    if (!(e instanceof TrajanError)) throw e;
    err(`${file}:${formatLocation(e.location ?? {})} ${e.code} ${e.message}`);
    return 1;
  }
  const text = modelDeclarations(model);
  if (output === undefined) out(text.trimEnd());
  else writeFileSync(output, text);
  return 0;
}
