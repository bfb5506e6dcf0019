/** Powers with the reference engines' special cases, shared by `**` and `m.kernel.poly`. */

/**
 * Floating-point power as in Java's `Math.pow` (which JavaScript's follows) except that zero to a
 * negative power is +Infinity whatever the sign of the zero, as both reference engines return.
 */
export function floatPower(x: number, y: number): number {
  return x === 0 && y < 0 ? Infinity : x ** y;
}

/**
 * Exact integer power `x ** y` truncated toward zero (a negative exponent gives 0 unless |x| is 1),
 * or `undefined` when the result is outside [min, max] or infinite (0 to a negative power).
 */
export function integerPower(x: bigint, y: bigint, min: bigint, max: bigint): bigint | undefined {
  const odd = (y & 1n) === 1n;
  if (x === 0n) return y < 0n ? undefined : y === 0n ? 1n : 0n;
  if (x === 1n) return 1n;
  if (x === -1n) return odd ? -1n : 1n;
  if (y < 0n) return 0n;
  // |x| >= 2, so the result leaves any 64-bit range within 64 multiplications.
  let r = 1n;
  for (let i = 0n; i < y; i++) {
    r *= x;
    if (r > max || r < min) return undefined;
  }
  return r;
}
