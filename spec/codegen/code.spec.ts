import { describe, expect, it } from 'vitest';
import { Code, Scope, code, compileKernel, element, isCode, isIdentifier, join, objectLiteral, property } from '../../src/codegen/index.js';

/** Compiles `return <expression>` with the scope's bound values. */
function evaluate(scope: Scope, expression: Code): unknown {
  return compileKernel<() => unknown>({ scope, params: [], body: code`return ${expression};` })();
}

const HOSTILE_STRINGS = [
  'a"b',
  "it's",
  '\\',
  '\\"',
  '\n\r\t',
  'x\u2028y\u2029z',
  '`${process.exit(1)}`',
  '"); throw 1; ("',
  '</script>',
  '\u0000',
  '};process.exit(1);//',
];

describe('code`...`', () => {
  it('splices numbers exactly, NaN, infinities and -0 included, safe next to any operator', () => {
    const scope = new Scope();
    for (const x of [0, 0.1, -2.5, 1e-300, -1.7976931348623157e308, 5e-324, 123456789012345680000, 2 ** 53 + 2, Infinity, -Infinity]) {
      expect(evaluate(scope, code`${x}`)).toBe(x);
      // After a unary or binary minus, and as the base of **, a negative literal must not merge or misparse.
      expect(evaluate(scope, code`1 - ${x}`)).toBe(1 - x);
      expect(evaluate(scope, code`-${x}`)).toBe(-x);
    }
    expect(evaluate(scope, code`${NaN}`)).toBeNaN();
    expect(Object.is(evaluate(scope, code`${-0}`), -0)).toBe(true);
    expect(Object.is(evaluate(scope, code`-${-0}`), 0)).toBe(true);
    expect(evaluate(scope, code`${-2} ** 2`)).toBe(4);
  });

  it('quotes every string so that no content leaves its literal', () => {
    const scope = new Scope();
    for (const s of HOSTILE_STRINGS) {
      expect(evaluate(scope, code`${s}`)).toBe(s);
      expect(code`${s}`.text).not.toMatch(/[\u2028\u2029]/);
    }
  });

  it('splices booleans and null, and Code and Names as they are', () => {
    const scope = new Scope();
    const k = scope.bind('k', 40);
    expect(evaluate(scope, code`[${true}, ${false}, ${null}, ${k} + ${code`2`}]`)).toEqual([true, false, null, 42]);
  });

  it('refuses to splice anything else: such values are bound by name', () => {
    for (const bad of [
      undefined,
      1n,
      [1],
      { a: 1 },
      () => 1,
      Symbol('s'),
      { text: 'process.exit(1)', toString: () => 'process.exit(1)' },
    ]) {
      expect(() => code`${bad as never}`).toThrow(/cannot splice/);
    }
  });

  it('cannot be built outside the module', () => {
    expect(() => new (Code as unknown as new (token: symbol, text: string) => Code)(Symbol('codegen'), 'x')).toThrow(
      /built by src\/codegen/,
    );
    expect(isCode(code`x`)).toBe(true);
    expect(isCode('x')).toBe(false);
  });

  it('joins pieces with a separator that is code', () => {
    expect(join([code`a`, 1, 'b'], code`, `).text).toBe('a, 1, "b"');
    expect(join([]).text).toBe('');
  });
});

describe('Scope', () => {
  it('gives unique names from prefixes, whatever the order of asking', () => {
    const scope = new Scope();
    const names = ['x', 'x', 'xx', 'x', 'h', 'h'].map((p) => scope.name(p).text);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['x0', 'x1', 'xx0', 'x2', 'h0', 'h1']);
  });

  it('refuses prefixes that could collide or are not identifiers', () => {
    const scope = new Scope();
    for (const bad of ['x1', '', 'a-b', 'a b', '$', '__proto__ ', '1']) expect(() => scope.name(bad)).toThrow(/letters and underscores/);
  });

  it('passes bound values to the kernel under their names', () => {
    const scope = new Scope();
    const table = scope.bind('table', [3, 4]);
    const x = scope.name('x');
    const k = compileKernel<(x: number) => number>({ scope, params: [x], body: code`return ${x} * ${table}[1];` });
    expect(k(2)).toBe(8);
  });
});

describe('property', () => {
  it('writes identifiers after a dot and quotes everything else', () => {
    const o = new Scope().name('o');
    expect(property(o, 'petal_width').text).toBe('o0.petal_width');
    expect(property(o, '__proto__').text).toBe('o0["__proto__"]');
    expect(property(o, 'a"b').text).toBe('o0["a\\"b"]');
    expect(property(o, '1').text).toBe('o0["1"]');
    expect(isIdentifier('constructor')).toBe(true);
    expect(isIdentifier('__proto__')).toBe(false);
    expect(isIdentifier('x\u2028y')).toBe(false);
  });

  it('reads the own field of each hostile name, and nothing escapes', () => {
    const names = ['__proto__', 'constructor', 'a"b', 'x\u2028y', '};process.exit(1);//', '0', '1e3', 'NaN', 'toString', ''];
    const record: Record<string, unknown> = {};
    for (const [i, n] of names.entries()) Object.defineProperty(record, n, { value: i, enumerable: true });
    const scope = new Scope();
    const r = scope.bind('r', record);
    expect(names.map((n) => evaluate(scope, property(r, n)))).toEqual(names.map((_, i) => i));
  });

  it('builds object literals of own properties for hostile names, with the prototype untouched', () => {
    const names = ['__proto__', 'constructor', 'a"b', 'x\u2028y', '};process.exit(1);//', '0', '1e3', 'toString', '', 'plain'];
    const scope = new Scope();
    const marker = scope.bind('m', { injected: true });
    const built = evaluate(
      scope,
      code`(${objectLiteral(names.map((n, i) => [n, n === '__proto__' ? marker : code`${i}`] as const))})`,
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
    expect(Object.keys(built).sort()).toEqual([...names].sort());
    expect(Object.getOwnPropertyDescriptor(built, '__proto__')?.value).toEqual({ injected: true });
    expect(built.plain).toBe(names.length - 1);
    expect(() => objectLiteral([['x', 'process.exit(1)' as unknown as Code]])).toThrow(/must be Code/);
  });

  it('indexes elements by non-negative integers only', () => {
    const a = new Scope().name('a');
    expect(element(a, 3).text).toBe('a0[3]');
    for (const bad of [-1, 1.5, NaN, Infinity]) expect(() => element(a, bad)).toThrow(/non-negative integer/);
  });
});

describe('compileKernel', () => {
  it('accepts Code only', () => {
    const scope = new Scope();
    expect(() => compileKernel({ scope, params: [], body: 'return 1;' as unknown as Code })).toThrow(/made of Code/);
    expect(() => compileKernel({ scope, params: ['x' as unknown as never], body: code`` })).toThrow(/parameter must be a Name/);
  });

  it('refuses names of two scopes that collide', () => {
    const [a, b] = [new Scope(), new Scope()];
    expect(() => compileKernel({ scope: a, params: [a.name('x'), b.name('x')], body: code`` })).toThrow(/one Scope/);
  });
});
