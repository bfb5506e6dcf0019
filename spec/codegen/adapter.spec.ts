import { describe, expect, it } from 'vitest';
import { compileKernel, field, isIdentifier, num, str } from '../../src/codegen.js';

const evaluate = (source: string): unknown => compileKernel<() => unknown>({ params: [], body: `return ${source};` })();

describe('the deprecated string adapter (src/codegen.ts)', () => {
  it('quotes numbers as src/codegen does, immune to a bound NaN or Infinity', () => {
    const k = compileKernel<() => unknown[]>({ params: [], body: `return [${num(NaN)}, ${num(Infinity)}, ${num(-Infinity)}, 1 - ${num(-0)}];`, bound: { NaN: 1, Infinity: 2 } });
    const [nan, inf, minf, one] = k();
    expect(nan).toBeNaN();
    expect([inf, minf, one]).toEqual([Infinity, -Infinity, 1]);
  });

  it('quotes strings, line separators included', () => {
    for (const s of ['x\u2028y', '"};process.exit(1);//', '\\']) {
      expect(evaluate(str(s))).toBe(s);
      expect(str(s)).not.toMatch(/[\u2028\u2029]/);
    }
  });

  it('emits only identifiers after a dot, never __proto__ or a name with $ it did not allow before', () => {
    expect(isIdentifier('a$b')).toBe(false);
    expect(() => field('constructor)')).toThrow(/not an identifier/);
    expect(() => compileKernel({ params: [], body: '', bound: { __proto__x: 1, 'a;b': 2 } })).toThrow(/bad kernel name/);
  });
});
