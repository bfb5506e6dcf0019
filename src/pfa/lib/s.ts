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
import { chargeNative, defineLibrary, type EngineContext, type Impl } from './define.js';

/** A native pass over `scanned` characters, and `made` new ones reserved before they are made. */
function work(ctx: EngineContext, scanned: number, made: number): void {
  ctx.allocate(made);
  chargeNative(ctx, scanned);
}

/** The code-point slice `[start, end)` of `s` with Python's index rules. */
function slice(ctx: EngineContext, s: string, start: number, end: number): [before: string, middle: string, after: string] {
  chargeNative(ctx, s.length);
  const units = !hasSurrogates(s);
  const parts = units ? s : codePoints(s);
  const [b, e] = sliceBounds(parts.length, start, end);
  ctx.allocate(2 * (e - b));
  if (typeof parts === 'string') return [parts.slice(0, b), parts.slice(b, e), parts.slice(e)];
  return [parts.slice(0, b).join(''), parts.slice(b, e).join(''), parts.slice(e).join('')];
}

/**
 * Code-point membership test for the `chars` argument of the strip functions: the characters
 * themselves when none is a surrogate, so that no code unit of `s` is half of one of them (a
 * surrogate of `s` is never in the set and stops the strip where a code-point walk would stop).
 */
type CharSet = string | Set<string>;

function charSet(chars: string): CharSet {
  return hasSurrogates(chars) ? new Set(codePoints(chars)) : chars;
}

function lstrip(s: string, chars: CharSet): string {
  if (typeof chars === 'string') {
    let i = 0;
    while (i < s.length && chars.includes(s[i]!)) i++;
    return i === 0 ? s : s.slice(i);
  }
  const cps = codePoints(s);
  let i = 0;
  while (i < cps.length && chars.has(cps[i]!)) i++;
  return cps.slice(i).join('');
}

function rstrip(s: string, chars: CharSet): string {
  if (typeof chars === 'string') {
    let j = s.length;
    while (j > 0 && chars.includes(s[j - 1]!)) j--;
    return j === s.length ? s : s.slice(0, j);
  }
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

/**
 * A formatted number's budget: its width in characters, and a precision's digits, whose exact
 * decimal expansion (a power of ten as a bigint) costs about the square of their count.
 */
function formatting(ctx: EngineContext, impl: Impl): Impl {
  return (x: unknown, width?: number | null, precision?: number | null, ...rest: unknown[]) => {
    const w = typeof width === 'number' ? Math.abs(width) : 0;
    const p = typeof precision === 'number' ? Math.max(precision, 0) : 0;
    ctx.allocate(w + p);
    chargeNative(ctx, w + p * p);
    return impl(x, width, precision, ...rest);
  };
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
  len: {
    sig: '(s: string) -> int',
    make:
      ({ ctx }) =>
      (s: string) => (chargeNative(ctx, s.length), codePointLength(s)),
  },
  substr: {
    sig: '(s: string, start: int, end: int) -> string',
    make:
      ({ ctx }) =>
      (s: string, start: number, end: number) =>
        slice(ctx, s, start, end)[1],
  },
  substrto: {
    sig: '(s: string, start: int, end: int, replacement: string) -> string',
    make:
      ({ ctx }) =>
      (s: string, start: number, end: number, replacement: string) => {
        ctx.allocate(s.length + replacement.length);
        const [before, , after] = slice(ctx, s, start, end);
        return before + replacement + after;
      },
  },

  contains: {
    sig: '(haystack: string, needle: string) -> boolean',
    make:
      ({ ctx }) =>
      (h: string, n: string) => (chargeNative(ctx, h.length), h.includes(n)),
  },
  count: {
    sig: '(haystack: string, needle: string) -> int',
    // Non-overlapping occurrences; the specification makes an empty needle count zero.
    make:
      ({ ctx }) =>
      (h: string, n: string) => (work(ctx, h.length, h.length), n === '' ? 0 : h.split(n).length - 1),
  },
  index: {
    sig: '(haystack: string, needle: string) -> int',
    make:
      ({ ctx }) =>
      (h: string, n: string) => (chargeNative(ctx, 2 * h.length), codePointIndex(h, h.indexOf(n))),
  },
  rindex: {
    sig: '(haystack: string, needle: string) -> int',
    make:
      ({ ctx }) =>
      (h: string, n: string) => (chargeNative(ctx, 2 * h.length), codePointIndex(h, h.lastIndexOf(n))),
  },
  startswith: { sig: '(haystack: string, needle: string) -> boolean', fn: (h: string, n: string) => h.startsWith(n) },
  endswith: { sig: '(haystack: string, needle: string) -> boolean', fn: (h: string, n: string) => h.endsWith(n) },

  join: {
    sig: '(array: array<string>, sep: string) -> string',
    make:
      ({ ctx }) =>
      (a: string[], sep: string) => {
        let total = sep.length * Math.max(a.length - 1, 0);
        for (const x of a) total += x.length;
        work(ctx, a.length * 4, total);
        return a.join(sep);
      },
  },
  split: {
    sig: '(s: string, sep: string) -> array<string>',
    make:
      ({ ctx }) =>
      (s: string, sep: string) => (work(ctx, s.length, s.length), sep === '' ? [] : s.split(sep)),
  },
  hex: {
    sig: ['(x: long) -> string', '(x: long, width: int, zeroPad: boolean) -> string'],
    errors: [39110, 39111],
    make: (site) =>
      site.sigIndex === 0
        ? hexDigits
        : formatting(site.ctx, (x: bigint, width: number, pad: boolean) => formatInteger(hexDigits(x), width, pad, 39110, 's.hex')),
  },
  int: {
    sig: ['(x: long) -> string', '(x: long, width: int, zeroPad: boolean) -> string'],
    errors: [39240],
    make: (site) =>
      site.sigIndex === 0
        ? (x: bigint) => x.toString()
        : formatting(site.ctx, (x: bigint, width: number, pad: boolean) => formatInteger(x.toString(), width, pad, 39240, 's.int')),
  },
  number: {
    sig: [
      '(x: long) -> string',
      '(x: long, width: int, zeroPad: boolean) -> string',
      '(x: double, width: union<int, null>, precision: union<int, null>) -> string',
      '(x: double, width: union<int, null>, precision: union<int, null>, minNoExp: double, maxNoExp: double) -> string',
    ],
    errors: [39120, 39121],
    make: (site) => (site.sigIndex === 0 ? numberImpl(0) : formatting(site.ctx, numberImpl(site.sigIndex))),
  },

  // A concatenation is a rope in the VM, but it counts whole: a loop that doubles a string must
  // meet the allocation budget, not the VM's maximum string length.
  concat: {
    sig: '(x: string, y: string) -> string',
    make:
      ({ ctx }) =>
      (x: string, y: string) => (ctx.allocate(x.length + y.length), x + y),
  },
  // Reserved from n * len before the first character is made: s.repeat(x, 10^9) fails at once.
  repeat: {
    sig: '(s: string, n: int) -> string',
    make:
      ({ ctx }) =>
      (s: string, n: number) => {
        const times = Math.max(n, 0);
        work(ctx, s.length * times, s.length * times);
        return s.repeat(times);
      },
  },
  lower: {
    sig: '(s: string) -> string',
    make:
      ({ ctx }) =>
      (s: string) => (work(ctx, s.length, s.length), s.toLowerCase()),
  },
  upper: {
    sig: '(s: string) -> string',
    make:
      ({ ctx }) =>
      (s: string) => (work(ctx, s.length, s.length), s.toUpperCase()),
  },
  lstrip: {
    sig: '(s: string, chars: string) -> string',
    make:
      ({ ctx }) =>
      (s: string, chars: string) => (work(ctx, s.length * 8, 2 * s.length), lstrip(s, charSet(chars))),
  },
  rstrip: {
    sig: '(s: string, chars: string) -> string',
    make:
      ({ ctx }) =>
      (s: string, chars: string) => (work(ctx, s.length * 8, 2 * s.length), rstrip(s, charSet(chars))),
  },
  strip: {
    sig: '(s: string, chars: string) -> string',
    make:
      ({ ctx }) =>
      (s: string, chars: string) => {
        work(ctx, s.length * 16, 4 * s.length);
        const set = charSet(chars);
        return rstrip(lstrip(s, set), set);
      },
  },
  replaceall: {
    sig: '(s: string, original: string, replacement: string) -> string',
    // split/join rather than String#replaceAll, which would interpret `$` in the replacement.
    make:
      ({ ctx }) =>
      (s: string, original: string, replacement: string) => {
        // At most one replacement per character (or between characters for an empty original).
        const most = original === '' ? s.length + 1 : Math.floor(s.length / original.length);
        work(ctx, 2 * s.length, 2 * s.length + most * replacement.length);
        return original === '' ? insertEverywhere(s, replacement) : s.split(original).join(replacement);
      },
  },
  replacefirst: {
    sig: '(s: string, original: string, replacement: string) -> string',
    make:
      ({ ctx }) =>
      (s: string, original: string, replacement: string) => {
        work(ctx, s.length, s.length + replacement.length);
        const i = s.indexOf(original);
        return i < 0 ? s : s.slice(0, i) + replacement + s.slice(i + original.length);
      },
  },
  replacelast: {
    sig: '(s: string, original: string, replacement: string) -> string',
    make:
      ({ ctx }) =>
      (s: string, original: string, replacement: string) => {
        work(ctx, s.length, s.length + replacement.length);
        const i = s.lastIndexOf(original);
        return i < 0 ? s : s.slice(0, i) + replacement + s.slice(i + original.length);
      },
  },
  translate: {
    sig: '(s: string, oldchars: string, newchars: string) -> string',
    make:
      ({ ctx }) =>
      (s: string, oldchars: string, newchars: string) => {
        work(ctx, 16 * s.length + oldchars.length + newchars.length, 2 * s.length + 2 * oldchars.length);
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
