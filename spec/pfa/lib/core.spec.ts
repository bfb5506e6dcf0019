import { describe, expect, it } from 'vitest';
import { T, type AvroType, type EnumType, type RecordType } from '../../../src/avro/types.js';
import { comparator } from '../../../src/avro/compare.js';
import { INT_MAX, INT_MIN, isValueOf, LONG_MAX, LONG_MIN } from '../../../src/avro/values.js';
import { errorCode, implFor } from './_direct-call.js';
import { loadPfa, PfaRuntimeError } from '../../../src/index.js';

const NUMERIC_TYPES = { int: T.int, long: T.long, float: T.float, double: T.double } as const;
type Kind = keyof typeof NUMERIC_TYPES;

/** The operator applied to two arguments of one numeric type. */
function op(name: string, kind: Kind) {
  const t = NUMERIC_TYPES[kind];
  return implFor(name, [t, t], 0, t);
}

function on(name: string, t: AvroType) {
  return implFor(name, [t, t], 0, T.boolean);
}

const Color: EnumType = { kind: 'enum', name: 'Color', fullName: 'Color', symbols: ['red', 'green', 'blue'] };
const Point: RecordType = {
  kind: 'record',
  name: 'Point',
  fullName: 'Point',
  fields: [
    { name: 'x', type: T.int, hasDefault: false },
    { name: 'label', type: T.string, hasDefault: false, order: 'ignore' },
    { name: 'y', type: T.double, hasDefault: false, order: 'descending' },
  ],
};

describe('+ - *', () => {
  it('compute on every numeric type', () => {
    expect(op('+', 'int')(2, 3)).toBe(5);
    expect(op('-', 'long')(2n, 3n)).toBe(-1n);
    expect(op('*', 'double')(1.5, 4)).toBe(6);
  });

  it('round float results to 32 bits', () => {
    expect(op('+', 'float')(Math.fround(0.1), Math.fround(0.2))).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(op('*', 'float')(3e38, 10)).toBe(Infinity);
  });

  it('raise the int overflow codes', () => {
    expect(errorCode(() => op('+', 'int')(INT_MAX, 1))).toBe(18000);
    expect(errorCode(() => op('-', 'int')(INT_MIN, 1))).toBe(18010);
    expect(errorCode(() => op('*', 'int')(65536, 32768))).toBe(18020);
    expect(op('*', 'int')(-65536, 32768)).toBe(INT_MIN);
    expect(op('+', 'int')(INT_MAX, 0)).toBe(INT_MAX);
  });

  it('raise the long overflow codes', () => {
    expect(errorCode(() => op('+', 'long')(LONG_MAX, 1n))).toBe(18001);
    expect(errorCode(() => op('-', 'long')(LONG_MIN, 1n))).toBe(18011);
    expect(errorCode(() => op('*', 'long')(2n ** 32n, 2n ** 31n))).toBe(18021);
    expect(op('*', 'long')(-(2n ** 32n), 2n ** 31n)).toBe(LONG_MIN);
  });

  it('never return a negative zero int', () => {
    expect(Object.is(op('*', 'int')(0, -5), 0)).toBe(true);
  });

  it('let doubles overflow to infinity', () => {
    expect(op('*', 'double')(1e308, 10)).toBe(Infinity);
  });
});

describe('/', () => {
  const div = implFor('/', [T.double, T.double], 0, T.double);
  it('divides in floating point, infinite or NaN on zero', () => {
    expect(div(7, 2)).toBe(3.5);
    expect(div(1, 0)).toBe(Infinity);
    expect(div(-1, 0)).toBe(-Infinity);
    expect(div(0, 0)).toBeNaN();
  });
});

describe('//', () => {
  it('truncates toward zero, as both reference engines', () => {
    expect(op('//', 'int')(7, 2)).toBe(3);
    expect(op('//', 'int')(-7, 2)).toBe(-3);
    expect(op('//', 'long')(-7n, 2n)).toBe(-3n);
    expect(op('//', 'long')(-100n, 17n)).toBe(-5n);
  });

  it('raises 18040 on division by zero', () => {
    expect(errorCode(() => op('//', 'int')(1, 0))).toBe(18040);
    expect(errorCode(() => op('//', 'long')(0n, 0n))).toBe(18040);
  });

  it('wraps the one overflowing quotient as Java does', () => {
    expect(op('//', 'int')(INT_MIN, -1)).toBe(INT_MIN);
    expect(op('//', 'long')(LONG_MIN, -1n)).toBe(LONG_MIN);
  });

  it('is exact on longs beyond 2^53', () => {
    expect(op('//', 'long')(LONG_MAX, 3n)).toBe(LONG_MAX / 3n);
  });
});

describe('u-', () => {
  const neg = (kind: Kind) => implFor('u-', [NUMERIC_TYPES[kind]], 0, NUMERIC_TYPES[kind]);
  it('negates', () => {
    expect(neg('int')(5)).toBe(-5);
    expect(neg('long')(-5n)).toBe(5n);
    expect(Object.is(neg('double')(0), -0)).toBe(true);
    expect(Object.is(neg('int')(0), 0)).toBe(true);
  });

  it('overflows on the most negative integers', () => {
    expect(errorCode(() => neg('int')(INT_MIN))).toBe(18050);
    expect(errorCode(() => neg('long')(LONG_MIN))).toBe(18051);
    expect(neg('int')(INT_MIN + 1)).toBe(INT_MAX);
  });
});

describe('% (sign of the modulus)', () => {
  it('follows the modulus sign on integers', () => {
    expect(op('%', 'int')(-1, 5)).toBe(4);
    expect(op('%', 'int')(1, -5)).toBe(-4);
    expect(op('%', 'int')(-5, -100)).toBe(-5);
    expect(op('%', 'long')(-17n, 5n)).toBe(3n);
    expect(op('%', 'long')(17n, -5n)).toBe(-3n);
    expect(Object.is(op('%', 'int')(-4, 2), 0)).toBe(true);
  });

  it('raises 18060 for an integer zero modulus', () => {
    expect(errorCode(() => op('%', 'int')(3, 0))).toBe(18060);
    expect(errorCode(() => op('%', 'long')(3n, 0n))).toBe(18060);
  });

  it('behaves as Python on floating point', () => {
    const mod = op('%', 'double');
    expect(mod(5.5, 2)).toBe(1.5);
    expect(mod(-5.5, 2)).toBe(0.5);
    expect(mod(3, 0)).toBeNaN();
    expect(mod(5, Infinity)).toBe(5);
    expect(mod(-5, Infinity)).toBe(Infinity);
    expect(mod(Infinity, 3)).toBeNaN();
    expect(op('%', 'float')(Math.fround(-0.1), 1)).toBe(Math.fround(1 - Math.fround(0.1)));
  });
});

describe('%% (sign of the dividend)', () => {
  it('follows the dividend sign', () => {
    expect(op('%%', 'int')(-1, 5)).toBe(-1);
    expect(op('%%', 'int')(1, -5)).toBe(1);
    expect(op('%%', 'long')(-17n, 5n)).toBe(-2n);
    expect(op('%%', 'double')(-5.5, 2)).toBe(-1.5);
    expect(op('%%', 'double')(-5, Infinity)).toBe(-5);
    expect(op('%%', 'double')(5, 0)).toBeNaN();
    expect(Object.is(op('%%', 'int')(INT_MIN, -1), 0)).toBe(true);
  });

  it('raises 18070 for an integer zero divisor', () => {
    expect(errorCode(() => op('%%', 'int')(3, 0))).toBe(18070);
    expect(errorCode(() => op('%%', 'long')(3n, 0n))).toBe(18070);
  });
});

describe('**', () => {
  it('raises integers exactly', () => {
    expect(op('**', 'int')(-2, 17)).toBe(-131072);
    expect(op('**', 'int')(0, 0)).toBe(1);
    expect(op('**', 'long')(3n, 39n)).toBe(4052555153018976267n);
    expect(op('**', 'long')(-2n, 63n)).toBe(LONG_MIN);
  });

  it('truncates negative powers of integers', () => {
    expect(op('**', 'int')(2, -1)).toBe(0);
    expect(op('**', 'int')(1, -5)).toBe(1);
    expect(op('**', 'int')(-1, -5)).toBe(-1);
    expect(op('**', 'long')(-1n, -2n)).toBe(1n);
  });

  it('overflows, also for 0 to a negative power', () => {
    expect(errorCode(() => op('**', 'int')(46341, 2))).toBe(18080);
    expect(errorCode(() => op('**', 'int')(0, -1))).toBe(18080);
    expect(errorCode(() => op('**', 'long')(2n, 63n))).toBe(18081);
    expect(errorCode(() => op('**', 'long')(3037000500n, 2n))).toBe(18081);
    expect(errorCode(() => op('**', 'long')(2n, LONG_MAX))).toBe(18081);
  });

  it('follows IEEE on floating point, with zero to a negative power +Infinity', () => {
    const pow = op('**', 'double');
    expect(pow(2, 0.5)).toBe(Math.SQRT2);
    expect(pow(-0, -1)).toBe(Infinity);
    expect(pow(0, -2)).toBe(Infinity);
    expect(pow(-8, 1 / 3)).toBeNaN();
    expect(pow(NaN, 0)).toBe(1);
    expect(pow(1, Infinity)).toBeNaN();
    expect(op('**', 'float')(10, 39)).toBe(Infinity);
  });
});

describe('cmp and the comparison operators', () => {
  it('compare numbers, with NaN above everything and equal to itself', () => {
    const cmp = implFor('cmp', [T.double, T.double], 0, T.int);
    expect([cmp(1, 2), cmp(2, 1), cmp(2, 2), cmp(NaN, Infinity), cmp(-Infinity, NaN), cmp(NaN, NaN)]).toEqual([-1, 1, 0, 1, -1, 0]);
    expect(on('==', T.double)(NaN, NaN)).toBe(true);
    expect(on('!=', T.double)(NaN, 1)).toBe(true);
    expect(on('<', T.double)(1, NaN)).toBe(true);
    expect(on('>', T.double)(NaN, NaN)).toBe(false);
    expect(on('>=', T.double)(NaN, NaN)).toBe(true);
    expect(on('==', T.double)(0, -0)).toBe(true);
  });

  it('compare integers natively', () => {
    expect(on('<', T.int)(1, 2)).toBe(true);
    expect(on('<=', T.long)(2n, 2n)).toBe(true);
    expect(on('>', T.long)(LONG_MIN, LONG_MAX)).toBe(false);
    expect(implFor('cmp', [T.long, T.long], 0, T.int)(5n, -5n)).toBe(1);
  });

  it('order unions by branch, then value', () => {
    const U = T.union([T.null, T.double]);
    const cmp = implFor('cmp', [U, U], 0, T.int);
    expect([cmp(null, null), cmp(null, NaN), cmp(3, null), cmp(1, 2)]).toEqual([0, -1, 1, -1]);
    expect(on('==', U)(null, 0)).toBe(false);
  });

  it('compare floats and doubles with the operators as the comparator orders them, NaN included', () => {
    const values = [NaN, -Infinity, -1.5, -0, 0, 1e-300, 2, Infinity];
    const tests: [string, (c: number) => boolean][] = [
      ['==', (c) => c === 0],
      ['!=', (c) => c !== 0],
      ['<', (c) => c < 0],
      ['<=', (c) => c <= 0],
      ['>', (c) => c > 0],
      ['>=', (c) => c >= 0],
    ];
    for (const t of [T.double, T.float]) {
      const cmp = comparator(t);
      for (const [name, holds] of tests) {
        const f = on(name, t);
        for (const x of values) for (const y of values) expect(f(x, y), `${x} ${name} ${y}`).toBe(holds(cmp(x, y)));
      }
    }
  });

  it('test unions of natively equal kinds for equality as the union comparator does', () => {
    // `==` and `!=` on such unions use `===`: the comparator (branch by branch) is the baseline.
    const Color2: EnumType = { kind: 'enum', name: 'Color2', fullName: 'Color2', symbols: ['red', 'x'] };
    const unions = [
      T.union([T.null, T.string]),
      T.union([T.int, T.long, T.null]),
      T.union([T.boolean, T.string, Color]),
      T.union([Color, Color2, T.null]),
    ];
    const values = [null, 0, 1, -1, 0n, 1n, true, false, '', 'red', 'x', 'green', 'blue', 'é'];
    for (const U of unions) {
      const [eq, ne, cmp] = [on('==', U), on('!=', U), comparator(U)];
      const fits = values.filter((v) => isValueOf(U, v));
      expect(fits.length).toBeGreaterThan(3);
      for (const x of fits)
        for (const y of fits) {
          expect(eq(x, y), `${String(x)} == ${String(y)}`).toBe(cmp(x, y) === 0);
          expect(ne(x, y), `${String(x)} != ${String(y)}`).toBe(cmp(x, y) !== 0);
        }
    }
    // A union with a branch `===` does not order (double: NaN equals NaN) keeps the comparator.
    expect(on('==', T.union([T.null, T.double]))(NaN, NaN)).toBe(true);
  });

  it('order strings by code point', () => {
    const lt = on('<', T.string);
    expect(lt('a', 'b')).toBe(true);
    expect(lt('ab', 'a')).toBe(false);
    expect(lt('\uffff', '\u{1F600}')).toBe(true); // `<` on UTF-16 units would say false
    expect(on('==', T.string)('x', 'x')).toBe(true);
  });

  it('order enums by symbol position and return only -1, 0, 1', () => {
    const cmp = implFor('cmp', [Color, Color], 0, T.int);
    expect([cmp('red', 'blue'), cmp('blue', 'red'), cmp('green', 'green')]).toEqual([-1, 1, 0]);
    expect(on('>', Color)('blue', 'green')).toBe(true);
  });

  it('compare arrays element-wise, then by length', () => {
    const A = T.array(T.string);
    expect(on('<', A)(['a', 'b'], ['a', 'c'])).toBe(true);
    expect(on('<', A)(['a'], ['a', 'a'])).toBe(true);
    expect(on('==', A)(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(on('!=', A)(['a'], [])).toBe(true);
  });

  it('compare records by field order, skipping "ignore" fields', () => {
    const p = (x: number, label: string, y: number) => ({ x, label, y });
    expect(on('==', Point)(p(1, 'a', 2), p(1, 'b', 2))).toBe(true);
    expect(on('<', Point)(p(1, 'a', 3), p(1, 'a', 2))).toBe(true); // y descends
    expect(implFor('cmp', [Point, Point], 0, T.int)(p(0, '', 0), p(1, '', 0))).toBe(-1);
  });

  it('compare booleans and bytes', () => {
    expect(on('<', T.boolean)(false, true)).toBe(true);
    expect(on('==', T.bytes)(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(on('<', T.bytes)(new Uint8Array([1, 2]), new Uint8Array([1, 255]))).toBe(true);
  });
});

describe('max and min', () => {
  const max = (t: AvroType) => implFor('max', [t, t], 0, t);
  const min = (t: AvroType) => implFor('min', [t, t], 0, t);

  it('pick by the type ordering', () => {
    expect(max(T.int)(3, 7)).toBe(7);
    expect(min(T.long)(3n, 7n)).toBe(3n);
    expect(max(T.string)('b', 'a')).toBe('b');
    expect(min(Color)('blue', 'green')).toBe('green');
  });

  it('treat NaN as the largest double', () => {
    expect(max(T.double)(1, NaN)).toBeNaN();
    expect(min(T.double)(NaN, 1)).toBe(1);
    expect(min(T.union([T.null, T.double]))(NaN, null)).toBe(null);
  });

  it('return x on ties for max and y on ties for min', () => {
    const a = { x: 1, label: 'a', y: 2 };
    const b = { x: 1, label: 'b', y: 2 };
    expect(max(Point)(a, b)).toBe(a);
    expect(min(Point)(a, b)).toBe(b);
  });
});

describe('Boolean logic', () => {
  const never = () => {
    throw new Error('evaluated');
  };
  const bool = (name: string) => implFor(name, [T.boolean, T.boolean], 0, T.boolean);
  const value = (v: unknown) => () => v;

  it('&& and || short-circuit', () => {
    expect(bool('&&')(value(false), never)).toBe(false);
    expect(bool('&&')(value(true), value(false))).toBe(false);
    expect(bool('&&')(value(true), value(true))).toBe(true);
    expect(bool('||')(value(true), never)).toBe(true);
    expect(bool('||')(value(false), value(false))).toBe(false);
    expect(bool('||')(value(false), value(true))).toBe(true);
  });

  it('^^ and !', () => {
    const xor = bool('^^');
    expect([xor(true, true), xor(true, false), xor(false, true), xor(false, false)]).toEqual([false, true, true, false]);
    expect(implFor('!', [T.boolean], 0, T.boolean)(false)).toBe(true);
  });

  it('Kleene &&& and ||| treat null as unknown and short-circuit', () => {
    const U = T.union([T.boolean, T.null]);
    const and = implFor('&&&', [U, U], 0, U);
    const or = implFor('|||', [U, U], 0, U);
    const vals = [true, false, null];
    const table = (f: typeof and) => vals.map((x) => vals.map((y) => f(value(x), value(y))));
    expect(table(and)).toEqual([
      [true, false, null],
      [false, false, false],
      [null, false, null],
    ]);
    expect(table(or)).toEqual([
      [true, true, true],
      [true, false, null],
      [true, null, null],
    ]);
    expect(and(value(false), never)).toBe(false);
    expect(or(value(true), never)).toBe(true);
    const not = implFor('!!!', [U], 0, U);
    expect(vals.map(not)).toEqual([false, true, null]);
  });
});

describe('bitwise operators', () => {
  const int2 = (name: string) => implFor(name, [T.int, T.int], 0, T.int);
  const long2 = (name: string) => implFor(name, [T.long, T.long], 1, T.long);

  it('work on ints', () => {
    expect(int2('&')(0b1100, 0b1010)).toBe(0b1000);
    expect(int2('|')(0b1100, 0b1010)).toBe(0b1110);
    expect(int2('^')(0b1100, 0b1010)).toBe(0b0110);
    expect(implFor('~', [T.int], 0, T.int)(0)).toBe(-1);
    expect(int2('&')(-1, INT_MIN)).toBe(INT_MIN);
  });

  it('work on longs, in two’s complement', () => {
    expect(long2('&')(-1n, LONG_MIN)).toBe(LONG_MIN);
    expect(long2('|')(2n ** 40n, 1n)).toBe(2n ** 40n + 1n);
    expect(long2('^')(-1n, LONG_MAX)).toBe(LONG_MIN);
    expect(implFor('~', [T.long], 1, T.long)(LONG_MAX)).toBe(LONG_MIN);
  });
});

describe('through the engine', () => {
  const run = (output: unknown, action: unknown, input: unknown = null, inputType: unknown = 'null') =>
    loadPfa({ input: inputType, output, action: [action] }).action(input);

  it('&&, ||, &&& and ||| do not evaluate a second argument the first decides', () => {
    expect(run('boolean', { '||': [true, { error: 'evaluated' }] })).toBe(true);
    expect(run('boolean', { '&&': [false, { error: 'evaluated' }] })).toBe(false);
    expect(run(['boolean', 'null'], { '&&&': [false, { error: 'evaluated' }] })).toBe(false);
    expect(run(['boolean', 'null'], { '|||': [true, { error: 'evaluated' }] })).toBe(true);
    expect(() => run('boolean', { '&&': [true, { error: 'evaluated' }] })).toThrow(PfaRuntimeError);
  });

  it('promote mixed numeric arguments and check the promoted type', () => {
    expect(run('double', { '+': [1, 2.5] })).toBe(3.5);
    expect(run('long', { '*': [{ long: 3000000000 }, 2] })).toBe(6000000000n);
    expect(errorCode(() => run('int', { '*': [65536, 32768] }))).toBe(18020);
  });

  it('compare doubles the reference engine’s way', () => {
    const nan = { '/': [0, 0] };
    expect(run('boolean', { '==': [nan, nan] })).toBe(true);
    expect(run('int', { cmp: [nan, { 'm.pi': [] }] })).toBe(1);
  });
});
