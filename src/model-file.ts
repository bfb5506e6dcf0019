/**
 * `loadModelFile`: a model from a file, for Node hosts. Kept apart from model.ts because that module
 * is also bundled for browsers, which have no file system.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { ModelFileError } from './errors.js';
import { checkOptionNames } from './pfa/check/options.js';
import { formatShownBy, loadModelText, MODEL_LOAD_OPTION_NAMES, type Model, type ModelFormat, type ModelLoadOptions } from './model.js';
import { documentText } from './pfa/load.js';
import { documentLimits } from './pfa/source.js';

/** Formats by file extension, used only when the content does not say (see `formatShownBy`). */
const FORMAT_BY_EXTENSION: Readonly<Record<string, ModelFormat>> = {
  '.pmml': 'pmml',
  '.xml': 'pmml',
  '.pfa': 'pfa',
  '.json': 'pfa',
  '.yaml': 'pfa',
  '.yml': 'pfa',
};

/**
 * Loads the model in a file, choosing the format by its content as `loadModel` does. When the
 * content does not say (YAML, or an empty or garbled file), a `.pmml` or `.xml` name makes it PMML,
 * so that a broken PMML file is reported as XML rather than as a PFA document.
 */
export function loadModelFile<In = Record<string, unknown>, Out = unknown>(path: string, options: ModelLoadOptions = {}): Model<In, Out> {
  // Before the file is read: a misspelt option is reported whatever the file holds.
  checkOptionNames(options, MODEL_LOAD_OPTION_NAMES, 'loadModelFile');
  const text = documentText(readModelFile(path, options));
  const format = formatShownBy(text) ?? FORMAT_BY_EXTENSION[extname(path).toLowerCase()] ?? 'pfa';
  return loadModelText<In, Out>(format, text, options);
}

/** UTF-8 takes at most 3 bytes per UTF-16 code unit, the unit of the documents' size limit. */
const MAX_BYTES_PER_UNIT = 3;

/** The file's bytes; a file that is missing, unreadable or too large to hold a document is a ModelFileError naming it. */
function readModelFile(path: string, options: ModelLoadOptions): Buffer {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ModelFileError('file-unreadable', `cannot read model file ${JSON.stringify(path)}: not a file`, path);
    // Checked before reading, so that a huge file is not read into memory only to be refused.
    const maxBytes = documentLimits(options.documentLimits).maxBytes * MAX_BYTES_PER_UNIT;
    if (stat.size > maxBytes)
      throw new ModelFileError(
        'too-large',
        `model file ${JSON.stringify(path)} is too large: ${stat.size} bytes, more than ${maxBytes}`,
        path,
      );
    return readFileSync(path);
  } catch (e) {
    throw e instanceof ModelFileError ? e : fileError(path, e);
  }
}

function fileError(path: string, e: unknown): ModelFileError {
  const code = (e as NodeJS.ErrnoException).code;
  const missing = code === 'ENOENT' || code === 'ENOTDIR';
  const why = missing ? 'no such file' : e instanceof Error ? e.message : String(e);
  const err = new ModelFileError(
    missing ? 'file-not-found' : 'file-unreadable',
    `cannot read model file ${JSON.stringify(path)}: ${why}`,
    path,
  );
  (err as { cause?: unknown }).cause = e;
  return err;
}
