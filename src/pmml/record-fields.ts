/**
 * Checks a caller's record against the fields a model reads. A misspelt name (`sepal_length` for
 * `sepal length`) would otherwise leave its field missing and score quietly; it is an error unless
 * the caller allows extra fields. The suggestion is the closest known name by edit distance.
 */
import { PfaRuntimeError } from '../errors.js';
import { nearestName } from '../nearest-name.js';

/** Options of the model loaders about the records they score. */
export interface RecordOptions {
  /**
   * Whether a record may hold fields the model does not know (default false: an `unknown-field`
   * error naming the field and the closest known name).
   */
  readonly allowExtraFields?: boolean;
}

/** Throws `unknown-field` for the first own field of `record` that is not in `known`. */
export function checkRecordFields(record: unknown, known: ReadonlySet<string>, allowExtra: boolean | undefined): void {
  if (allowExtra || typeof record !== 'object' || record === null || Array.isArray(record)) return;
  for (const name of Object.keys(record)) {
    if (known.has(name)) continue;
    // A suggestion farther than half the name is noise.
    const near = nearestName(name, known, Math.max(2, Math.ceil(name.length / 2)));
    throw new PfaRuntimeError(
      'unknown-field',
      `the record has a field ${JSON.stringify(name)} that the model does not know${near !== undefined ? ` (did you mean ${JSON.stringify(near)}?)` : ''}; to ignore such fields, load the model with allowExtraFields (--allow-extra-fields on the command line)`,
    );
  }
}
