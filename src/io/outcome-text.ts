/**
 * Many outcomes sent back from a worker thread as JSON text in one moved buffer: a structured
 * clone of thousands of small result objects costs the receiving thread more than JSON.parse of
 * their text does. The text is used only when it reads back as exactly the same values; a value
 * JSON cannot hold as it is (NaN, ±Infinity, -0, a bigint, undefined, bytes or any object that is
 * not a plain object or array) sends the outcomes by structured clone instead.
 */
import type { Outcome } from './outcomes.js';
import { ownBytes } from './transfer.js';

/** Whether JSON.stringify would change `v` (looked at one value at a time, as its replacer sees them). */
function changedByJson(v: unknown): boolean {
  switch (typeof v) {
    case 'number':
      return !Number.isFinite(v) || Object.is(v, -0);
    case 'bigint':
    case 'undefined':
    case 'function':
    case 'symbol':
      return true;
    case 'object': {
      if (v === null || Array.isArray(v)) return false;
      const proto = Object.getPrototypeOf(v) as unknown;
      return proto !== Object.prototype && proto !== null;
    }
    default:
      return false;
  }
}

/** The outcomes as UTF-8 JSON text, or undefined when the text would not read back exactly. */
export function outcomesText(outcomes: readonly Outcome[]): Uint8Array | undefined {
  let exact = true;
  const text = JSON.stringify(outcomes, function (this: Record<string, unknown>, key: string, v: unknown) {
    // Looked at before toJSON has turned it into something else (a Date into a string). Once the
    // text cannot be used, the rest is skipped (and a bigint, which JSON.stringify refuses, never reaches it).
    if (!exact || changedByJson(this[key])) {
      exact = false;
      return null;
    }
    return v;
  });
  return exact ? ownBytes(text) : undefined;
}

export function outcomesFromText(bytes: Uint8Array): Outcome[] {
  return JSON.parse(new TextDecoder().decode(bytes)) as Outcome[];
}
