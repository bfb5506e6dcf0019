/**
 * PFA namespace `cast`: numeric conversions, two's-complement truncation, one-hot "fanouts" and
 * serialization (Avro binary, JSON).
 */
import { stringifyJson, toJson } from '../../avro/json.js';
import type { AvroType, EnumType } from '../../avro/types.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN } from '../../avro/values.js';
import { runtimeError } from '../../errors.js';
import { avroEncoder } from '../../avro/binary.js';
import { defineLibrary, type FnDef, type Impl } from './define.js';

const NUMERIC_SIGS = (ret: string): string[] => ['int', 'long', 'float', 'double'].map((t) => `(x: ${t}) -> ${ret}`);

/** A float or double rounded to the nearest integer with ties up, as the reference engine rounds. */
const halfUp = (x: number): number => Math.floor(x + 0.5);

/** halfUp as a long, or undefined when `x` is not finite. */
function roundHalfUp(x: number): bigint | undefined {
  return Number.isFinite(x) ? BigInt(halfUp(x)) : undefined;
}

/**
 * A long rounded to the nearest float, correctly: `Math.fround(Number(x))` rounds twice, which can
 * land on the wrong side of a tie. Keeping 26 significant bits plus a sticky bit for the discarded
 * ones makes the single rounding by `fround` exact.
 */
function longToFloat(x: bigint): number {
  const magnitude = x < 0n ? -x : x;
  const shift = magnitude.toString(2).length - 26;
  if (shift <= 0) return Math.fround(Number(x));
  let kept = magnitude >> BigInt(shift);
  if (kept << BigInt(shift) !== magnitude) kept |= 1n;
  return Math.sign(Number(x)) * Math.fround(Number(kept) * 2 ** shift);
}

const longToInt = (x: bigint): number => {
  if (x < INT_MIN || x > INT_MAX) throw runtimeError(17020, 'int overflow', 'cast.int');
  return Number(x);
};
// Rounded in doubles, where an int is exact: no BigInt is made a call.
const doubleToInt = (x: number): number => {
  const r = halfUp(x);
  if (!(r >= INT_MIN && r <= INT_MAX)) throw runtimeError(17020, 'int overflow', 'cast.int');
  return r;
};
const doubleToLong = (x: number): bigint => {
  const r = roundHalfUp(x);
  if (r === undefined || r < LONG_MIN || r > LONG_MAX) throw runtimeError(17030, 'long overflow', 'cast.long');
  return r;
};

/** One implementation per signature of cast.int / cast.long / cast.float / cast.double, in order. */
const TO_INT: Impl[] = [(x: number) => x, longToInt, doubleToInt, doubleToInt];
const TO_LONG: Impl[] = [(x: number) => BigInt(x), (x: bigint) => x, doubleToLong, doubleToLong];
const TO_FLOAT: Impl[] = [Math.fround, longToFloat, (x: number) => x, Math.fround];
const TO_DOUBLE: Impl[] = [(x: number) => x, (x: bigint) => Number(x), (x: number) => x, (x: number) => x];

function numericCast(ret: string, impls: Impl[], errors: number[]): FnDef {
  return { sig: NUMERIC_SIGS(ret), errors, make: (site) => impls[site.sigIndex]! };
}

/**
 * The fanout functions: a one-hot array over the symbols of an enum, a dictionary of strings or a
 * range of integers [minimum, maximum), optionally with a last item for "none of these".
 * `hot`/`cold` are the item type's true and false.
 */
function fanout<V>(ns: string, itemType: string, hot: V, cold: V, code: number): FnDef {
  const name = `cast.${ns}`;
  const oneHot = (n: number, i: number): V[] => Array.from({ length: n }, (_, j) => (j === i ? hot : cold));
  const withOutOfRange = (items: V[], outOfRange: boolean, missed: boolean): V[] => (outOfRange ? [...items, missed ? hot : cold] : items);
  return {
    sig: [
      `(x: enum A) -> array<${itemType}>`,
      `(x: string, dictionary: array<string>, outOfRange: boolean) -> array<${itemType}>`,
      `(x: int, minimum: int, maximum: int, outOfRange: boolean) -> array<${itemType}>`,
    ],
    errors: [code],
    make: (site): Impl => {
      if (site.sigIndex === 0) {
        const symbols = (site.paramTypes[0] as EnumType).symbols;
        const index = new Map(symbols.map((s, i) => [s, i]));
        return (x: string) => oneHot(symbols.length, index.get(x)!);
      }
      if (site.sigIndex === 1) {
        return (x: string, dictionary: string[], outOfRange: boolean) => {
          site.ctx.charge(dictionary.length);
          site.ctx.allocate(2 * dictionary.length + 1);
          if (new Set(dictionary).size !== dictionary.length) {
            throw runtimeError(code, 'non-distinct values in dictionary', name);
          }
          const i = dictionary.indexOf(x);
          return withOutOfRange(oneHot(dictionary.length, i), outOfRange, i < 0);
        };
      }
      // The range is the document's to choose: [0, 2^31) would be 2^31 items, reserved first.
      return (x: number, minimum: number, maximum: number, outOfRange: boolean) => {
        site.ctx.allocate(Math.max(maximum - minimum, 0) + 1);
        const inRange = x >= minimum && x < maximum;
        return withOutOfRange(oneHot(Math.max(maximum - minimum, 0), inRange ? x - minimum : -1), outOfRange, !inRange);
      };
    },
  };
}

function bitsCheck(bits: number, low: number, high: number, code: number, fcnName: string): void {
  if (bits < low || bits > high) throw runtimeError(code, 'unrepresentable unsigned number', fcnName);
}

export default defineLibrary('cast', {
  signed: {
    sig: '(x: long, bits: int) -> long',
    errors: [17000],
    fn: (x: bigint, bits: number) => {
      bitsCheck(bits, 2, 64, 17000, 'cast.signed');
      return BigInt.asIntN(bits, x);
    },
  },
  unsigned: {
    sig: '(x: long, bits: int) -> long',
    errors: [17010],
    fn: (x: bigint, bits: number) => {
      bitsCheck(bits, 1, 63, 17010, 'cast.unsigned');
      return BigInt.asUintN(bits, x);
    },
  },

  int: numericCast('int', TO_INT, [17020]),
  long: numericCast('long', TO_LONG, [17030]),
  // From a double (the fourth signature): read by the float32 sum of an ensemble's scores (kernel/recognise-tree.ts).
  float: { ...numericCast('float', TO_FLOAT, []), kernel: { kind: 'toFloat', sigs: [3] } },
  double: numericCast('double', TO_DOUBLE, []),

  fanoutBoolean: fanout('fanoutBoolean', 'boolean', true, false, 17060),
  fanoutInt: fanout('fanoutInt', 'int', 1, 0, 17070),
  fanoutLong: fanout('fanoutLong', 'long', 1n, 0n, 17080),
  fanoutFloat: fanout('fanoutFloat', 'float', 1, 0, 17090),
  fanoutDouble: fanout('fanoutDouble', 'double', 1, 0, 17100),

  avro: {
    sig: '(x: any A) -> bytes',
    make: (site) => avroEncoder(site.paramTypes[0] as AvroType),
  },
  json: {
    sig: '(x: any A) -> string',
    make: (site) => {
      const t = site.paramTypes[0] as AvroType;
      return (x: unknown) => stringifyJson(toJson(t, x));
    },
  },
});
