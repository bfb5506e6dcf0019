import { describe, expect, it } from 'vitest';
import { checkPfaSource, loadPfa } from '../../../src/index.js';

type Doc = Record<string, unknown>;

function code(doc: Doc): string | number | undefined {
  try {
    checkPfaSource(doc);
    return undefined;
  } catch (e) {
    return (e as { code: string | number }).code;
  }
}

const base = {
  input: 'int',
  output: 'int',
  cells: { c: { type: 'int', init: 0 }, other: { type: 'int', init: 0 } },
  pools: { p: { type: 'int', init: {} } },
};

const inc = { params: [{ old: 'int' }], ret: 'int', do: { '+': ['old', 1] } };

describe('cell-to and pool-to update functions must not modify cells or pools', () => {
  it('pure update functions are accepted, inline or by name', () => {
    expect(code({ ...base, action: [{ cell: 'c', to: inc }, { pool: 'p', path: [['k']], to: inc, init: 0 }, 0] })).toBeUndefined();
    expect(
      code({
        ...base,
        fcns: { inc, twice: { params: [{ x: 'int' }], ret: 'int', do: { 'u.inc': [{ 'u.inc': ['x'] }] } } },
        action: [{ cell: 'c', to: { fcn: 'u.twice' } }, 0],
      }),
    ).toBeUndefined();
  });

  it('an inline update function that writes a cell, a pool, or deletes from a pool is refused', () => {
    const writesCell = { params: [{ old: 'int' }], ret: 'int', do: [{ cell: 'other', to: 1 }, 'old'] };
    const writesPool = { params: [{ old: 'int' }], ret: 'int', do: [{ pool: 'p', path: [['z']], to: 1, init: 0 }, 'old'] };
    const deletes = { params: [{ old: 'int' }], ret: 'int', do: [{ pool: 'p', del: ['z'] }, 'old'] };
    for (const to of [writesCell, writesPool, deletes]) {
      expect(code({ ...base, action: [{ cell: 'c', to }, 0] })).toBe('impure-update');
      expect(code({ ...base, action: [{ pool: 'p', path: [['k']], to, init: 0 }, 0] })).toBe('impure-update');
    }
  });

  it('so is one that does it through a chain of user functions, named in the message', () => {
    const fcns = {
      a: { params: [{ x: 'int' }], ret: 'int', do: { 'u.b': ['x'] } },
      b: { params: [{ x: 'int' }], ret: 'int', do: [{ cell: 'other', to: 'x' }, 'x'] },
    };
    const doc = { ...base, fcns, action: [{ cell: 'c', to: { fcn: 'u.a' } }, 0] };
    expect(() => checkPfaSource(doc)).toThrow(
      /update function of cell-to must not modify cells or pools \(it calls u\.a, which calls u\.b, which modifies them\)/,
    );
    // Through a function passed to a library function inside the update function.
    const viaMap = {
      params: [{ old: 'int' }],
      ret: 'int',
      do: { 'a.len': [{ 'a.map': [{ value: [1], type: { type: 'array', items: 'int' } }, { fcn: 'u.b' }] }] },
    };
    expect(code({ ...base, fcns, action: [{ cell: 'c', to: viaMap }, 0] })).toBe('impure-update');
  });

  it('a mutually recursive pure pair is fine (the call graph is walked, not followed)', () => {
    const fcns = {
      even: { params: [{ n: 'int' }], ret: 'int', do: { if: { '<=': ['n', 0] }, then: 0, else: { 'u.odd': [{ '-': ['n', 1] }] } } },
      odd: { params: [{ n: 'int' }], ret: 'int', do: { if: { '<=': ['n', 0] }, then: 1, else: { 'u.even': [{ '-': ['n', 1] }] } } },
    };
    expect(code({ ...base, fcns, action: [{ cell: 'c', to: { fcn: 'u.even' } }, 0] })).toBeUndefined();
  });

  it("pool-to's init must not modify cells or pools either", () => {
    const fcns = { side: { params: [], ret: 'int', do: [{ cell: 'other', to: 5 }, 0] } };
    expect(code({ ...base, fcns, action: [{ pool: 'p', path: [['k']], to: 1, init: { 'u.side': [] } }, 0] })).toBe('impure-update');
    expect(code({ ...base, action: [{ pool: 'p', path: [['k']], to: 1, init: { do: [{ cell: 'other', to: 5 }, 0] } }, 0] })).toBe(
      'impure-update',
    );
  });

  it('other places may modify state freely (attr-to update functions, plain values)', () => {
    const fcns = { side: { params: [{ x: 'int' }], ret: 'int', do: [{ cell: 'other', to: 'x' }, 'x'] } };
    expect(code({ ...base, fcns, action: [{ cell: 'c', to: { 'u.side': [3] } }, 0] })).toBeUndefined();
    const attrTo = { attr: { value: [1], type: { type: 'array', items: 'int' } }, path: [0], to: { fcn: 'u.side' } };
    expect(code({ ...base, fcns, action: [attrTo, 0] })).toBeUndefined();
  });

  it('an update function may name its parameter like a symbol of the enclosing scope', () => {
    const e = loadPfa({
      ...base,
      action: [
        { let: { old: 'input' } },
        { cell: 'c', to: inc },
        { pool: 'p', path: [['k']], to: inc, init: 'old' },
        { '+': ['old', { cell: 'c' }] },
      ],
    });
    expect(e.action(10)).toBe(11);
    expect(e.snapshot()).toEqual({ cells: { c: 1, other: 0 }, pools: { p: { k: 11 } } });
  });

  it('many update functions over a long chain of calls are judged without walking the chain for each', () => {
    const n = 5000;
    const fcns: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) fcns[`f${i}`] = { params: [{ x: 'int' }], ret: 'int', do: i === n - 1 ? 'x' : { [`u.f${i + 1}`]: ['x'] } };
    const sites = Array.from({ length: n }, () => ({ cell: 'c', to: { fcn: 'u.f0' } }));
    expect(code({ ...base, fcns, action: [...sites, 0] })).toBeUndefined();
    const last = fcns[`f${n - 1}`] as { do: unknown };
    last.do = [{ pool: 'p', del: ['k'] }, 'x'];
    expect(code({ ...base, fcns, action: [...sites, 0] })).toBe('impure-update');
    expect(() => checkPfaSource({ ...base, fcns, action: [...sites, 0] })).toThrow(
      /it calls u\.f0, which calls u\.f1, which through 4997 more calls reaches u\.f4999, which modifies them\)$/,
    );
  });
});
