/**
 * Number formatting as Python's `format()` does it (`{:5.3f}`, `{:.6e}`, `{:05d}`), which is what
 * the reference engine uses for `s.int`, `s.hex` and `s.number`.
 *
 * Fixed and exponent notation are computed from the exact binary value of the double with BigInt
 * and rounded half-to-even, as Python does: `toFixed` rounds ties away from zero and switches to
 * exponent notation above 1e21, `toExponential` caps the precision at 100.
 */

/** `v` (finite, >= 0) as the exact fraction num / den. */
function exactFraction(v: number): { num: bigint; den: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  // Subnormals have no implicit leading bit and the exponent of the smallest normal.
  if (biased !== 0) mantissa |= 1n << 52n;
  const exp = (biased === 0 ? 1 : biased) - 1075;
  return exp >= 0 ? { num: mantissa << BigInt(exp), den: 1n } : { num: mantissa, den: 1n << BigInt(-exp) };
}

/** num / den rounded to the nearest integer, ties to even. */
function divRoundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** `v * 10^k` rounded half-to-even, for finite `v >= 0`. */
function scaledInteger(v: number, k: number): bigint {
  const { num, den } = exactFraction(v);
  return k >= 0 ? divRoundHalfEven(num * 10n ** BigInt(k), den) : divRoundHalfEven(num, den * 10n ** BigInt(-k));
}

function nonFinite(v: number): string | undefined {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return undefined;
}

/** Python's `'{:.Nf}'.format(v)`. */
export function formatFixed(v: number, precision: number): string {
  const special = nonFinite(v);
  if (special !== undefined) return special;
  const digits = scaledInteger(Math.abs(v), precision)
    .toString()
    .padStart(precision + 1, '0');
  const cut = digits.length - precision;
  const body = precision > 0 ? `${digits.slice(0, cut)}.${digits.slice(cut)}` : digits;
  return v < 0 || Object.is(v, -0) ? `-${body}` : body;
}

/** Python's `'{:.Ne}'.format(v)`: one digit before the point, an exponent of at least two digits. */
export function formatExponent(v: number, precision: number): string {
  const special = nonFinite(v);
  if (special !== undefined) return special;
  const a = Math.abs(v);
  let exponent = a === 0 ? 0 : Math.floor(Math.log10(a));
  let n = scaledInteger(a, precision - exponent);
  // log10 can be off by one near powers of ten, and rounding can carry into a new digit.
  const low = 10n ** BigInt(precision);
  if (a !== 0 && n < low) n = scaledInteger(a, precision - --exponent);
  if (n >= low * 10n) n = scaledInteger(a, precision - ++exponent);
  const digits = n.toString();
  const mantissa = precision > 0 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expText = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `${v < 0 || Object.is(v, -0) ? '-' : ''}${mantissa}e${expText}`;
}

/**
 * Pads to `width` as Python's format does for numbers: right-aligned, left-aligned for a negative
 * width; never truncates.
 */
export function padToWidth(text: string, width: number): string {
  return width < 0 ? text.padEnd(-width) : text.padStart(width);
}

/** Python's `'{:0Nd}'`-style zero padding: zeros go between the sign and the digits. */
export function zeroPad(text: string, width: number): string {
  return text.startsWith('-') ? `-${text.slice(1).padStart(width - 1, '0')}` : text.padStart(width, '0');
}
