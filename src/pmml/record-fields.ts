/**
 * Checks a caller's record against the fields a model reads. A misspelt name (`sepal_length` for
 * `sepal length`) would otherwise leave its field missing and score quietly; it is an error unless
 * the caller allows extra fields. The suggestion is the closest known name by edit distance.
 */
import { PfaRuntimeError } from '../errors.js';

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
    const near = closest(name, known);
    throw new PfaRuntimeError('unknown-field', `the record has a field ${JSON.stringify(name)} that the model does not know${near !== undefined ? ` (did you mean ${JSON.stringify(near)}?)` : ''}; to ignore such fields, load the model with allowExtraFields (--allow-extra-fields on the command line)`);
  }
}

/** The known name nearest to `name` (case and separators aside first, then edit distance). */
function closest(name: string, known: ReadonlySet<string>): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[\s_.\-]+/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = squash(k) === squash(name) ? 0 : distance(name.toLowerCase(), k.toLowerCase(), bestDistance);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  // A suggestion farther than half the name is noise.
  return bestDistance <= Math.max(2, Math.ceil(name.length / 2)) ? best : undefined;
}

/** Levenshtein distance, giving up (Infinity) once every path exceeds `bound`; long names are cut. */
function distance(a: string, b: string, bound: number): number {
  const [s, t] = [a.slice(0, 64), b.slice(0, 64)];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let min = i;
    for (let j = 1; j <= t.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
      row.push(v);
      if (v < min) min = v;
    }
    if (min > bound) return Infinity;
    prev = row;
  }
  return prev[t.length]!;
}
