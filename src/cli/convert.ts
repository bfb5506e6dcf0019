/**
 * `trajan convert MODEL.pmml [-o OUT.pfa]`: lowers a PMML document to a standard PFA document and
 * writes it as JSON (to stdout without `-o`). The lowering uses only the PFA language and its
 * library, so there is nothing it leaves out; stderr says how PMML field names map to the PFA
 * record fields where they had to change (PFA field names are Avro names). Exit status: 0 written,
 * 1 the PMML cannot be converted (the error, located in the XML), 2 usage or unreadable input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { TrajanError, formatLocation } from '../errors.js';
import { loadPmml, type PmmlModel } from '../pmml/model.js';
import { parseArgs } from 'node:util';

const USAGE = 'usage: trajan convert MODEL.pmml [-o OUT.pfa]';

/** Notes for the user: the field names the PFA document spells differently. */
export function renamedFields(model: PmmlModel): string[] {
  const notes: string[] = [];
  for (const [name, pfaName] of model.fieldNames.inputs) if (name !== pfaName) notes.push(`input field ${JSON.stringify(name)} is ${JSON.stringify(pfaName)} in the PFA input record`);
  for (const [name, pfaName] of model.fieldNames.results) if (name !== pfaName) notes.push(`result field ${JSON.stringify(name)} is ${JSON.stringify(pfaName)} in the PFA output record`);
  return notes;
}

export function runConvert(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  let files: string[];
  let output: string | undefined;
  try {
    const parsed = parseArgs({ args, options: { output: { type: 'string', short: 'o' } }, allowPositionals: true, strict: true });
    files = parsed.positionals;
    output = parsed.values.output;
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (files.length !== 1) {
    err(USAGE);
    return 2;
  }
  const file = files[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    err(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return 2;
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
