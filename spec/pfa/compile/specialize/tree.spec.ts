import { describe, expect, it } from 'vitest';
import { checkPfaSource } from '../../../../src/pfa/load.js';
import { MAX_INLINE_SPLITS } from '../../../../src/pfa/compile/specialize/tree.js';
import { expectBackendsAgree, specializedCalls } from './_backends.js';
import { SIMPLE_TEST, fullTree, treeNodeType, treeWalkDocument } from '../../../helpers/trees.js';

const FIELDS = ['x', 'y', 'z'];
const DATUM = {
  type: 'record',
  name: 'D',
  fields: [
    { name: 'x', type: 'double' },
    { name: 'y', type: 'int' },
    { name: 'z', type: 'float' },
  ],
};
const NODE = treeNodeType(FIELDS);
const TEST = SIMPLE_TEST;

/** A full tree of the given depth cycling through fields and operators by level; leaves name their path. */
const tree = (depth: number, ops: readonly string[]): unknown =>
  fullTree(
    depth,
    ({ level }) => ({ field: FIELDS[level % 3]!, operator: ops[level % ops.length]!, value: ((level * 7) % 10) / 10 }),
    ({ path }) => ({ string: path || 'root' }),
  );

const inputs = Array.from({ length: 200 }, (_, i) => ({ x: ((i * 37) % 100) / 100, y: i % 3, z: Math.fround(((i * 13) % 10) / 10) }));
inputs.push({ x: NaN, y: 0, z: 0.5 }, { x: 0.7, y: -1, z: Math.fround(0.7) });

const walkDoc = (init: unknown, extra: object = {}) => treeWalkDocument(DATUM, NODE, init, extra);

describe('specialised trees', () => {
  it('compiles a small tree into nested ifs with the same leaves for every operator', () => {
    const doc = walkDoc(tree(4, ['<', '<=', '>', '>=', '==', '!=']));
    expect(specializedCalls(doc)).toEqual(['model.tree.simpleWalk']);
    const out = expectBackendsAgree(doc, inputs);
    expect(new Set(out.map((o) => JSON.stringify(o))).size).toBeGreaterThan(4);
  });

  it('walks a tree of more splits than nested ifs are made for over flat arrays', () => {
    expect(2 ** 16 - 1).toBeGreaterThan(MAX_INLINE_SPLITS);
    const doc = walkDoc(tree(16, ['<', '>=']));
    expect(specializedCalls(doc)).toEqual(['model.tree.simpleWalk']);
    expectBackendsAgree(doc, inputs);
  });

  it('compiles simpleTree and a model.tree.simpleTest reference alike', () => {
    const init = tree(3, ['<']);
    const byRef = walkDoc(init, { action: { 'model.tree.simpleWalk': ['input', { cell: 'tree' }, { fcn: 'model.tree.simpleTest' }] } });
    const simpleTree = walkDoc(init, { action: { 'model.tree.simpleTree': ['input', { cell: 'tree' }] } });
    for (const doc of [byRef, simpleTree]) {
      expect(specializedCalls(doc)).toHaveLength(1);
      expectBackendsAgree(doc, inputs);
    }
  });

  it('keeps the generic walk for operators it does not compile, and for trees a cell-to may change', () => {
    const membership = walkDoc({ field: 'y', operator: 'in', value: 1, pass: { string: 'a' }, fail: { string: 'b' } });
    expect(specializedCalls(membership)).toEqual([]);
    expectBackendsAgree(membership, inputs);
    const written = walkDoc(tree(2, ['<']), {
      action: [{ cell: 'tree', to: { cell: 'tree' } }, { 'model.tree.simpleWalk': ['input', { cell: 'tree' }, TEST] }],
    });
    expect(checkPfaSource(written).constantCells.has('tree')).toBe(false);
    expect(specializedCalls(written)).toEqual([]);
  });

  it('scores ensembles: the array of scores, their sum and their mean', () => {
    const leafTree = (k: number): unknown => ({
      field: 'x',
      operator: '<',
      value: k / 10,
      pass: { double: k },
      fail: { N: { field: 'z', operator: '>=', value: 0.5, pass: { double: -k }, fail: { double: k / 3 } } },
    });
    const node = treeNodeType(FIELDS, 'double');
    const scores = {
      'a.map': [{ cell: 'forest' }, { params: [{ tree: 'N' }], ret: 'double', do: { 'model.tree.simpleWalk': ['input', 'tree', TEST] } }],
    };
    for (const [action, output, name] of [
      [scores, { type: 'array', items: 'double' }, 'a.map'],
      [{ 'a.sum': [scores] }, 'double', 'a.sum'],
      [{ 'a.mean': [scores] }, 'double', 'a.mean'],
    ] as const) {
      const doc = {
        input: DATUM,
        output,
        cells: { forest: { type: { type: 'array', items: node }, init: Array.from({ length: 7 }, (_, k) => leafTree(k)) } },
        action,
      };
      expect(specializedCalls(doc)).toContain(name);
      expectBackendsAgree(doc, inputs);
    }
  });

  it('walks ensembles of trees of unequal depths in lockstep groups, with string leaves too', () => {
    // Trees of depths 1 to 10, so a group's walks end at different steps: 19 (two groups of eight
    // walked in lockstep and a narrower group of what is left), 16 (nothing left) and 5 (only a
    // narrower group).
    const counts = [19, 16, 5];
    const forest = (ops: readonly string[]) =>
      Array.from({ length: counts[ops.length % counts.length]! }, (_, k) => tree((k % 10) + 1, ops));
    for (const ops of [['<'], ['<=', '>', '!='], ['>=', '<']]) {
      const scores = {
        'a.map': [{ cell: 'forest' }, { params: [{ tree: 'N' }], ret: 'string', do: { 'model.tree.simpleWalk': ['input', 'tree', TEST] } }],
      };
      const doc = {
        input: DATUM,
        output: { type: 'array', items: 'string' },
        cells: { forest: { type: { type: 'array', items: NODE }, init: forest(ops) } },
        action: scores,
      };
      expect(specializedCalls(doc)).toContain('a.map');
      const out = expectBackendsAgree(doc, inputs);
      expect(new Set(out.map((o) => JSON.stringify(o))).size).toBeGreaterThan(5);
    }
  });
});

describe('specialised missing-value trees', () => {
  const datum = {
    type: 'record',
    name: 'MD',
    fields: [
      { name: 'x', type: ['null', 'double'] },
      { name: 'y', type: ['null', 'double'] },
    ],
  };
  const node = {
    type: 'record',
    name: 'MN',
    fields: [
      { name: 'field', type: { type: 'enum', name: 'MF', symbols: ['x', 'y'] } },
      { name: 'operator', type: 'string' },
      { name: 'value', type: 'double' },
      { name: 'ifMissing', type: ['null', 'boolean'] },
      { name: 'pass', type: ['double', 'MN'] },
      { name: 'fail', type: ['double', 'MN'] },
      { name: 'missing', type: ['double', 'MN'] },
    ],
  };
  // The missing-aware test the PMML lowering writes: missingTest, with the node's ifMissing for an unknown result.
  const test = {
    params: [{ d: 'MD' }, { t: 'MN' }],
    ret: ['null', 'boolean'],
    do: [
      { ifnotnull: { r: { 'model.tree.missingTest': ['d', 't'] } }, then: { upcast: 'r', as: ['null', 'boolean'] }, else: 't.ifMissing' },
    ],
  };
  const missingTree = (k: number): unknown => ({
    field: 'x',
    operator: '<',
    value: k / 10,
    ifMissing: null,
    pass: { double: k },
    fail: {
      MN: {
        field: 'y',
        operator: '>=',
        value: 0.5,
        ifMissing: { boolean: k % 2 === 0 },
        pass: { double: -k },
        fail: { double: k / 3 },
        missing: { double: 100 + k },
      },
    },
    missing: { double: 200 + k },
  });
  const rows = Array.from({ length: 60 }, (_, i) => ({
    x: i % 5 === 0 ? null : ((i * 37) % 100) / 100,
    y: i % 7 === 0 ? null : ((i * 11) % 10) / 10,
  }));

  it('compiles a missingWalk over a constant tree', () => {
    const doc = {
      input: datum,
      output: 'double',
      cells: { tree: { type: node, init: missingTree(4) } },
      action: { 'model.tree.missingWalk': ['input', { cell: 'tree' }, test] },
    };
    expect(specializedCalls(doc)).toEqual(['model.tree.missingWalk']);
    const out = expectBackendsAgree(doc, rows);
    expect(new Set(out.map((o) => JSON.stringify(o))).size).toBeGreaterThan(3);
  });

  it('compiles ensembles of missingWalks: the array of scores, their sum and their mean', () => {
    const scores = {
      'a.map': [{ cell: 'forest' }, { params: [{ tree: 'MN' }], ret: 'double', do: { 'model.tree.missingWalk': ['input', 'tree', test] } }],
    };
    for (const [action, output, name] of [
      [scores, { type: 'array', items: 'double' }, 'a.map'],
      [{ 'a.sum': [scores] }, 'double', 'a.sum'],
      [{ 'a.mean': [scores] }, 'double', 'a.mean'],
    ] as const) {
      const doc = {
        input: datum,
        output,
        cells: { forest: { type: { type: 'array', items: node }, init: Array.from({ length: 9 }, (_, k) => missingTree(k)) } },
        action,
      };
      expect(specializedCalls(doc)).toEqual([name]);
      expectBackendsAgree(doc, rows);
    }
  });
});
