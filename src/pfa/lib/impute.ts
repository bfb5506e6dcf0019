/**
 * PFA namespace `impute`: replacing or rejecting missing values (null, the null branch of an
 * untagged union) and non-numbers (NaN, infinities).
 */
import { runtimeError } from '../../errors.js';
import { defineLibrary } from './define.js';

export default defineLibrary('impute', {
  errorOnNull: {
    sig: '(x: union<any A, null>) -> A',
    errors: [21000],
    fn: (x: unknown) => {
      if (x === null) throw runtimeError(21000, 'encountered null', 'impute.errorOnNull');
      return x;
    },
  },
  defaultOnNull: {
    sig: '(x: union<any A, null>, default: A) -> A',
    fn: (x: unknown, fallback: unknown) => (x === null ? fallback : x),
  },
  isnan: { sig: ['(x: float) -> boolean', '(x: double) -> boolean'], fn: (x: number) => Number.isNaN(x) },
  isinf: {
    sig: ['(x: float) -> boolean', '(x: double) -> boolean'],
    fn: (x: number) => x === Infinity || x === -Infinity,
  },
  isnum: { sig: ['(x: float) -> boolean', '(x: double) -> boolean'], fn: (x: number) => Number.isFinite(x) },
  errorOnNonNum: {
    sig: ['(x: float) -> float', '(x: double) -> double'],
    errors: [21050, 21051, 21052],
    fn: (x: number) => {
      if (Number.isNaN(x)) throw runtimeError(21050, 'encountered nan', 'impute.errorOnNonNum');
      if (x === Infinity) throw runtimeError(21051, 'encountered +inf', 'impute.errorOnNonNum');
      if (x === -Infinity) throw runtimeError(21052, 'encountered -inf', 'impute.errorOnNonNum');
      return x;
    },
  },
  defaultOnNonNum: {
    sig: ['(x: float, default: float) -> float', '(x: double, default: double) -> double'],
    fn: (x: number, fallback: number) => (Number.isFinite(x) ? x : fallback),
  },
});
