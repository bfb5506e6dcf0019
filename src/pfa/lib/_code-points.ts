/**
 * PFA strings are sequences of Unicode code points (as in Titus, whose strings are Python `str`),
 * while JS strings index UTF-16 units. These helpers translate, with a fast path for the common
 * case of a string without surrogates, where both agree.
 */

const SURROGATE = /[\uD800-\uDFFF]/;

export function hasSurrogates(s: string): boolean {
  return SURROGATE.test(s);
}

/** The code points of `s`, each as a one- or two-unit string. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

/** Number of code points in `s`. */
export function codePointLength(s: string): number {
  if (!hasSurrogates(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The code-point index of UTF-16 offset `unit` in `s` (an offset on a code-point boundary). */
export function codePointIndex(s: string, unit: number): number {
  return unit < 0 || !hasSurrogates(s) ? unit : codePointLength(s.slice(0, unit));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `s` is valid Unicode text: no unpaired surrogate (String#isWellFormed is ES2024). */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}
