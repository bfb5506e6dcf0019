/**
 * Division as the reference engine does it in its statistics functions: a zero denominator of
 * either sign gives infinity with the numerator's sign (NaN for a zero or NaN numerator). Plain
 * `/` differs only for a denominator of -0, where it flips the infinity's sign.
 */
export function divide(numer: number, denom: number): number {
  if (denom !== 0) return numer / denom;
  return numer > 0 ? Infinity : numer < 0 ? -Infinity : NaN;
}
