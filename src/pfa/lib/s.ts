/**
 * PFA namespace `s`: basic string functions (no regular expressions; see `re`).
 *
 * Strings are sequences of Unicode code points: lengths, indexes and slices count code points, as
 * the reference engine (Python `str`) does, not UTF-16 units. Edge cases follow Python's `str`
 * methods, which the reference engine calls directly.
 */
import { runtimeError } from '../../errors.js';
import { sliceBounds } from './_slices.js';
import { codePointIndex, codePointLength, codePoints, hasSurrogates } from './_code-points.js';
import { formatExponent, formatFixed, padToWidth, zeroPad } from './_python-format.js';
import { defineLibrary, type Impl } from './define.js';

/** The code-point slice `[start, end)` of `s` with Python's index rules. */
function slice(s: string, start: number, end: number): [before: string, middle: string, after: string] {
  const units = !hasSurrogates(s);
  const parts = units ? s : codePoints(s);
  const [b, e] = sliceBounds(parts.length, start, end);
  if (typeof parts === 'string') return [parts.slice(0, b), parts.slice(b, e), parts.slice(e)];
  return [parts.slice(0, b).join(''), parts.slice(b, e).join(''), parts.slice(e).join('')];
}

/** Code-point membership test for the `chars` argument of the strip functions. */
function charSet(chars: string): Set<string> {
  return new Set(codePoints(chars));
}

function lstrip(s: string, chars: Set<string>): string {
  const cps = codePoints(s);
  let i = 0;
  while (i < cps.length && chars.has(cps[i]!)) i++;
  return cps.slice(i).join('');
}

function rstrip(s: string, chars: Set<string>): string {
  const cps = codePoints(s);
  let j = cps.length;
  while (j > 0 && chars.has(cps[j - 1]!)) j--;
  return cps.slice(0, j).join('');
}

/**
 * Integer formatting shared by `s.int`, `s.hex` and the integer signatures of `s.number`, as
 * Python's `'{:Nd}'`: width 0 gives an empty string (the reference engine's format string is then
 * empty), a negative width left-justifies, and zero-padding a negative width is an error.
 */
function formatInteger(digits: string, width: number, pad: boolean, code: number, fcnName: string): string {
  if (pad && width < 0) throw runtimeError(code, 'negative width cannot be used with zero-padding', fcnName);
  if (width === 0) return '';
  return pad ? zeroPad(digits, width) : padToWidth(digits, width);
}

const DEFAULT_MIN_NO_EXP = 0.0001;
const DEFAULT_MAX_NO_EXP = 100000;

/**
 * `s.number` for floating-point numbers, as the reference engine: fixed notation when the magnitude
 * is zero or within [minNoExp, maxNoExp], else exponent notation; without a precision, six digits
 * with trailing zeros removed (and then, oddly, a width of 0 empties the result).
 */
function formatDouble(x: number, width: number | null, precision: number | null, minNoExp: number, maxNoExp: number): string {
  if (precision !== null && precision < 0) throw runtimeError(39121, 'negative precision', 's.number');
  const v = x === 0 ? 0 : x; // drops the sign of -0
  const a = Math.abs(v);
  const fixed = a === 0 || (a >= minNoExp && a <= maxNoExp);
  const p = precision ?? 6;
  const body = fixed ? formatFixed(v, p) : formatExponent(v, p);
  if (precision !== null) return width === null ? body : padToWidth(body, width);
  const trimmed = body.replace(/(\.\d+?)0+(e|$)/, '$1$2');
  if (width === null) return trimmed;
  return width === 0 && trimmed !== body ? '' : padToWidth(trimmed, width);
}

function numberImpl(sigIndex: number): Impl {
  switch (sigIndex) {
    case 0:
      return (x: bigint) => x.toString();
    case 1:
      return (x: bigint, width: number, pad: boolean) => formatInteger(x.toString(), width, pad, 39120, 's.number');
    case 2:
      return (x: number, width: number | null, precision: number | null) =>
        formatDouble(x, width, precision, DEFAULT_MIN_NO_EXP, DEFAULT_MAX_NO_EXP);
    default:
      return formatDouble;
  }
}

function hexDigits(x: bigint): string {
  if (x < 0n) throw runtimeError(39111, 'negative number', 's.hex');
  return x.toString(16);
}

/** Python's `str.replace` with an empty `original`: the replacement goes between every code point. */
function insertEverywhere(s: string, replacement: string): string {
  return ['', ...codePoints(s), ''].join(replacement);
}

export default defineLibrary('s', {
  len: { sig: '(s: string) -> int', fn: codePointLength },
  substr: {
    sig: '(s: string, start: int, end: int) -> string',
    fn: (s: string, start: number, end: number) => slice(s, start, end)[1],
  },
  substrto: {
    sig: '(s: string, start: int, end: int, replacement: string) -> string',
    fn: (s: string, start: number, end: number, replacement: string) => {
      const [before, , after] = slice(s, start, end);
      return before + replacement + after;
    },
  },

  contains: { sig: '(haystack: string, needle: string) -> boolean', fn: (h: string, n: string) => h.includes(n) },
  count: {
    sig: '(haystack: string, needle: string) -> int',
    // Non-overlapping occurrences; the specification makes an empty needle count zero.
    fn: (h: string, n: string) => (n === '' ? 0 : h.split(n).length - 1),
  },
  index: {
    sig: '(haystack: string, needle: string) -> int',
    fn: (h: string, n: string) => codePointIndex(h, h.indexOf(n)),
  },
  rindex: {
    sig: '(haystack: string, needle: string) -> int',
    fn: (h: string, n: string) => codePointIndex(h, h.lastIndexOf(n)),
  },
  startswith: { sig: '(haystack: string, needle: string) -> boolean', fn: (h: string, n: string) => h.startsWith(n) },
  endswith: { sig: '(haystack: string, needle: string) -> boolean', fn: (h: string, n: string) => h.endsWith(n) },

  join: { sig: '(array: array<string>, sep: string) -> string', fn: (a: string[], sep: string) => a.join(sep) },
  split: {
    sig: '(s: string, sep: string) -> array<string>',
    fn: (s: string, sep: string) => (sep === '' ? [] : s.split(sep)),
  },
  hex: {
    sig: ['(x: long) -> string', '(x: long, width: int, zeroPad: boolean) -> string'],
    errors: [39110, 39111],
    make: (site) =>
      site.sigIndex === 0
        ? hexDigits
        : (x: bigint, width: number, pad: boolean) => formatInteger(hexDigits(x), width, pad, 39110, 's.hex'),
  },
  int: {
    sig: ['(x: long) -> string', '(x: long, width: int, zeroPad: boolean) -> string'],
    errors: [39240],
    make: (site) =>
      site.sigIndex === 0
        ? (x: bigint) => x.toString()
        : (x: bigint, width: number, pad: boolean) => formatInteger(x.toString(), width, pad, 39240, 's.int'),
  },
  number: {
    sig: [
      '(x: long) -> string',
      '(x: long, width: int, zeroPad: boolean) -> string',
      '(x: double, width: union<int, null>, precision: union<int, null>) -> string',
      '(x: double, width: union<int, null>, precision: union<int, null>, minNoExp: double, maxNoExp: double) -> string',
    ],
    errors: [39120, 39121],
    make: (site) => numberImpl(site.sigIndex),
  },

  concat: { sig: '(x: string, y: string) -> string', fn: (x: string, y: string) => x + y },
  repeat: { sig: '(s: string, n: int) -> string', fn: (s: string, n: number) => s.repeat(Math.max(n, 0)) },
  lower: { sig: '(s: string) -> string', fn: (s: string) => s.toLowerCase() },
  upper: { sig: '(s: string) -> string', fn: (s: string) => s.toUpperCase() },
  lstrip: { sig: '(s: string, chars: string) -> string', fn: (s: string, chars: string) => lstrip(s, charSet(chars)) },
  rstrip: { sig: '(s: string, chars: string) -> string', fn: (s: string, chars: string) => rstrip(s, charSet(chars)) },
  strip: {
    sig: '(s: string, chars: string) -> string',
    fn: (s: string, chars: string) => {
      const set = charSet(chars);
      return rstrip(lstrip(s, set), set);
    },
  },
  replaceall: {
    sig: '(s: string, original: string, replacement: string) -> string',
    // split/join rather than String#replaceAll, which would interpret `$` in the replacement.
    fn: (s: string, original: string, replacement: string) =>
      original === '' ? insertEverywhere(s, replacement) : s.split(original).join(replacement),
  },
  replacefirst: {
    sig: '(s: string, original: string, replacement: string) -> string',
    fn: (s: string, original: string, replacement: string) => {
      const i = s.indexOf(original);
      return i < 0 ? s : s.slice(0, i) + replacement + s.slice(i + original.length);
    },
  },
  replacelast: {
    sig: '(s: string, original: string, replacement: string) -> string',
    fn: (s: string, original: string, replacement: string) => {
      const i = s.lastIndexOf(original);
      return i < 0 ? s : s.slice(0, i) + replacement + s.slice(i + original.length);
    },
  },
  translate: {
    sig: '(s: string, oldchars: string, newchars: string) -> string',
    fn: (s: string, oldchars: string, newchars: string) => {
      const from = codePoints(oldchars);
      const to = codePoints(newchars);
      // The first occurrence of a character in `oldchars` decides; beyond `newchars` it is deleted.
      const table = new Map<string, string>();
      from.forEach((c, i) => {
        if (!table.has(c)) table.set(c, to[i] ?? '');
      });
      return codePoints(s)
        .map((c) => table.get(c) ?? c)
        .join('');
    },
  },
});
