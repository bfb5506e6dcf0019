/** What `f` throws, for specs that look at an error's code and location; fails when it throws nothing. */
import type { TrajanError } from '../src/index.js';

export function thrown(f: () => unknown): TrajanError {
  try {
    f();
  } catch (e) {
    return e as TrajanError;
  }
  throw new Error('expected an error');
}
