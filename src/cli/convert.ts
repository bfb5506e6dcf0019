/**
 * `trajan convert MODEL.pmml [-o OUT.pfa]`: lowers a PMML document to a standard PFA document and
 * writes it as JSON (to stdout without `-o`). The lowering uses only the PFA language and its
 * library, so there is nothing it leaves out; stderr says how PMML field names map to the PFA
 * record fields where they had to change (PFA field names are Avro names). Exit status: 0 written,
 * 1 the PMML cannot be converted (the error, located in the XML), 2 usage or unreadable input.
 * `--help` and `--version` exit 0.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { TrajanError, formatLocation } from '../errors.js';
import { loadPmml, type PmmlModel } from '../pmml/model.js';
import { FileProblem, UsageError, unreadable, withCommandLine } from './command-line.js';

export const CONVERT_USAGE = `usage: trajan convert MODEL.pmml [-o OUT.pfa]
  -o, --output FILE  where to write the PFA document (default: stdout)
  --help, -h         this text
  --version          the installed version`;

/** Notes for the user: the field names the PFA document spells differently. */
export function renamedFields(model: PmmlModel): string[] {
  const notes: string[] = [];
  for (const [name, pfaName] of model.fieldNames.inputs)
    if (name !== pfaName) notes.push(`input field ${JSON.stringify(name)} is ${JSON.stringify(pfaName)} in the PFA input record`);
  for (const [name, pfaName] of model.fieldNames.results)
    if (name !== pfaName) notes.push(`result field ${JSON.stringify(name)} is ${JSON.stringify(pfaName)} in the PFA output record`);
  return notes;
}

export function runConvert(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  return withCommandLine(
    'trajan convert',
    CONVERT_USAGE,
    args,
    { output: { type: 'string', short: 'o' } },
    { out, err },
    ({ values, positionals }) => {
      if (positionals.length === 0) throw new UsageError('missing MODEL.pmml');
      if (positionals.length > 1) throw new UsageError(`expected one MODEL.pmml, got ${positionals.length} files`);
      return convert(positionals[0]!, values.output, out, err);
    },
  );
}

function convert(file: string, output: string | undefined, out: (s: string) => void, err: (s: string) => void): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FileProblem(`model file ${file} ${unreadable(e)}`);
  }
  let model: PmmlModel;
  try {
    model = loadPmml(text);
  } catch (e) {
    if (!(e instanceof TrajanError)) throw e;
    err(`${file}:${formatLocation(e.location ?? {})} ${e.code} ${e.message}`);
    return 1;
  }
  const json = `${JSON.stringify(model.pfa)}\n`;
  if (output === undefined) out(json.trimEnd());
  else writeFileSync(output, json);
  for (const note of renamedFields(model)) err(`${file}: note: ${note}`);
  return 0;
}
