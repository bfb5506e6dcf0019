/**
 * The core operators (the namespace without a prefix): arithmetic with the specification's overflow
 * errors, comparison of any two values of one type, Boolean and Kleene three-valued logic, and
 * bitwise operations.
 *
 * Every operator chooses its closure in `make` from the resolved parameter type, so that a call
 * does only the operation itself and, for `int` and `long`, one range check.
 */
import { defineLibrary, type FnDef } from './define.js';
import { runtimeError } from '../../errors.js';
import type { AvroType } from '../../avro/types.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN } from '../../avro/values.js';
import { comparator } from '../../avro/compare.js';
import { checkInt, checkLong } from './m/_overflow.js';
import { floatPower, integerPower } from './m/_power.js';
import { byNumericType } from './m/_by-type.js';

type Thunk<T> = () => T;
/**
 * An operand of JavaScript's own operators where one closure serves several value types (an int's
 * number or a long's bigint, a string, ...), which TypeScript cannot express.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; every operator checks its operands' kinds at run time
type Operand = any;

const NUMBERS = 'any A of int|long|float|double';
const BINARY = `(x: ${NUMBERS}, y: A) -> A`;
const MODULAR = `(k: ${NUMBERS}, n: A) -> A`;
const INT_MIN_BIG = BigInt(INT_MIN);
const INT_MAX_BIG = BigInt(INT_MAX);

/**
 * `+`, `-` and `*`: exact on `int` (doubles hold any product of two ints closely enough for the
 * range check) and `long` (bigints), with overflow errors `code` and `code + 1`; IEEE on floats.
 */
function overflowing(
  name: string,
  code: number,
  onNumbers: (x: number, y: number) => number,
  onBigints: (x: bigint, y: bigint) => bigint,
): FnDef {
  return byNumericType(BINARY, [code, code + 1], {
    int: (x: number, y: number) => checkInt(onNumbers(x, y), code, name),
    long: (x: bigint, y: bigint) => checkLong(onBigints(x, y), code + 1, name),
    float: (x: number, y: number) => Math.fround(onNumbers(x, y)),
    double: onNumbers,
  });
}

function divisionByZero(code: number, name: string): Error {
  return runtimeError(code, 'integer division by zero', name);
}

/** Modulo with the sign of the modulus, as Python's `%` (the reference engine's own operator). */
function floorMod(k: number, n: number): number {
  const r = k % n;
  if (r === 0) return n < 0 ? -0 : 0;
  return r < 0 !== n < 0 ? r + n : r;
}

function floorModLong(k: bigint, n: bigint): bigint {
  const r = k % n;
  return r !== 0n && r < 0n !== n < 0n ? r + n : r;
}

/** Types whose values JavaScript's `<`, `>`, ... order correctly (no NaN, no surrogate pairs). */
const NATIVE_ORDER_KINDS: ReadonlySet<string> = new Set(['int', 'long']);
const NATIVE_ORDER = (t: AvroType): boolean => NATIVE_ORDER_KINDS.has(t.kind);
/**
 * Types whose values `===` tells apart exactly, and unions of them: a value's branch follows from
 * the value, so two values that are `===` are of one branch, and two of one branch that are not
 * are unequal there (a nullable string compared with the comparator's resolveBranch and character
 * loop was a fifth of scoring a text model's term frequencies, sklearn-RandomForestSentiment).
 */
const NATIVE_EQUALITY_KINDS: ReadonlySet<string> = new Set(['null', 'boolean', 'int', 'long', 'string', 'enum']);
const NATIVE_EQUALITY = (t: AvroType): boolean =>
  NATIVE_EQUALITY_KINDS.has(t.kind) || (t.kind === 'union' && t.types.every((b) => NATIVE_EQUALITY_KINDS.has(b.kind)));

/**
 * A comparison operator. Like the reference engine, every comparison, equality included, goes
 * through the type's ordering: NaN equals NaN and sorts above every number, and record fields
 * with order "ignore" take no part. Types where JavaScript's operators agree use them directly;
 * floats and doubles use them with NaN's place in the order written out (`floating`), which V8
 * inlines where the comparator was two calls a comparison (a PMML field's valid range is two
 * comparisons a record, an XGBoost input's missing-value test one).
 */
function relation(
  test: (c: number) => boolean,
  native: (x: Operand, y: Operand) => boolean,
  isNative: (t: AvroType) => boolean,
  floating: (x: number, y: number) => boolean,
): FnDef {
  return {
    sig: '(x: any A, y: A) -> boolean',
    make: (site) => {
      const t = site.paramTypes[0] as AvroType;
      if (isNative(t)) return native;
      if (t.kind === 'double' || t.kind === 'float') return floating;
      const cmp = comparator(t);
      return (x: unknown, y: unknown) => test(cmp(x, y));
    },
  };
}

const less = relation(
  (c) => c < 0,
  (x, y) => x < y,
  NATIVE_ORDER,
  // Below y, or a number below NaN.
  (x, y) => x < y || (Number.isNaN(y) && !Number.isNaN(x)),
);
const greaterOrEqual = relation(
  (c) => c >= 0,
  (x, y) => x >= y,
  NATIVE_ORDER,
  // At or above y, or NaN, which is at or above everything.
  (x, y) => x >= y || Number.isNaN(x),
);

/** The bitwise operators: JavaScript's are exact on int32 numbers and on bigints alike. */
const INT_OR_LONG_BINARY = ['(x: int, y: int) -> int', '(x: long, y: long) -> long'];

export default defineLibrary('', {
  '+': {
    ...overflowing(
      '+',
      18000,
      (x, y) => x + y,
      (x, y) => x + y,
    ),
    // A float32 sum of an ensemble's scores reads it (kernel/recognise-tree.ts), on doubles.
    kernel: { kind: 'add', sigs: [0] },
  },
  '-': overflowing(
    '-',
    18010,
    (x, y) => x - y,
    (x, y) => x - y,
  ),
  '*': overflowing(
    '*',
    18020,
    (x, y) => x * y,
    (x, y) => x * y,
  ),

  '/': { sig: '(x: double, y: double) -> double', fn: (x: number, y: number) => x / y },

  // The specification says "floor division", but both reference engines truncate toward zero
  // (Java's `/`, Titus's `int(x / y)`), and the conformance results follow them. The one
  // overflowing quotient, MIN // -1, wraps as in Java.
  '//': byNumericType('(x: any A of int|long, y: A) -> A', [18040], {
    int: (x: number, y: number) => {
      if (y === 0) throw divisionByZero(18040, '//');
      return (x / y) | 0;
    },
    long: (x: bigint, y: bigint) => {
      if (y === 0n) throw divisionByZero(18040, '//');
      const q = x / y;
      return q > LONG_MAX ? LONG_MIN : q;
    },
  }),

  'u-': byNumericType(`(x: ${NUMBERS}) -> A`, [18050, 18051], {
    int: (x: number) => checkInt(-x, 18050, 'u-'),
    long: (x: bigint) => checkLong(-x, 18051, 'u-'),
    float: (x: number) => -x,
    double: (x: number) => -x,
  }),

  // Floating-point modulo by zero is NaN (the reference engine's choice; Python would raise).
  '%': byNumericType(MODULAR, [18060], {
    int: (k: number, n: number) => {
      if (n === 0) throw divisionByZero(18060, '%');
      return floorMod(k, n) | 0;
    },
    long: (k: bigint, n: bigint) => {
      if (n === 0n) throw divisionByZero(18060, '%');
      return floorModLong(k, n);
    },
    float: (k: number, n: number) => Math.fround(floorMod(k, n)),
    double: floorMod,
  }),

  // JavaScript's `%` is C's fmod: the sign of the dividend, NaN for a zero divisor, k for n infinite.
  '%%': byNumericType(MODULAR, [18070], {
    int: (k: number, n: number) => {
      if (n === 0) throw divisionByZero(18070, '%%');
      return (k % n) | 0;
    },
    long: (k: bigint, n: bigint) => {
      if (n === 0n) throw divisionByZero(18070, '%%');
      return k % n;
    },
    float: (k: number, n: number) => Math.fround(k % n),
    double: (k: number, n: number) => k % n,
  }),

  // Integer powers are exact (the reference engines go through doubles and lose digits near the
  // long limits); a negative exponent truncates toward zero and 0 to a negative power overflows.
  '**': byNumericType(BINARY, [18080, 18081], {
    int: (x: number, y: number) => {
      const r = integerPower(BigInt(x), BigInt(y), INT_MIN_BIG, INT_MAX_BIG);
      if (r === undefined) throw runtimeError(18080, 'int overflow', '**');
      return Number(r);
    },
    long: (x: bigint, y: bigint) => {
      const r = integerPower(x, y, LONG_MIN, LONG_MAX);
      if (r === undefined) throw runtimeError(18081, 'long overflow', '**');
      return r;
    },
    float: (x: number, y: number) => Math.fround(floatPower(x, y)),
    double: floatPower,
  }),

  cmp: {
    sig: '(x: any A, y: A) -> int',
    make: (site) => {
      const t = site.paramTypes[0] as AvroType;
      if (NATIVE_ORDER(t)) return (x: Operand, y: Operand) => (x < y ? -1 : x > y ? 1 : 0);
      const cmp = comparator(t);
      // Enum (and so record) comparators return index differences: normalise to -1, 0, 1.
      return (x: unknown, y: unknown) => {
        const c = cmp(x, y);
        return c < 0 ? -1 : c > 0 ? 1 : 0;
      };
    },
  },
  '==': relation(
    (c) => c === 0,
    (x, y) => x === y,
    NATIVE_EQUALITY,
    (x, y) => x === y || (Number.isNaN(x) && Number.isNaN(y)),
  ),
  '!=': relation(
    (c) => c !== 0,
    (x, y) => x !== y,
    NATIVE_EQUALITY,
    (x, y) => x !== y && (!Number.isNaN(x) || !Number.isNaN(y)),
  ),
  '<': less,
  '<=': relation(
    (c) => c <= 0,
    (x, y) => x <= y,
    NATIVE_ORDER,
    (x, y) => x <= y || Number.isNaN(y),
  ),
  '>': relation(
    (c) => c > 0,
    (x, y) => x > y,
    NATIVE_ORDER,
    (x, y) => x > y || (Number.isNaN(x) && !Number.isNaN(y)),
  ),
  '>=': greaterOrEqual,

  // x when x >= y (so x on ties), else y; min returns x only when strictly smaller.
  max: {
    sig: '(x: any A, y: A) -> A',
    make: (site) => {
      const ge = greaterOrEqual.make!(site);
      return (x: unknown, y: unknown) => (ge(x, y) ? x : y);
    },
  },
  min: {
    sig: '(x: any A, y: A) -> A',
    make: (site) => {
      const lt = less.make!(site);
      return (x: unknown, y: unknown) => (lt(x, y) ? x : y);
    },
  },

  '&&': { sig: '(x: boolean, y: boolean) -> boolean', lazy: true, fn: (x: Thunk<boolean>, y: Thunk<boolean>) => x() && y() },
  '||': { sig: '(x: boolean, y: boolean) -> boolean', lazy: true, fn: (x: Thunk<boolean>, y: Thunk<boolean>) => x() || y() },
  '^^': { sig: '(x: boolean, y: boolean) -> boolean', fn: (x: boolean, y: boolean) => x !== y },
  '!': { sig: '(x: boolean) -> boolean', fn: (x: boolean) => !x },

  // Kleene logic: null is "unknown". A decisive first argument skips the second.
  '&&&': {
    sig: '(x: union<boolean, null>, y: union<boolean, null>) -> union<boolean, null>',
    lazy: true,
    fn: (x: Thunk<boolean | null>, y: Thunk<boolean | null>) => {
      const a = x();
      if (a === false) return false;
      const b = y();
      if (b === false) return false;
      return a === true && b === true ? true : null;
    },
  },
  '|||': {
    sig: '(x: union<boolean, null>, y: union<boolean, null>) -> union<boolean, null>',
    lazy: true,
    fn: (x: Thunk<boolean | null>, y: Thunk<boolean | null>) => {
      const a = x();
      if (a === true) return true;
      const b = y();
      if (b === true) return true;
      return a === false && b === false ? false : null;
    },
  },
  '!!!': {
    sig: '(x: union<boolean, null>) -> union<boolean, null>',
    fn: (x: boolean | null) => (x === null ? null : !x),
  },

  '&': { sig: INT_OR_LONG_BINARY, fn: (x: Operand, y: Operand) => x & y },
  '|': { sig: INT_OR_LONG_BINARY, fn: (x: Operand, y: Operand) => x | y },
  '^': { sig: INT_OR_LONG_BINARY, fn: (x: Operand, y: Operand) => x ^ y },
  '~': { sig: ['(x: int) -> int', '(x: long) -> long'], fn: (x: Operand) => ~x },
});
