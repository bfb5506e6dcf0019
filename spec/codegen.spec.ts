import { describe, expect, it } from 'vitest';
import { compileKernel, field, num, str } from '../src/codegen.js';

const roundTrip = (source: string): unknown => compileKernel<() => unknown>({ params: [], body: `return ${source};` })();

describe('codegen', () => {
  it('emits numbers that read back exactly, including NaN, infinities and -0', () => {
    for (const x of [0.1, -2.5, 1e-300, -1.7976931348623157e308, 5e-324, 123456789012345680000, Infinity, -Infinity]) expect(roundTrip(num(x))).toBe(x);
    expect(roundTrip(num(NaN))).toBeNaN();
    expect(Object.is(roundTrip(num(-0)), -0)).toBe(true);
    expect(roundTrip(`1 - ${num(-3)}`)).toBe(4);
  });

  it('quotes strings so that no content escapes the literal', () => {
    for (const s of ['a"b', "it's", '\\', '\n\u2028\u2029', '`${process.exit()}`', '"); throw 1; ("']) expect(roundTrip(str(s))).toBe(s);
  });

  it('refuses field names that are not identifiers, and non-values', () => {
    expect(field('petal_width')).toBe('.petal_width');
    for (const bad of ['a-b', 'x;y', '1a', '', 'a b', '__proto__', '__proto__.x']) expect(() => field(bad)).toThrow(/not an identifier/);
    expect(() => num('1' as unknown as number)).toThrow(TypeError);
    expect(() => str(1 as unknown as string)).toThrow(TypeError);
  });

  it('binds values by name and refuses names that are not identifiers', () => {
    const k = compileKernel<(x: number) => number>({ params: ['x'], body: 'return x * K[0];', bound: { K: [3] } });
    expect(k(2)).toBe(6);
    expect(() => compileKernel({ params: ['x)'], body: '' })).toThrow(/bad kernel name/);
  });
});
