/** Apply built-ins and DefineFunctions, with values worked out from the PMML definitions. */
import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

/** A model whose output field `out` is the given expression over the string `s` and double `x`. */
function model(expression: string, defs = '', dataType = 'string'): (s: string | null, x: number | null) => unknown {
  const pmml = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="s" optype="categorical" dataType="string"/>
  <DataField name="x" optype="continuous" dataType="double"/>
</DataDictionary>
<TransformationDictionary>${defs}</TransformationDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="s"/><MiningField name="x"/></MiningSchema>
  <Output><OutputField name="out" feature="transformedValue" dataType="${dataType}">${expression}</OutputField></Output>
  <RegressionTable intercept="0"/>
</RegressionModel></PMML>`;
  const m = loadPmml(pmml);
  return (s, x) => m.score({ s, x }).out;
}

const apply = (fn: string, ...args: string[]) => `<Apply function="${fn}">${args.join('')}</Apply>`;
const S = '<FieldRef field="s"/>';
const X = '<FieldRef field="x"/>';
/**
 * How many `let`/`ifnotnull` forms of a PFA document bind more than one name: the specialized
 * backend leaves those to its generic closures, so expressions are lowered with one name a form.
 */
function wideBindings(x: unknown): number {
  if (Array.isArray(x)) return x.reduce((n: number, y) => n + wideBindings(y), 0);
  if (x === null || typeof x !== 'object') return 0;
  let n = 0;
  for (const [k, v] of Object.entries(x)) {
    if ((k === 'let' || k === 'ifnotnull') && v !== null && typeof v === 'object' && Object.keys(v).length > 1) n++;
    n += wideBindings(v);
  }
  return n;
}

const c = (v: string, t = '') => `<Constant${t ? ` dataType="${t}"` : ''}>${v}</Constant>`;

describe('Apply built-ins', () => {
  it('functions of several arguments: missing when one is, constants and nested expressions in any place, on both backends', () => {
    const cases: [string, string, (s: string | null, x: number | null) => unknown][] = [
      [apply('-', X, apply('*', X, c('2', 'double'))), 'double', (_s, x) => (x === null ? null : -x)],
      [apply('-', c('10', 'double'), X), 'double', (_s, x) => (x === null ? null : 10 - x)],
      [apply('+', apply('/', X, c('4', 'double')), c('1', 'double')), 'double', (_s, x) => (x === null ? null : x / 4 + 1)],
      [apply('sum', X, apply('*', X, X), c('3', 'double')), 'double', (_s, x) => (x === null ? 3 : x + x * x + 3)],
      [apply('greaterThan', X, apply('stringLength', S)), 'boolean', (s, x) => (x === null || s === null ? null : x > s.length)],
      [apply('equal', S, c('ab')), 'boolean', (s) => (s === null ? null : s === 'ab')],
    ];
    for (const [expression, dataType, expected] of cases) {
      const pmml = (backend: 'closures' | 'specialized') => {
        const m = loadPmml(
          `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="s" optype="categorical" dataType="string"/><DataField name="x" optype="continuous" dataType="double"/></DataDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="s"/><MiningField name="x"/></MiningSchema>
  <Output><OutputField name="out" feature="transformedValue" dataType="${dataType}">${expression}</OutputField></Output>
  <RegressionTable intercept="0"/>
</RegressionModel></PMML>`,
          { backend },
        );
        return Object.assign((s: string | null, x: number | null) => m.score({ s, x }).out, { wideBindings: wideBindings(m.pfa) });
      };
      const [closures, specialized] = [pmml('closures'), pmml('specialized')];
      expect(closures.wideBindings, expression).toBe(0);
      for (const s of [null, 'ab', 'abcd'])
        for (const x of [null, 2, -1.5]) {
          expect(closures(s, x), `${expression} at s=${s}, x=${x}`).toEqual(expected(s, x));
          expect(specialized(s, x), `${expression} at s=${s}, x=${x}`).toEqual(expected(s, x));
        }
    }
  });

  it('stringLength, substring, trimBlanks, uppercase', () => {
    expect(model(apply('stringLength', S), '', 'double')('héllo', 0)).toBe(5);
    expect(model(apply('substring', S, c('2'), c('3')))('abcdef', 0)).toBe('bcd');
    expect(model(apply('trimBlanks', apply('uppercase', S)))('  ab ', 0)).toBe('AB');
  });

  it('median takes the middle value, or the mean of the two middle ones', () => {
    expect(model(apply('median', X, c('1'), c('7')), '', 'double')(null, 3)).toBe(3);
    expect(model(apply('median', X, c('1'), c('7'), c('10')), '', 'double')(null, 3)).toBe(5);
  });

  it('isValid and isNotValid follow presence after the MiningSchema', () => {
    expect(model(apply('isValid', X), '', 'boolean')(null, 1)).toBe(true);
    expect(model(apply('isNotValid', X), '', 'boolean')(null, null)).toBe(true);
  });

  it('formatNumber with printf patterns', () => {
    expect(model(apply('formatNumber', X, c('%.2f')))(null, 3.14321)).toBe('3.14');
    expect(model(apply('formatNumber', X, c('%6.1f')))(null, 2.25)).toBe('   2.2');
    expect(model(apply('formatNumber', X, c('%05d')))(null, 42)).toBe('00042');
    expect(() => model(apply('formatNumber', X, c('%x')))).toThrow(/not supported/);
  });

  it('modulo has the sign of the divisor', () => {
    expect(model(apply('modulo', X, c('3')), '', 'double')(null, -7)).toBe(2);
  });

  it('min, max, sum, avg, median and product ignore missing arguments', () => {
    // With x missing, the aggregates are over 2 and 6 alone: avg 4 (not 8/3), product 12.
    const over = (fn: string) => model(apply(fn, X, c('2'), c('6')), '', 'double');
    expect(['min', 'max', 'sum', 'avg', 'median', 'product'].map((fn) => over(fn)(null, null))).toEqual([2, 6, 8, 4, 4, 12]);
    // With x = 1 all three count: avg 3, median 2, product 12.
    expect(['min', 'max', 'sum', 'avg', 'median', 'product'].map((fn) => over(fn)(null, 1))).toEqual([1, 6, 9, 3, 2, 12]);
    expect(model(apply('sum', X, X), '', 'double')(null, null)).toBe(null);
  });

  it('evaluates an aggregate argument once (a Lag in it sees each record once)', () => {
    const f = model(apply('sum', '<Lag field="x"/>', c('0')), '', 'double');
    expect([1, 2, 3].map((x) => f(null, x))).toEqual([0, 1, 2]);
  });

  it('replace reads its replacement as Java does: backslash escapes, group references reported', () => {
    expect(model(apply('replace', S, c('B+'), c('c')))('aBBBBa', 0)).toBe('aca');
    // \$ is a literal dollar sign in a Java replacement.
    expect(model(apply('replace', S, c('[0-9]+'), c('\\$')))('cost 12', 0)).toBe('cost $');
    expect(() => model(apply('replace', S, c('(a)'), c('[$1]')))).toThrow(/group reference/);
  });

  it('reports an unknown function at load with its location', () => {
    expect(() => model(apply('noSuchFunction', X))).toThrow(/function "noSuchFunction" is not supported/);
  });

  it('checks the number of arguments of if, isMissing and the other functions it handles itself', () => {
    for (const [fn, args] of [
      ['if', []],
      ['if', [X, X, X, X]],
      ['isMissing', []],
      ['isNotValid', [X, X]],
      ['dateSecondsSinceMidnight', []],
    ] as const) {
      expect(() => model(apply(fn, ...args), '', 'double'), fn).toThrow(
        expect.objectContaining({ code: 'pmml-invalid', message: expect.stringMatching(/does not take/) }),
      );
    }
  });

  it('reads text as a number where a function takes numbers, failing when scored on text that is not one', () => {
    const plus = model(apply('+', S, X), '', 'double');
    expect(plus('2.5', 1)).toBe(3.5);
    expect(() => plus('abc', 1)).toThrow(expect.objectContaining({ kind: 'runtime' }));
    // Comparisons compare as numbers when either side is one.
    expect(model(apply('lessThan', S, X), '', 'boolean')('10', 9)).toBe(false);
  });

  it("if: a numeric condition is true when not 0, and both branches take the first one's type", () => {
    const f = model(apply('if', X, c('1', 'double'), S), '', 'double');
    expect(f('7', 1)).toBe(1);
    expect(f('7', 0)).toBe(7);
  });
});

describe('DefineFunction', () => {
  const twice = `<DefineFunction name="twice" dataType="double"><ParameterField name="v"/>${apply('*', '<FieldRef field="v"/>', c('2'))}</DefineFunction>`;

  it('types an untyped parameter from its first call', () => {
    expect(model(apply('twice', X), twice, 'double')(null, 4)).toBe(8);
  });

  it('reads a Constant naming a parameter as that parameter (the SAS FMTWIDTH convention)', () => {
    const cut = `<DefineFunction name="cut" dataType="string"><ParameterField name="W"/><ParameterField name="in"/>${apply('substring', '<FieldRef field="in"/>', c('1'), c('W'))}</DefineFunction>`;
    expect(model(apply('cut', c('3'), S), cut)('abcdef', 0)).toBe('abc');
  });

  it('checks the number of arguments', () => {
    expect(() => model(apply('twice', X, X), twice, 'double')).toThrow(/takes 1 arguments, not 2/);
  });
});
