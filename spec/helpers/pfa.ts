/** Small helpers for specs that score tiny PFA documents. */
import { loadPfa, type LoadOptions } from '../../src/index.js';

/** Builds an engine from a document given as a JS object. */
export function engine(doc: Record<string, unknown>, options?: LoadOptions) {
  return loadPfa(doc, options);
}

/** Scores one input through a one-off engine. */
export function run(doc: Record<string, unknown>, input: unknown = null, options?: LoadOptions): unknown {
  return loadPfa({ input: 'null', ...doc }, options).action(input);
}

/** Calls a function expression with inline arguments: `call('+', [1, 2])`. */
export function expr(output: unknown, action: unknown, input: unknown = 'null', value: unknown = null, options?: LoadOptions): unknown {
  return loadPfa({ input, output, action }, options).action(value);
}

/** The error an action throws (fails the spec when it does not throw). */
export function thrown(f: () => unknown): { kind: string; code: string | number; location?: { pointer?: string; line?: number } } {
  try {
    f();
  } catch (e) {
    return e as { kind: string; code: string | number };
  }
  throw new Error('expected an error');
}
