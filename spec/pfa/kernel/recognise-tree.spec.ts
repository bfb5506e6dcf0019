import { describe, expect, it } from 'vitest';
import { checkPfaSource } from '../../../src/pfa/load.js';
import { Compiler } from '../../../src/pfa/compile/compiler.js';
import { RuntimeLink } from '../../../src/pfa/compile/runtime.js';
import type { ForestProgram } from '../../../src/pfa/kernel/ir.js';
import { recogniseTree } from '../../../src/pfa/kernel/recognise-tree.js';
import { SIMPLE_TEST, datumType, treeNodeType, treeWalkDocument } from '../../helpers/trees.js';

/** The forest program recognised for each library call of the action the compiler offers, by function name. */
function recognised(doc: object): Record<string, ForestProgram | undefined> {
  const checked = checkPfaSource(doc);
  const found: Record<string, ForestProgram | undefined> = {};
  new Compiler(checked, new RuntimeLink(), (call) => {
    found[call.target.fn.name] = recogniseTree(call)?.program;
    return undefined;
  }).body(checked.doc.action);
  return found;
}

const FIELDS = ['x', 'y'];
const small = {
  field: 'x',
  operator: '<=',
  value: 0.5,
  pass: { string: 'a' },
  fail: { N: { field: 'y', operator: '!=', value: 2, pass: { string: 'b' }, fail: { string: 'c' } } },
};

const MISSING_DATUM = {
  type: 'record',
  name: 'MD',
  fields: [
    { name: 'n', type: ['null', 'double'] },
    { name: 's', type: ['null', 'string'] },
  ],
};
const missingNode = (items: string) => ({
  type: 'record',
  name: 'MN',
  fields: [
    { name: 'field', type: { type: 'enum', name: 'MF', symbols: ['n', 's'] } },
    { name: 'operator', type: 'string' },
    { name: 'value', type: ['double', 'string', { type: 'array', items }] },
    { name: 'ifMissing', type: ['null', 'boolean'] },
    { name: 'pass', type: ['double', 'MN'] },
    { name: 'fail', type: ['double', 'MN'] },
    { name: 'missing', type: ['double', 'MN'] },
  ],
});
/** The missing-aware test the PMML lowering writes. */
const MISSING_TEST = {
  params: [{ d: 'MD' }, { t: 'MN' }],
  ret: ['null', 'boolean'],
  do: [{ ifnotnull: { r: { 'model.tree.missingTest': ['d', 't'] } }, then: 'r', else: 't.ifMissing' }],
};
const missingDoc = (init: unknown, test: unknown = MISSING_TEST, items = 'string') => ({
  input: MISSING_DATUM,
  output: 'double',
  cells: { tree: { type: missingNode(items), init } },
  action: { 'model.tree.missingWalk': ['input', { cell: 'tree' }, test] },
});

describe('the tree recogniser', () => {
  it('reads a walk over a constant tree into typed compare splits', () => {
    const doc = treeWalkDocument(datumType(FIELDS), treeNodeType(FIELDS), small);
    const program = recognised(doc)['model.tree.simpleWalk'];
    expect(program).toMatchObject({
      kind: 'compare',
      reduce: 'one',
      convert: undefined,
      trees: [
        {
          field: 'x',
          test: { kind: 'compare', op: '<=', value: 0.5 },
          pass: { leaf: 'a' },
          fail: { field: 'y', test: { kind: 'compare', op: '!=', value: 2 }, pass: { leaf: 'b' }, fail: { leaf: 'c' } },
        },
      ],
    });
  });

  it('reads missing-aware splits: string equality and sets as membership, ifMissing as the branch a null field takes', () => {
    const init = {
      field: 's',
      operator: '!=',
      value: { string: 'u' },
      ifMissing: null,
      pass: { double: 1 },
      fail: {
        MN: {
          field: 's',
          operator: 'notIn',
          value: { array: ['v', 'w'] },
          ifMissing: { boolean: true },
          pass: { double: 2 },
          fail: { double: 3 },
          missing: { double: 4 },
        },
      },
      missing: {
        MN: {
          field: 'n',
          operator: '>',
          value: { double: 1.5 },
          ifMissing: { boolean: false },
          pass: { double: 5 },
          fail: { double: 6 },
          missing: { double: 7 },
        },
      },
    };
    const program = recognised(missingDoc(init))['model.tree.missingWalk'];
    expect(program?.kind).toBe('missing');
    expect(program).toMatchObject({
      reduce: 'one',
      strings: new Set(['s']),
      trees: [
        {
          test: { kind: 'member', set: ['u'], negate: true },
          ifMissing: 'missing',
          fail: { test: { kind: 'member', set: ['v', 'w'], negate: true }, ifMissing: 'pass', missing: { leaf: 4 } },
          missing: { field: 'n', test: { kind: 'compare', op: '>', value: 1.5 }, ifMissing: 'fail', pass: { leaf: 5 } },
        },
      ],
    });
  });

  it('has no program for a node the kernels do not compute, a test other than the known ones, or a tree that may change', () => {
    const node = treeNodeType(FIELDS);
    const datum = datumType(FIELDS);
    const membership = treeWalkDocument(datum, node, { ...small, operator: 'in' });
    const longField = treeWalkDocument(
      {
        ...datum,
        fields: [
          { name: 'x', type: 'long' },
          { name: 'y', type: 'double' },
        ],
      },
      node,
      small,
    );
    const otherTest = treeWalkDocument(datum, node, small, {
      action: { 'model.tree.simpleWalk': ['input', { cell: 'tree' }, { params: [{ d: 'D' }, { t: 'N' }], ret: 'boolean', do: true }] },
    });
    const written = treeWalkDocument(datum, node, small, {
      action: [{ cell: 'tree', to: { cell: 'tree' } }, { 'model.tree.simpleWalk': ['input', { cell: 'tree' }, SIMPLE_TEST] }],
    });
    for (const doc of [membership, longField, otherTest, written]) expect(recognised(doc)['model.tree.simpleWalk']).toBeUndefined();
    const leaf = {
      field: 'n',
      operator: '<',
      value: { double: 1 },
      ifMissing: null,
      pass: { double: 1 },
      fail: { double: 2 },
      missing: { double: 3 },
    };
    // Without the ifMissing fallback a null field goes to `missing` whatever the node says: not the test the kernels take.
    expect(recognised(missingDoc(leaf, { fcn: 'model.tree.missingTest' }))['model.tree.missingWalk']).toBeUndefined();
    expect(recognised(missingDoc(leaf))['model.tree.missingWalk']).toBeDefined();
    // A number field tested against a set of strings, or a string field against numbers, is an
    // error of the generic walk, so no program.
    expect(recognised(missingDoc({ ...leaf, operator: 'in', value: { array: ['1'] } }))['model.tree.missingWalk']).toBeUndefined();
    expect(
      recognised(missingDoc({ ...leaf, operator: 'in', value: { array: [1] } }, MISSING_TEST, 'double'))['model.tree.missingWalk'],
    ).toBeDefined();
    expect(
      recognised(missingDoc({ ...leaf, field: 's', operator: 'in', value: { array: [1] } }, MISSING_TEST, 'double'))[
        'model.tree.missingWalk'
      ],
    ).toBeUndefined();
  });

  it('reads ensembles whose datum comes from outside the mapped function, with the conversion of their leaves', () => {
    const node = treeNodeType(FIELDS, 'int');
    const tree = { field: 'x', operator: '<', value: 0, pass: { int: 1 }, fail: { int: 2 } };
    const walk = (datum: string) => ({ 'model.tree.simpleWalk': [datum, 'tree', SIMPLE_TEST] });
    const map = (ret: string, body: unknown) => ({ 'a.map': [{ cell: 'forest' }, { params: [{ tree: 'N' }], ret, do: body }] });
    const doc = (output: unknown, action: unknown) => ({
      input: datumType(FIELDS),
      output,
      cells: { forest: { type: { type: 'array', items: node }, init: [tree, tree] } },
      action,
    });
    const sum = recognised(doc('double', { 'a.sum': [map('double', walk('input'))] }));
    expect(sum['a.sum']).toMatchObject({ kind: 'compare', reduce: 'sum' });
    expect(sum['a.sum']!.trees).toHaveLength(2);
    // An int is a number, as a double is: nothing to convert.
    expect(sum['a.sum']!.convert).toBeUndefined();
    const ints = recognised(doc({ type: 'array', items: 'int' }, map('int', walk('input'))));
    expect(ints['a.map']).toMatchObject({ reduce: 'array', convert: undefined });
    // A long is a bigint: int leaves are converted on their way out of a map to longs.
    const longs = recognised(doc({ type: 'array', items: 'long' }, map('long', walk('input'))));
    expect(longs['a.map']?.convert?.(2)).toBe(2n);
    // An int sum checks for overflow, which the kernels do not: only the map is a kernel.
    const intSum = recognised(doc('int', { 'a.sum': [map('int', walk('input'))] }));
    expect(intSum['a.sum']).toBeUndefined();
    expect(intSum['a.map']).toMatchObject({ reduce: 'array' });
    // The datum bound inside the mapped function is read per tree: no ensemble.
    const inner = recognised(doc({ type: 'array', items: 'int' }, map('int', [{ let: { d: 'input' } }, walk('d')])));
    expect(inner['a.map']).toBeUndefined();
  });
});
