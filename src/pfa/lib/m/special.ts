/**
 * PFA namespace `m.special`: special functions. The log-gamma and complementary error functions
 * come from stdlib (ports of FreeBSD's msun and Boost), the error function from mathjs (Cody's
 * rational approximations), each loaded when a document calling it is compiled (`_mathjs.ts`,
 * `lazy-modules.ts`).
 */
import { defineLibrary } from '../define.js';
import { stdlib } from '../../../lazy-modules.js';
import { mathjs } from '../_mathjs.js';
import { runtimeError } from '../../../errors.js';
import { INT_MAX } from '../../../avro/values.js';

const INT_MAX_BIG = BigInt(INT_MAX);

/**
 * The binomial coefficient, exactly, or undefined when it exceeds the int range. Each partial
 * product C(n - m + i, i) is an integer no larger than the next, so the loop stops as soon as
 * the result is too big.
 */
function binomial(n: number, k: number): number | undefined {
  const m = Math.min(k, n - k);
  let r = 1n;
  for (let i = 1; i <= m; i++) {
    r = (r * BigInt(n - m + i)) / BigInt(i);
    if (r > INT_MAX_BIG) return undefined;
  }
  return Number(r);
}

export default defineLibrary('m.special', {
  nChooseK: {
    sig: '(n: int, k: int) -> int',
    errors: [36000],
    fn: (n: number, k: number) => {
      if (k <= 0 || k >= n) throw runtimeError(36000, 'domain error', 'm.special.nChooseK');
      const r = binomial(n, k);
      // No code of its own in the specification: a result beyond int is outside the function's domain too.
      if (r === undefined) throw runtimeError(36000, 'domain error: result does not fit in an int', 'm.special.nChooseK');
      return r;
    },
  },

  // NaN arguments pass the domain check and give NaN, as in the reference engine.
  lnBeta: {
    sig: '(a: double, b: double) -> double',
    errors: [36010],
    make: () => {
      const gammaln = stdlib('math-base-special-gammaln');
      return (a: number, b: number) => {
        if (a <= 0 || b <= 0) throw runtimeError(36010, 'domain error', 'm.special.lnBeta');
        return gammaln(a) + gammaln(b) - gammaln(a + b);
      };
    },
  },

  erf: {
    sig: '(x: double) -> double',
    make: () => {
      const { erf } = mathjs();
      return (x: number) => erf(x);
    },
  },
  erfc: {
    sig: '(x: double) -> double',
    make: () => {
      const erfc = stdlib('math-base-special-erfc');
      return (x: number) => erfc(x);
    },
  },

  // The specification lists no error, but both reference engines raise 36050 for x <= 0; Titus
  // returns NaN for +Infinity.
  lnGamma: {
    sig: '(x: double) -> double',
    errors: [36050],
    make: () => {
      const gammaln = stdlib('math-base-special-gammaln');
      return (x: number) => {
        if (x === Infinity) return NaN;
        if (x <= 0) throw runtimeError(36050, 'domain error', 'm.special.lnGamma');
        return gammaln(x);
      };
    },
  },
});
