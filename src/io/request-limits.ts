/**
 * Bounds on what one request may ask of the server, checked before anything is built from it:
 * how many JSON values it holds (records and tensor rows included) and how deeply they nest. The
 * walk here is iterative, so a body nested a million levels deep costs a loop, not the stack; every
 * recursive walk later (tagging, validation, scoring) only ever sees bodies that passed it.
 */
import { RequestError } from './served-model.js';

export interface RequestLimits {
  /** JSON values (and records, and tensor rows) one request may carry (default 1,000,000). */
  readonly maxElements: number;
  /** Nesting of arrays and objects in a request body (default 64). */
  readonly maxDepth: number;
  /** Milliseconds one request may spend validating and scoring its records (default 10,000). */
  readonly requestTimeout: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = { maxElements: 1_000_000, maxDepth: 64, requestTimeout: 10_000 };

export function requestLimits(partial: Partial<RequestLimits> = {}): RequestLimits {
  return {
    maxElements: partial.maxElements ?? DEFAULT_REQUEST_LIMITS.maxElements,
    maxDepth: partial.maxDepth ?? DEFAULT_REQUEST_LIMITS.maxDepth,
    requestTimeout: partial.requestTimeout ?? DEFAULT_REQUEST_LIMITS.requestTimeout,
  };
}

export function tooManyElements(limit: number): RequestError {
  return new RequestError(413, `the request holds more than ${limit} values`, { code: 'too-many-elements', limit });
}

/**
 * Counts the values in a parsed JSON body, depth first with an explicit stack. Throws a 400
 * (`too-deep`) past `maxDepth` levels and a 413 (`too-many-elements`) past `maxElements` values.
 * Returns the count, so callers can charge what they build from the body against the same budget.
 */
export function checkJsonSize(body: unknown, limits: RequestLimits): number {
  const stack: unknown[] = [body];
  const depths: number[] = [0];
  let count = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    const depth = depths.pop()!;
    if (++count > limits.maxElements) throw tooManyElements(limits.maxElements);
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limits.maxDepth)
      throw new RequestError(400, `the request nests deeper than ${limits.maxDepth} levels`, { code: 'too-deep', limit: limits.maxDepth });
    const items = Array.isArray(v) ? v : Object.values(v as object);
    // Checked before pushing, so one huge array is refused without copying it onto the stack.
    if (count + stack.length + items.length > limits.maxElements) throw tooManyElements(limits.maxElements);
    for (const item of items) {
      stack.push(item);
      depths.push(depth + 1);
    }
  }
  return count;
}
