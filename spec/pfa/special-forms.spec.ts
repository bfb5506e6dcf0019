import { describe, expect, it } from 'vitest';
import { loadPfa } from '../../src/index.js';
import { expr, thrown } from '../helpers/pfa.js';

const rec = (fields: Record<string, string>, name = 'R') => ({
  type: 'record',
  name,
  fields: Object.entries(fields).map(([n, t]) => ({ name: n, type: t })),
});

describe('literals', () => {
  it('reads every literal form with its type', () => {
    expect(expr('int', 3)).toBe(3);
    expect(expr('long', 3000000000)).toBe(3000000000n);
    expect(expr('long', { long: 5 })).toBe(5n);
    expect(expr('double', 2.5)).toBe(2.5);
    expect(expr('float', { float: 0.1 })).toBe(Math.fround(0.1));
    expect(expr('string', [['hello']])).toBe('hello');
    expect(expr('string', ['input'], 'string', 'x')).toBe('x');
    expect(expr('string', { string: 'x.y' })).toBe('x.y');
    expect(expr('bytes', { base64: 'AQID' })).toEqual(new Uint8Array([1, 2, 3]));
    expect(expr('boolean', true)).toBe(true);
    expect(expr('null', null)).toBe(null);
    expect(expr({ type: 'map', values: 'int' }, { type: { type: 'map', values: 'int' }, value: { a: 1 } })).toEqual(new Map([['a', 1]]));
  });

  it('keeps 64-bit literals exact when parsed from text', () => {
    const e = loadPfa('{"input": "null", "output": "long", "action": {"long": 9223372036854775807}}');
    expect(e.action(null)).toBe(9223372036854775807n);
  });
});

describe('symbols and scope', () => {
  it('declares with let and reassigns with set', () => {
    expect(expr('int', [{ let: { x: 1 } }, { set: { x: { '+': ['x', 1] } } }, 'x'])).toBe(2);
  });

  it('gives set the old values of every symbol it rebinds', () => {
    expect(expr('int', [{ let: { a: 1, b: 2 } }, { set: { a: 'b', b: 'a' } }, { '-': ['a', 'b'] }])).toBe(1);
  });

  it('rejects reading an undefined symbol, with its location', () => {
    const e = thrown(() => loadPfa({ input: 'null', output: 'int', action: ['nope'] }));
    expect(e.code).toBe('unknown-symbol');
    expect(e.location?.pointer).toBe('/action/0');
  });

  it('rejects redeclaring a symbol', () => {
    expect(thrown(() => expr('int', [{ let: { x: 1 } }, { let: { x: 2 } }, 'x'])).code).toBe('redeclared-symbol');
  });

  it('rejects declarations in argument lists unless wrapped in do', () => {
    expect(thrown(() => expr('int', { '+': [{ let: { x: 1 } }, 1] })).code).toBe('declaration-not-allowed');
    expect(expr('int', { '+': [{ do: [{ let: { x: 1 } }, 'x'] }, 1] })).toBe(2);
  });

  it('forbids an inline function from modifying symbols outside it', () => {
    const doc = {
      input: { type: 'array', items: 'int' },
      output: { type: 'array', items: 'int' },
      action: [{ let: { n: 0 } }, { 'a.map': ['input', { params: [{ x: 'int' }], ret: 'int', do: [{ set: { n: 1 } }, 'x'] }] }],
    };
    expect(thrown(() => loadPfa(doc)).code).toBe('sealed-scope');
  });

  it('lets an inline function read symbols of the enclosing scope', () => {
    const doc = {
      input: { type: 'array', items: 'int' },
      output: { type: 'array', items: 'int' },
      action: [{ let: { k: 10 } }, { 'a.map': ['input', { params: [{ x: 'int' }], ret: 'int', do: { '+': ['x', 'k'] } }] }],
    };
    expect(loadPfa(doc).action([1, 2])).toEqual([11, 12]);
  });

  it('does not allow the input symbol to be reassigned', () => {
    expect(thrown(() => expr('int', { set: { input: 1 } }, 'int', 0)).code).toBe('readonly-symbol');
  });
});

describe('control flow', () => {
  it('computes if/else and cond types as narrowest supertypes', () => {
    const e = loadPfa({ input: 'int', output: 'double', action: { if: { '>': ['input', 0] }, then: 1, else: 2.5 } });
    expect(e.action(1)).toBe(1);
    expect(e.action(-1)).toBe(2.5);
    const c = loadPfa({
      input: 'int',
      output: ['null', 'string', 'int'],
      action: {
        cond: [
          { if: { '==': ['input', 0] }, then: { string: 'zero' } },
          { if: { '<': ['input', 0] }, then: -1 },
        ],
        else: null,
      },
    });
    expect([c.action(0), c.action(-3), c.action(3)]).toEqual(['zero', -1, null]);
  });

  it('converts int to long where branches meet', () => {
    const e = loadPfa({ input: 'boolean', output: 'long', action: { if: 'input', then: 1, else: { long: 2 } } });
    expect(e.action(true)).toBe(1n);
  });

  it('runs while, do-until, for, foreach and forkey-forval loops', () => {
    expect(expr('int', [{ let: { i: 0 } }, { while: { '<': ['i', 5] }, do: { set: { i: { '+': ['i', 1] } } } }, 'i'])).toBe(5);
    expect(expr('int', [{ let: { i: 10 } }, { do: { set: { i: { '+': ['i', 1] } } }, until: true }, 'i'])).toBe(11);
    expect(
      expr('int', [
        { let: { s: 0 } },
        { for: { i: 0 }, while: { '<': ['i', 4] }, step: { i: { '+': ['i', 1] } }, do: { set: { s: { '+': ['s', 'i'] } } } },
        's',
      ]),
    ).toBe(6);
    const sum = loadPfa({
      input: { type: 'array', items: 'double' },
      output: 'double',
      action: [{ let: { s: { double: 0 } } }, { foreach: 'x', in: 'input', do: { set: { s: { '+': ['s', 'x'] } } } }, 's'],
    });
    expect(sum.action([1.5, 2.5])).toBe(4);
    const keys = loadPfa({
      input: { type: 'map', values: 'int' },
      output: 'string',
      action: [{ let: { k: [''] } }, { forkey: 'key', forval: 'v', in: 'input', do: { set: { k: { 's.concat': ['k', 'key'] } } } }, 'k'],
    });
    expect(keys.action(new Map([['a', 1]]))).toBe('a');
  });

  it('stops endless loops at the step limit', () => {
    const e = loadPfa({ input: 'null', output: 'null', action: { while: true, do: null } }, { maxLoopSteps: 1000 });
    expect(thrown(() => e.action(null)).code).toBe('loop-limit');
  });

  it('stops endless loops at the time limit from the document options', () => {
    const e = loadPfa({ input: 'null', output: 'null', action: { while: true, do: null }, options: { timeout: 20 } });
    expect(thrown(() => e.action(null)).code).toBe('timeout');
  });

  it('stops runaway recursion with a runtime error, not a stack overflow', () => {
    const doc = {
      input: 'int',
      output: 'int',
      action: { 'u.f': ['input'] },
      fcns: { f: { params: [{ n: 'int' }], ret: 'int', do: { 'u.f': [{ '+': ['n', 1] }] } } },
    };
    expect(thrown(() => loadPfa(doc).action(0)).code).toBe('recursion-depth');
  });

  it('supports bounded recursion', () => {
    const doc = {
      input: 'int',
      output: 'int',
      action: { 'u.fact': ['input'] },
      fcns: {
        fact: {
          params: [{ n: 'int' }],
          ret: 'int',
          do: { if: { '<=': ['n', 1] }, then: 1, else: { '*': ['n', { 'u.fact': [{ '-': ['n', 1] }] }] } },
        },
      },
    };
    expect(loadPfa(doc).action(10)).toBe(3628800);
  });
});

describe('records, arrays, maps and paths', () => {
  const R = rec({ a: 'int', b: 'string' });

  it('builds values with new and reads them with attr', () => {
    expect(expr('string', { attr: { new: { a: 1, b: ['x'] }, type: R }, path: [['b']] })).toBe('x');
    expect(expr({ type: 'array', items: 'long' }, { new: [1, 2], type: { type: 'array', items: 'long' } })).toEqual([1n, 2n]);
    expect(expr('int', { attr: { new: { k: 7 }, type: { type: 'map', values: 'int' } }, path: [['k']] })).toBe(7);
  });

  it('reads dotted paths', () => {
    const e = loadPfa({
      input: { type: 'record', name: 'In', fields: [{ name: 'xs', type: { type: 'array', items: 'int' } }] },
      output: 'int',
      action: 'input.xs.1',
    });
    expect(e.action({ xs: [5, 6] })).toBe(6);
  });

  it('raises the attr error codes for missing indexes and keys', () => {
    const arr = loadPfa({ input: { type: 'array', items: 'int' }, output: 'int', action: { attr: 'input', path: [5] } });
    expect(thrown(() => arr.action([1])).code).toBe(2000);
    const map = loadPfa({ input: { type: 'map', values: 'int' }, output: 'int', action: { attr: 'input', path: [['z']] } });
    expect(thrown(() => map.action(new Map())).code).toBe(2001);
  });

  it('updates copies with attr-to, leaving the original intact', () => {
    const e = loadPfa({
      input: { type: 'array', items: { type: 'array', items: 'int' } },
      output: { type: 'array', items: { type: 'array', items: 'int' } },
      action: [
        { let: { y: { attr: 'input', path: [0, 1], to: 99 } } },
        {
          new: [
            { attr: 'input', path: [0] },
            { attr: 'y', path: [0] },
          ],
          type: { type: 'array', items: { type: 'array', items: 'int' } },
        },
      ],
    });
    expect(e.action([[1, 2]])).toEqual([
      [1, 2],
      [1, 99],
    ]);
  });

  it('rejects an unknown record field at check time', () => {
    expect(thrown(() => expr('int', { attr: { new: { a: 1, b: ['x'] }, type: R }, path: [['c']] })).code).toBe('bad-path');
  });

  it('treats __proto__ as an ordinary map key and record field', () => {
    const e = loadPfa({ input: { type: 'map', values: 'int' }, output: 'int', action: { attr: 'input', path: [['__proto__']] } });
    expect(e.action(new Map([['__proto__', 4]]))).toBe(4);
    // Built with JSON.parse: in a JS object literal `__proto__` would set the prototype instead.
    const P = JSON.parse('{"type": "record", "name": "P", "fields": [{"name": "__proto__", "type": "int"}]}');
    const out = expr(P, { new: JSON.parse('{"__proto__": 5}'), type: 'P' }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
  });
});

describe('cells and pools', () => {
  it('keeps cell state across actions and rolls it back when an action fails', () => {
    const doc = {
      input: 'int',
      output: 'int',
      cells: { n: { type: 'int', init: 0, rollback: true } },
      action: [
        { cell: 'n', to: { params: [{ x: 'int' }], ret: 'int', do: { '+': ['x', 'input'] } } },
        { if: { '<': ['input', 0] }, then: { error: 'negative' } },
        { cell: 'n' },
      ],
    };
    const e = loadPfa(doc);
    expect(e.action(2)).toBe(2);
    expect(e.action(3)).toBe(5);
    expect(thrown(() => e.action(-1)).code).toBe('user-error');
    expect(e.snapshot().cells.n).toBe(5);
  });

  it('creates, updates and deletes pool items', () => {
    const doc = {
      input: 'string',
      output: 'int',
      pools: { counts: { type: 'int', init: {} } },
      action: [{ pool: 'counts', path: ['input'], to: { params: [{ x: 'int' }], ret: 'int', do: { '+': ['x', 1] } }, init: 0 }],
    };
    const e = loadPfa(doc);
    e.action('a');
    e.action('a');
    e.action('b');
    expect(e.snapshot().pools.counts).toEqual({ a: 2, b: 1 });
  });

  it('rejects a cell that is not declared', () => {
    expect(thrown(() => expr('int', { cell: 'missing' })).code).toBe('unknown-cell');
    expect(thrown(() => expr('int', { cell: 'missing', to: 1 })).code).toBe('unknown-cell');
  });
});

describe('casts, nulls and errors', () => {
  const U = ['null', 'int', 'string'];

  it('narrows unions with cast cases', () => {
    const e = loadPfa({
      input: U,
      output: 'string',
      action: {
        cast: 'input',
        cases: [
          { as: 'null', named: 'n', do: { string: 'none' } },
          { as: 'int', named: 'i', do: { string: 'int' } },
          { as: 'string', named: 's', do: 's' },
        ],
      },
    });
    expect([e.action(null), e.action(3), e.action('x')]).toEqual(['none', 'int', 'x']);
  });

  it('requires cast cases to be exhaustive unless partial', () => {
    const doc = { input: U, output: 'string', action: { cast: 'input', cases: [{ as: 'int', named: 'i', do: { string: 'int' } }] } };
    expect(thrown(() => loadPfa(doc)).code).toBe('non-exhaustive-cast');
  });

  it('binds non-null values with ifnotnull', () => {
    const e = loadPfa({ input: ['null', 'int'], output: 'int', action: { ifnotnull: { x: 'input' }, then: 'x', else: -1 } });
    expect([e.action(4), e.action(null)]).toEqual([4, -1]);
  });

  it('turns runtime errors into null with try, honouring filters', () => {
    expect(expr(['null', 'int'], { try: { '//': [1, 0] } })).toBe(null);
    expect(thrown(() => expr(['null', 'int'], { try: { '//': [1, 0] }, filter: [12345] })).code).toBe(18040);
    expect(expr(['null', 'int'], { try: { '//': [1, 0] }, filter: [18040] })).toBe(null);
  });

  it('raises user errors with their code', () => {
    expect(thrown(() => expr('int', { error: 'bad', code: 42 })).code).toBe(42);
  });

  it('upcasts', () => {
    expect(expr('double', { upcast: 3, as: 'double' })).toBe(3);
    expect(thrown(() => expr('int', { upcast: 3.5, as: 'int' })).code).toBe('bad-upcast');
  });
});

describe('functions', () => {
  it('passes user and library functions by reference, with fill', () => {
    const doc = {
      input: { type: 'array', items: 'double' },
      output: { type: 'array', items: 'double' },
      action: { 'a.map': ['input', { fcn: 'u.scale', fill: { k: 2 } }] },
      fcns: { scale: { params: [{ x: 'double' }, { k: 'double' }], ret: 'double', do: { '*': ['x', 'k'] } } },
    };
    expect(loadPfa(doc).action([1, 2])).toEqual([2, 4]);
    const lib = loadPfa({
      input: { type: 'array', items: 'double' },
      output: { type: 'array', items: 'double' },
      action: { 'a.map': ['input', { fcn: 'm.sqrt' }] },
    });
    expect(lib.action([4, 9])).toEqual([2, 3]);
  });

  it('fills any parameters of a function reference, first, middle or last, each fill computed once a value', () => {
    const input = {
      type: 'record',
      name: 'In',
      fields: [
        { name: 'a', type: { type: 'array', items: 'int' } },
        { name: 'b', type: { type: 'array', items: 'int' } },
        { name: 'k', type: 'int' },
        { name: 's', type: { type: 'array', items: 'string' } },
      ],
    };
    const f = {
      params: [{ x: 'int' }, { y: 'int' }, { z: 'int' }],
      ret: 'int',
      do: { '+': [{ '*': ['x', 100] }, { '+': [{ '*': ['y', 10] }, 'z'] }] },
    };
    const doc = (action: unknown, output: unknown) => ({ input, output, action, fcns: { f } });
    const row = { a: [1, 2], b: [3, 4], k: 5, s: ['abcd', 'wxyz'] };
    const ints = { type: 'array', items: 'int' };
    // A user function: the middle parameter filled from the input, the first, the last.
    expect(loadPfa(doc({ 'a.zipmap': ['input.a', 'input.b', { fcn: 'u.f', fill: { y: 'input.k' } }] }, ints)).action(row)).toEqual([
      153, 254,
    ]);
    expect(loadPfa(doc({ 'a.zipmap': ['input.a', 'input.b', { fcn: 'u.f', fill: { x: 'input.k' } }] }, ints)).action(row)).toEqual([
      513, 524,
    ]);
    expect(loadPfa(doc({ 'a.map': ['input.a', { fcn: 'u.f', fill: { z: 7, x: 'input.k' } }] }, ints)).action(row)).toEqual([517, 527]);
    // A library function: its last two parameters filled, and its first.
    const strings = { type: 'array', items: 'string' };
    expect(loadPfa(doc({ 'a.map': ['input.s', { fcn: 's.substr', fill: { start: 1, end: 3 } }] }, strings)).action(row)).toEqual([
      'bc',
      'xy',
    ]);
    expect(loadPfa(doc({ 'a.map': ['input.a', { fcn: '-', fill: { x: 'input.k' } }] }, ints)).action(row)).toEqual([4, 3]);
    // A library function with two parameters left open: its middle one filled, then its first.
    expect(loadPfa(doc({ 'a.zipmap': ['input.s', 'input.b', { fcn: 's.substr', fill: { start: 1 } }] }, strings)).action(row)).toEqual([
      'bc',
      'xyz',
    ]);
  });

  it('short-circuits && and ||, each call reading its own frame through recursion', () => {
    // f(n) = n <= 0 || (f(n - 1) && n <= 3): the right operand of && runs after a recursive call.
    const doc = {
      input: 'int',
      output: 'boolean',
      action: { 'u.f': ['input'] },
      fcns: {
        f: {
          params: [{ n: 'int' }],
          ret: 'boolean',
          do: { '||': [{ '<=': ['n', 0] }, { '&&': [{ 'u.f': [{ '-': ['n', 1] }] }, { '<=': ['n', 3] }] }] },
        },
      },
    };
    const e = loadPfa(doc);
    expect([e.action(3), e.action(4), e.action(0)]).toEqual([true, false, true]);
    expect(expr('boolean', { '&&': [false, { error: 'not evaluated' }] })).toBe(false);
    expect(expr('boolean', { '||': [true, { error: 'not evaluated' }] })).toBe(true);
  });

  it('selects a user function at run time with call', () => {
    const doc = {
      input: { type: 'enum', name: 'Op', symbols: ['double', 'square'] },
      output: 'int',
      action: { call: 'input', args: [3] },
      fcns: {
        double: { params: [{ x: 'int' }], ret: 'int', do: { '*': ['x', 2] } },
        square: { params: [{ x: 'int' }], ret: 'int', do: { '*': ['x', 'x'] } },
      },
    };
    const e = loadPfa(doc);
    expect([e.action('double'), e.action('square')]).toEqual([6, 9]);
  });

  it('reports a wrong argument type with the signatures tried', () => {
    const e = thrown(() => expr('double', { 'm.sqrt': [{ string: 'text' }] }));
    expect(e.code).toBe('no-signature');
    expect(e.location?.pointer).toBe('/action');
    expect((e as unknown as Error).message).toContain('(x: double) -> double');
  });

  it('reports unknown functions', () => {
    expect(thrown(() => expr('double', { 'm.nope': [1] })).code).toBe('unknown-function');
  });
});

describe('methods', () => {
  it('emits values from an emit engine', () => {
    const out: unknown[] = [];
    const e = loadPfa(
      { input: 'int', output: 'int', method: 'emit', action: [{ emit: ['input'] }, { emit: [{ '*': ['input', 2] }] }] },
      { onEmit: (v) => out.push(v) },
    );
    expect(e.action(4)).toBe(null);
    expect(out).toEqual([4, 8]);
  });

  it('folds with a tally and merges tallies', () => {
    const e = loadPfa({
      input: 'double',
      output: 'double',
      method: 'fold',
      zero: 0,
      action: { '+': ['input', 'tally'] },
      merge: { '+': ['tallyOne', 'tallyTwo'] },
    });
    e.action(1);
    expect(e.action(2.5)).toBe(3.5);
    expect(e.merge(1, 2)).toBe(3);
  });

  it('runs begin and end, counting actions', () => {
    const e = loadPfa({
      input: 'null',
      output: 'long',
      cells: { started: { type: 'long', init: 0 }, finished: { type: 'long', init: -1 } },
      begin: { cell: 'started', to: 7 },
      action: { '+': [{ cell: 'started' }, 'actionsStarted'] },
      end: { cell: 'finished', to: 'actionsFinished' },
    });
    e.begin();
    expect([e.action(null), e.action(null)]).toEqual([8n, 9n]);
    e.end();
    expect(e.snapshot().cells).toMatchObject({ finished: 2 });
  });

  it('makes rand.* reproducible under randseed', () => {
    const doc = { input: 'null', output: 'double', randseed: 12, action: { 'rand.double': [0, 1] } };
    const a = loadPfa(doc);
    const b = loadPfa(doc);
    const xs = [a.action(null), a.action(null)];
    expect([b.action(null), b.action(null)]).toEqual(xs);
  });
});

describe('pack and unpack', () => {
  it('round-trips values through bytes', () => {
    const e = loadPfa({
      input: 'null',
      output: 'double',
      action: {
        unpack: { pack: [{ '<int': 7 }, { double: 1.5 }, { 'length prefixed': { base64: 'AQI=' } }] },
        format: [{ a: '<int' }, { b: 'double' }, { c: 'length prefixed' }],
        then: { '+': ['a', 'b'] },
        else: -1,
      },
    });
    expect(e.action(null)).toBe(8.5);
  });
});

describe('input validation', () => {
  it('rejects input that does not match the input type, with its path', () => {
    const e = loadPfa({ input: rec({ x: 'double' }), output: 'double', action: 'input.x' });
    const err = thrown(() => e.action({ x: 'no' })) as unknown as { code: string; message: string };
    expect(err.code).toBe('input-mismatch');
    expect(err.message).toContain('/x');
  });
});
