/**
 * The loader's error boundary: whatever escapes parsing, checking or compiling that is not a
 * TrajanError (a bug, or the JS stack running out on a hostile document) is reported as one, with
 * a stable code and the location the stage was at, so that callers only ever see coded errors.
 */
import { PfaInitializationError, PfaSemanticError, PfaSyntaxError, TrajanError, type Location } from '../errors.js';

export type Stage = 'parse' | 'check' | 'compile';

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/** `e` as a TrajanError: unchanged if it is one, else `too-deep` (stack exhausted) or `internal-error`. */
export function asTrajanError(e: unknown, stage: Stage, location?: Location): TrajanError {
  if (e instanceof TrajanError) return e;
  const make = stage === 'parse' ? PfaSyntaxError : stage === 'check' ? PfaSemanticError : PfaInitializationError;
  if (isStackOverflow(e)) return new make('too-deep', `the document nests too deeply to ${stage === 'parse' ? 'read' : stage}`, location);
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const err = new make(
    'internal-error',
    `internal error while ${stage === 'parse' ? 'reading' : stage === 'check' ? 'checking' : 'compiling'} the document: ${what}`,
    location,
  );
  (err as { cause?: unknown }).cause = e;
  return err;
}
