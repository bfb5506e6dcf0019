import { describe, expect, it } from 'vitest';
import { loadPfa } from '../../../../src/index.js';
import { checkPfaSource } from '../../../../src/pfa/load.js';
import { MAX_REGION, RegionSizes } from '../../../../src/pfa/compile/specialize/expressions.js';
import { actionCode, expectBackendsAgree } from './_backends.js';
import { linearModel } from '../../../helpers/model-types.js';

const INPUT = {
  type: 'record',
  name: 'In',
  fields: [
    { name: 'x', type: ['null', 'double'] },
    { name: 'n', type: 'int' },
    { name: 's', type: 'string' },
  ],
};

/** A decision written the way PMML trees are lowered: null checks, comparisons, lets, sets and nested conds. */
const decision = {
  input: INPUT,
  output: ['null', 'double'],
  action: [
    { let: { acc: 0.5 } },
    {
      ifnotnull: { v: 'input.x' },
      then: {
        cond: [
          {
            if: {
              '&&': [{ '<': ['v', 0.25] }, { 'a.contains': [{ type: { type: 'array', items: 'string' }, value: ['a', 'b'] }, 'input.s'] }],
            },
            then: [{ set: { acc: { '+': ['acc', 'v'] } } }, { '*': ['acc', 2] }],
          },
          { if: { '||': [{ '==': ['input.n', 3] }, { '>=': ['v', 0.75] }] }, then: { upcast: { '-': ['v', 'acc'] }, as: 'double' } },
          { if: { '>': ['v', 0.6] }, then: { error: 'too large', code: 7 } },
        ],
        else: { let: { w: { '*': ['v', 'input.n'] } } },
      },
      else: { type: ['null', 'double'], value: null },
    },
  ],
};

const inputs = [
  { x: null, n: 1, s: 'a' },
  { x: 0.1, n: 1, s: 'a' },
  { x: 0.1, n: 1, s: 'z' },
  { x: 0.5, n: 3, s: 'a' },
  { x: 0.9, n: 0, s: 'b' },
  { x: 0.5, n: 0, s: 'b' },
  { x: NaN, n: 0, s: 'b' },
  { x: 0.7, n: 0, s: 'b' },
  { x: -0, n: -2, s: '' },
];

describe('expressions compiled to source', () => {
  it('scores a decision region exactly as the closures do, errors included', () => {
    const out = expectBackendsAgree(decision, inputs);
    expect(out).toContainEqual({ error: 7 });
    expect(new Set(out.map((o) => JSON.stringify(o))).size).toBeGreaterThan(3);
    expect(actionCode(decision)).toMatch(/^function kernel\(f0\)/);
  });

  it('keeps small expressions as closures', () => {
    const small = { input: 'double', output: 'double', action: { if: { '<': ['input', 1] }, then: 1, else: 2 } };
    expect(actionCode(small)).not.toMatch(/function kernel/);
    expectBackendsAgree(small, [0, 1, NaN]);
  });

  it('splits a region larger than one function may be into functions that call each other', () => {
    // A chain of nested ifs deeper than MAX_REGION nodes.
    let chain: unknown = { '+': ['input', 0.5] };
    for (let i = 0; i < MAX_REGION / 4; i++) chain = { if: { '<': ['input', i] }, then: { '*': ['input', i] }, else: chain };
    const doc = { input: 'double', output: 'double', action: chain };
    const sizes = new RegionSizes();
    expect(sizes.of(checkPfaSource(doc).doc.action[0]!)).toBeGreaterThan(MAX_REGION);
    expectBackendsAgree(doc, [-1, 0.5, 10, 100, MAX_REGION, NaN]);
  });

  it('binds several variables at once as the closures do: values first, then the writes', () => {
    const pair = {
      type: 'record',
      name: 'P',
      fields: [
        { name: 'a', type: ['null', 'double'] },
        { name: 'b', type: ['null', 'double'] },
      ],
    };
    const doc = {
      input: pair,
      output: 'double',
      action: [
        { let: { x: { '+': [1, 1] }, y: { '*': [3, 3] } } },
        // A swap: each value is read before either variable is written.
        { set: { x: 'y', y: 'x' } },
        {
          ifnotnull: { a: 'input.a', b: 'input.b' },
          then: { '+': [{ '*': ['a', 'x'] }, { '-': ['b', 'y'] }] },
          else: { '-': ['x', { '*': ['y', 10] }] },
        },
      ],
    };
    const out = expectBackendsAgree(doc, [
      { a: 1, b: 1 },
      { a: null, b: 1 },
      { a: 1, b: null },
      { a: null, b: null },
      { a: NaN, b: -0 },
    ]);
    expect(out.slice(0, 4)).toEqual([{ value: 8 }, { value: -11 }, { value: -11 }, { value: -11 }]);
    // The whole action is one generated function: no part of it is left to a closure.
    const source = actionCode(doc);
    expect(source).toMatch(/^function kernel\(f0\)/);
    expect(source).not.toMatch(/\bX\d*\(/);
  });

  it('reads array indexes and map keys of attr and cell paths in the source, with the errors of each form', () => {
    const table = {
      type: 'array',
      items: { type: 'map', values: { type: 'record', name: 'Leaf', fields: [{ name: 'w', type: 'double' }] } },
    };
    const doc = {
      input: {
        type: 'record',
        name: 'In',
        fields: [
          { name: 'i', type: 'int' },
          { name: 'j', type: 'long' },
          { name: 'k', type: 'string' },
          { name: 'xs', type: { type: 'array', items: 'double' } },
        ],
      },
      output: 'double',
      cells: { t: { type: table, init: [{ a: { w: 1.5 } }, { a: { w: -2 }, b: { w: 4 } }] } },
      action: [
        {
          let: {
            u: {
              '+': [
                { attr: 'input.xs', path: ['input.i'] },
                { attr: 'input.xs', path: [{ '-': ['input.j', 1] }] },
              ],
            },
          },
        },
        {
          if: { '<': ['u', 100] },
          then: { '+': [{ '*': ['u', 2] }, { cell: 't', path: ['input.j', 'input.k', { string: 'w' }] }] },
          else: { '-': ['u', { cell: 't', path: [0, { string: 'a' }, { string: 'w' }] }] },
        },
      ],
    };
    const out = expectBackendsAgree(doc, [
      { i: 0, j: 1n, k: 'a', xs: [1, 2] },
      { i: 1, j: 1n, k: 'b', xs: [1, 200] },
      { i: 2, j: 1n, k: 'a', xs: [1, 2] },
      { i: 0, j: 0n, k: 'a', xs: [1, 2] },
      { i: 0, j: 1n, k: 'c', xs: [1, 2] },
      { i: 0, j: 2n, k: 'a', xs: [1, 2, 3] },
      { i: -1, j: 1n, k: 'a', xs: [1, 2] },
    ]);
    expect(out).toEqual([
      { value: 2 },
      { value: 199.5 },
      { error: 2000 },
      { error: 2000 },
      { error: 2005 },
      { error: 2004 },
      { error: 2000 },
    ]);
    const source = actionCode(doc);
    expect(source).toMatch(/^function kernel\(f0\)/);
    expect(source).not.toMatch(/\bX\d*\(/);
    // A map key is one lookup, the reader called only for a key that is not there.
    expect(source).toMatch(/= (t\d+)\.get\((t\d+)\)\) !== undefined \? t\d+ : M\d+\(\1, \2, 2005\)/);
    // An int index is tested against the bounds in place (input.i); a long one goes to the reader.
    expect(source).toMatch(/\) >= 0 && (t\d+) < (t\d+)\.length \? \2\[\1\] : I\d+\(\2, \1, 2000\)/);
  });

  it('reads a constant array index in place, and out of range raises the form error as the closures do', () => {
    const doc = {
      input: {
        type: 'record',
        name: 'In',
        fields: [
          { name: 'i', type: 'int' },
          { name: 'xs', type: { type: 'array', items: 'double' } },
        ],
      },
      output: 'double',
      cells: { c: { type: { type: 'array', items: 'double' }, init: [2, 3] } },
      action: [
        { let: { u: { '+': [{ attr: 'input.xs', path: [1] }, { '*': [{ attr: 'input.xs', path: [0] }, 10] }] } } },
        {
          if: { '<': ['input.i', 1] },
          then: { '+': [{ '*': ['u', { cell: 'c', path: [1] }] }, 0.5] },
          else: { '-': ['u', { cell: 'c', path: [5] }] },
        },
      ],
    };
    const out = expectBackendsAgree(doc, [
      { i: 0, xs: [1, 2] },
      { i: 0, xs: [1, 2, 3] },
      { i: 0, xs: [4] },
      { i: 0, xs: [] },
      { i: 1, xs: [1, 2] },
    ]);
    expect(out).toEqual([{ value: 36.5 }, { value: 36.5 }, { error: 2000 }, { error: 2000 }, { error: 2004 }]);
    const source = actionCode(doc);
    expect(source).toMatch(/^function kernel\(f0\)/);
    expect(source).toMatch(/\.length > 1 \?/);
  });

  it('builds records in the source as the closures do: fields converted to their types, __proto__ an own field', () => {
    const Out = {
      type: 'record',
      name: 'Out',
      fields: [
        { name: '__proto__', type: ['null', 'double'] },
        { name: 'label', type: 'string' },
        { name: 'n', type: 'double' },
        { name: 'inner', type: { type: 'record', name: 'Inner', fields: [{ name: 'k', type: ['null', 'int'] }] } },
      ],
    };
    const doc = {
      input: INPUT,
      output: Out,
      action: [
        {
          new: {
            // Computed, so that the key is an own field of the document, not its prototype.
            ['__proto__']: { ifnotnull: { v: 'input.x' }, then: { '*': ['v', 2] }, else: null },
            label: { if: { '<': ['input.n', 3] }, then: { string: 'low' }, else: 'input.s' },
            n: { '+': [{ '*': ['input.n', 2] }, { '-': [{ '*': ['input.n', 'input.n'] }, 1] }] },
            inner: { new: { k: { if: { '>': ['input.n', 0] }, then: 'input.n', else: null } }, type: 'Inner' },
          },
          type: 'Out',
        },
      ],
    };
    const out = expectBackendsAgree(doc, [
      { x: 1.5, n: 2, s: 'a' },
      { x: null, n: 7, s: 'b' },
    ]) as { value: Record<string, unknown> }[];
    expect(Object.getPrototypeOf(out[0]!.value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out[0]!.value, '__proto__')?.value).toBe(3);
    expect(out[1]!.value).toMatchObject({ label: 'b', n: 62, inner: { k: 7 } });
    const source = actionCode(doc);
    expect(source).toMatch(/^function kernel\(f0\)/);
    expect(source).toContain('["__proto__"]:');
  });

  it('copies a record with one field replaced in the source, the record computed before the value', () => {
    const R = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'double' },
        { name: '__proto__', type: ['null', 'string'] },
        { name: 'c', type: 'double' },
      ],
    };
    const doc = {
      input: INPUT,
      output: { type: 'array', items: 'R' },
      action: [
        { let: { r: { new: { a: 'input.n', ['__proto__']: 'input.s', c: 2 }, type: R } } },
        {
          let: {
            r2: {
              attr: { if: { '<': ['input.n', 0] }, then: { error: 'record', code: 5 }, else: 'r' },
              path: [{ string: 'c' }],
              to: { if: { '<': ['input.n', 5] }, then: { error: 'value', code: 6 }, else: { '*': ['input.n', 10] } },
            },
          },
        },
        { new: ['r', 'r2'], type: { type: 'array', items: 'R' } },
      ],
    };
    const out = expectBackendsAgree(doc, [
      { x: 1.5, n: 7, s: 'a' },
      { x: null, n: 2, s: 'b' },
      { x: null, n: -1, s: 'b' },
    ]) as { value?: Record<string, unknown>[]; error?: unknown }[];
    expect(out[0]!.value![1]).toMatchObject({ a: 7, c: 70 });
    expect(out[0]!.value![0]).toMatchObject({ c: 2 });
    expect(Object.getOwnPropertyDescriptor(out[0]!.value![1], '__proto__')?.value).toBe('a');
    expect([out[1]!.error, out[2]!.error]).toEqual([6, 5]);
    expect(actionCode(doc)).toMatch(/\{a: (t\d+)\.a, \["__proto__"\]: \1\["__proto__"\], c: t\d+\}/);
  });

  it('calls library functions that take functions from the source, each function made as the closures make it', () => {
    const doc = {
      input: INPUT,
      output: { type: 'array', items: 'double' },
      fcns: { scale: { params: [{ k: 'double' }, { x: 'double' }], ret: 'double', do: { '*': ['k', 'x'] } } },
      action: [
        { let: { k: { if: { '>': ['input.n', 0] }, then: { double: 2 }, else: { double: -1 } } } },
        {
          'a.concat': [
            {
              'a.map': [
                { new: [{ ifnotnull: { v: 'input.x' }, then: 'v', else: 0.5 }, 'input.n', 3], type: { type: 'array', items: 'double' } },
                { params: [{ p: 'double' }], ret: 'double', do: { '+': [{ '*': ['p', 'k'] }, 1] } },
              ],
            },
            {
              'a.map': [
                { new: ['input.n', { '-': ['input.n', 1] }], type: { type: 'array', items: 'double' } },
                { fcn: 'u.scale', fill: { k: 'k' } },
              ],
            },
          ],
        },
      ],
    };
    const out = expectBackendsAgree(doc, [
      { x: 1.5, n: 2, s: 'a' },
      { x: null, n: -3, s: 'b' },
    ]) as { value: number[] }[];
    expect(out[0]!.value).toEqual([4, 5, 7, 4, 2]);
    expect(out[1]!.value).toEqual([0.5, 4, -2, 3, 4]);
    const source = actionCode(doc);
    expect(source).toMatch(/L\d+\(\[.*\], F\d+\(f0\)\)/);
  });

  it('tests membership in a literal array of strings with a Set, charging the steps the scan charges', () => {
    const strings = (value: string[]) => ({ type: { type: 'array', items: 'string' }, value });
    const doc = {
      input: INPUT,
      output: 'int',
      action: [
        {
          cond: [
            { if: { 'a.contains': [strings(['a', 'b', 'constructor', '__proto__']), 'input.s'] }, then: 1 },
            { if: { 'a.contains': [strings([]), 'input.s'] }, then: 2 },
            { if: { 'a.contains': [strings(['z', '']), { 's.concat': ['input.s', 'input.s'] }] }, then: 3 },
          ],
          else: { '+': ['input.n', 10] },
        },
      ],
    };
    const inputs = ['a', 'constructor', '__proto__', 'toString', '', 'z', 'b '].map((s) => ({ x: null, n: 1, s }));
    expect((expectBackendsAgree(doc, inputs) as { value: number }[]).map((o) => o.value)).toEqual([1, 1, 1, 11, 3, 11, 11]);
    expect(actionCode(doc)).toMatch(/B\d+\.charge\(4\), S\d+\.has\(t\d+\)/);
    // The same steps spent: 'zz' costs 4 + 1 + 2 steps, 'a' 4; each budget fails the same records
    // with both backends.
    const outcomes = (backend: 'specialized' | 'closures', maxLoopSteps: number) => {
      const engine = loadPfa(doc, { maxLoopSteps, backend });
      return ['zz', 'a'].map((s) => {
        try {
          return engine.action({ x: null, n: 1, s });
        } catch (e) {
          return `error ${String((e as { code?: unknown }).code)}`;
        }
      });
    };
    for (const steps of [3, 4, 6, 7]) expect(outcomes('specialized', steps), `${steps} steps`).toEqual(outcomes('closures', steps));
    expect(outcomes('specialized', 6)).toEqual([expect.stringMatching(/^error /), 1]);
    expect(outcomes('specialized', 7)).toEqual([11, 1]);
  });

  it('tests membership in a literal array of numbers with a Set: ints and doubles alike, -0 as 0, NaN in none', () => {
    const doubles = (value: number[]) => ({ type: { type: 'array', items: 'double' }, value });
    const doc = {
      input: INPUT,
      output: 'int',
      action: [
        {
          cond: [
            { if: { 'a.contains': [doubles([3, 4.5, -0]), 'input.n'] }, then: 1 },
            { if: { 'a.contains': [doubles([3, 4.5]), { '*': ['input.n', 1.5] }] }, then: 2 },
            { if: { 'a.contains': [doubles([1, 2]), { '/': [{ '-': ['input.n', 'input.n'] }, 0.0] }] }, then: 3 },
          ],
          else: 4,
        },
      ],
    };
    const inputs = [3, 0, 4, 1, 2, -7].map((n) => ({ x: null, n, s: '' }));
    expect((expectBackendsAgree(doc, inputs) as { value: number }[]).map((o) => o.value)).toEqual([1, 1, 4, 4, 2, 4]);
    expect(actionCode(doc)).toMatch(/B\d+\.charge\(3\), S\d+\.has\(t\d+\)/);
  });

  it('builds arrays and maps in the source as the closures do: items converted, keys in order, errors in order', () => {
    const doc = {
      input: INPUT,
      output: {
        type: 'record',
        name: 'Out',
        fields: [
          { name: 'xs', type: { type: 'array', items: ['null', 'double'] } },
          { name: 'm', type: { type: 'map', values: 'double' } },
          { name: 'empty', type: { type: 'map', values: 'double' } },
        ],
      },
      action: [
        {
          new: {
            xs: {
              new: [
                { ifnotnull: { v: 'input.x' }, then: { '*': ['v', 2] }, else: null },
                'input.n',
                { if: { '<': ['input.n', 0] }, then: { error: 'negative', code: 3 }, else: { double: 1 } },
              ],
              type: { type: 'array', items: ['null', 'double'] },
            },
            m: {
              new: { b: { '+': ['input.n', 1] }, a: { '*': ['input.n', 0.5] }, ['__proto__']: { '-': ['input.n', 1] } },
              type: { type: 'map', values: 'double' },
            },
            empty: { new: {}, type: { type: 'map', values: 'double' } },
          },
          type: 'Out',
        },
      ],
    };
    const out = expectBackendsAgree(doc, [
      { x: 1.5, n: 2, s: 'a' },
      { x: null, n: 7, s: 'b' },
      { x: 0.5, n: -1, s: 'c' },
    ]) as { value?: { xs: unknown[]; m: Map<string, number>; empty: Map<string, number> } }[];
    expect(out[0]!.value!.xs).toEqual([3, 2, 1]);
    expect(out[1]!.value!.xs).toEqual([null, 7, 1]);
    expect([...out[0]!.value!.m.keys()]).toEqual(['b', 'a', '__proto__']);
    expect(out[0]!.value!.empty.size).toBe(0);
    expect(out[2]).not.toHaveProperty('value');
    const source = actionCode(doc);
    expect(source).toContain('new Map().set("b", ');
    expect(source).toContain('new Map()');
  });

  it('writes an array constructor in the source on its own, as a model kernel is handed its vector', () => {
    // A GLM's design vector: an intercept, a number, and one dummy variable per category.
    const categories = ['a', 'b', 'c', 'd', 'e', 'f'];
    const vector = {
      new: [1, 'input.n', ...categories.map((c) => ({ if: { '==': ['input.s', { string: c }] }, then: 1, else: 0 }))],
      type: { type: 'array', items: 'double' },
    };
    const alone = { input: INPUT, output: { type: 'array', items: 'double' }, action: [vector] };
    expect(actionCode(alone)).toMatch(/^function kernel\(f0\)/);
    expect(expectBackendsAgree(alone, [{ x: null, n: 2, s: 'c' }])).toEqual([{ value: [1, 2, 0, 0, 1, 0, 0, 0] }]);
    const glm = {
      input: INPUT,
      output: 'double',
      cells: {
        model: {
          type: linearModel('scalar'),
          init: { const: 0.5, coeff: [1, 2, 3, 4, 5, 6, 7, 8] },
        },
      },
      action: [{ 'model.reg.linear': [vector, { cell: 'model' }] }],
    };
    expect(
      expectBackendsAgree(glm, [
        { x: null, n: 2, s: 'c' },
        { x: 1, n: -1, s: 'z' },
        { x: 1, n: 0, s: 'f' },
      ]),
    ).toEqual([{ value: 0.5 + 1 + 4 + 5 }, { value: 0.5 + 1 - 2 }, { value: 0.5 + 1 + 8 }]);
  });

  it("writes Kleene's &&& and ||| in the source, the second operand computed only when the first decides nothing", () => {
    const NB = ['null', 'boolean'];
    // x: null, true, false from input.x null, > 0, <= 0; y: true, false, null from n = 1, 2, 0, an error for n = 3.
    const x = { ifnotnull: { v: 'input.x' }, then: { upcast: { '>': ['v', 0] }, as: NB }, else: { type: NB, value: null } };
    const y = {
      cond: [
        { if: { '==': ['input.n', 1] }, then: { type: NB, value: { boolean: true } } },
        { if: { '==': ['input.n', 2] }, then: { type: NB, value: { boolean: false } } },
        { if: { '==': ['input.n', 3] }, then: { error: 'second operand', code: 9 } },
      ],
      else: { type: NB, value: null },
    };
    const inputs = [null, 1, -1].flatMap((xv) => [1, 2, 0, 3].map((n) => ({ x: xv, n, s: '' })));
    const table = (fn: string) => {
      const doc = { input: INPUT, output: NB, action: [{ [fn]: [x, y] }] };
      const decisive = fn === '&&&' ? 'false' : 'true';
      expect(actionCode(doc)).toContain(`=== ${decisive} ? ${decisive} :`);
      return expectBackendsAgree(doc, inputs).map((o) => {
        const r = o as { value?: unknown; error?: unknown };
        return 'error' in r ? `error ${r.error}` : r.value;
      });
    };
    // Rows: x null, true, false; columns: y true, false, null, error.
    expect(table('&&&')).toEqual([null, false, null, 'error 9', true, false, null, 'error 9', false, false, false, false]);
    expect(table('|||')).toEqual([true, null, null, 'error 9', true, true, true, true, true, false, null, 'error 9']);
  });

  it('keeps a variable in a local of the generated function only where nothing else names it', () => {
    const doc = {
      input: { type: 'array', items: 'double' },
      output: 'double',
      action: [
        // Named only in this source: a local.
        { let: { a: { '+': [{ 'a.len': ['input'] }, 0.5] } } },
        // Read by an inline function (a closure of its own frame): a frame slot.
        { let: { b: { '*': ['a', 2] } } },
        // Set inside a loop (compiled as a closure): a frame slot.
        { let: { c: { double: 0 }, i: 0 } },
        { while: { '<': ['i', 3] }, do: [{ set: { c: { '+': ['c', 1.5] } } }, { set: { i: { '+': ['i', 1] } } }] },
        {
          '+': [
            { 'a.sum': [{ 'a.map': ['input', { params: [{ x: 'double' }], ret: 'double', do: { '*': ['x', 'b'] } }] }] },
            { if: { '>': ['c', 'a'] }, then: { '-': ['c', 'a'] }, else: { '+': ['c', 'a'] } },
          ],
        },
      ],
    };
    const out = expectBackendsAgree(doc, [[], [1, 2], [0.25, -4, 8]]);
    // a = n + 0.5, b = 2a, c = 4.5: sum(x) * b + |c - a| (c > a in every case).
    expect(out).toEqual([{ value: 4 }, { value: 3 * 5 + 2 }, { value: 4.25 * 7 + 1 }]);
    const source = actionCode(doc);
    expect(source).toMatch(/^function kernel\(f0\)/);
    // a is a local; b, c and i are each written to the frame by their let.
    expect(source).toMatch(/\(l\d+ = /);
    expect(source.match(/f0\.v\[\d+\] = /g)).toHaveLength(3);
  });

  it('reads variables of enclosing frames from inside inline functions and recursion', () => {
    let branches: unknown = { '-': ['x', 'k'] };
    for (let i = 0; i < 8; i++) branches = { if: { '<': ['x', i] }, then: { '+': ['x', { '*': ['k', i] }] }, else: branches };
    const doc = {
      input: { type: 'array', items: 'double' },
      output: { type: 'array', items: 'double' },
      fcns: {
        down: {
          params: [{ n: 'int' }],
          ret: 'int',
          do: { if: { '<=': ['n', 0] }, then: 0, else: { '+': [1, { 'u.down': [{ '-': ['n', 1] }] }] } },
        },
      },
      action: [{ let: { k: { 'u.down': [4] } } }, { 'a.map': ['input', { params: [{ x: 'double' }], ret: 'double', do: branches }] }],
    };
    const out = expectBackendsAgree(doc, [[], [0.5, 3, 9, -2]]);
    // k = 4; the outermost test is x < 7, so x + 7k below 7 and x - k above.
    expect(out[1]).toEqual({ value: [28.5, 31, 5, 26] });
  });
});
