import { describe, expect, it } from 'vitest';
import { T, type AvroType, type RecordType } from '../../../../src/avro/types.js';
import { errorCode, implFor } from '../_direct-call.js';
import { errorOf, scorer } from './_pfa.js';

const datumSchema = {
  type: 'record',
  name: 'Datum',
  fields: [
    { name: 'x', type: 'int' },
    { name: 'y', type: 'string' },
    { name: 'z', type: ['null', 'double'] },
    { name: 'big', type: 'long' },
  ],
};
const fieldEnum = { type: 'enum', name: 'F', symbols: ['x', 'y', 'z', 'big'] };

/** A document applying `fcn` (simpleTest or missingTest) to a datum and a comparison whose value has `valueType`. */
function testDoc(fcn: string, valueType: unknown, output: unknown = 'boolean') {
  return scorer({
    input: {
      type: 'record',
      name: 'Input',
      fields: [
        { name: 'datum', type: datumSchema },
        {
          name: 'comparison',
          type: {
            type: 'record',
            name: 'Comparison',
            fields: [
              { name: 'field', type: fieldEnum },
              { name: 'operator', type: 'string' },
              { name: 'value', type: valueType },
            ],
          },
        },
      ],
    },
    output,
    action: { [fcn]: ['input.datum', 'input.comparison'] },
  });
}

const datum = { x: 3, y: 'b', z: null, big: '9007199254740993' }; // a long beyond 2^53, as a digit string
const cmp = (field: string, operator: string, value: unknown) => ({ datum, comparison: { field, operator, value } });

describe('model.tree.simpleTest', () => {
  const numeric = testDoc('model.tree.simpleTest', 'double');
  const strings = testDoc('model.tree.simpleTest', 'string');
  const sets = testDoc('model.tree.simpleTest', { type: 'array', items: 'string' });
  const nullable = testDoc('model.tree.simpleTest', ['null', 'double']);

  it('compares numbers across numeric types', () => {
    expect(numeric(cmp('x', '<', 3.5))).toBe(true);
    expect(numeric(cmp('x', '<=', 3))).toBe(true);
    expect(numeric(cmp('x', '>', 3))).toBe(false);
    expect(numeric(cmp('x', '>=', 3))).toBe(true);
    expect(numeric(cmp('x', '==', 3))).toBe(true);
    expect(numeric(cmp('x', '!=', 3))).toBe(false);
  });

  it('compares a long field exactly with a double value', () => {
    // 2^53 + 1 is not a double: the long is one above the double 2^53.
    expect(numeric(cmp('big', '>', 9007199254740992))).toBe(true);
    expect(numeric(cmp('big', '==', 9007199254740992))).toBe(false);
  });

  it('follows IEEE semantics for NaN', () => {
    expect(numeric(cmp('x', '<', 'NaN'))).toBe(false);
    expect(numeric(cmp('x', '==', 'NaN'))).toBe(false);
    expect(numeric(cmp('x', '!=', 'NaN'))).toBe(true);
  });

  it('compares strings by their order', () => {
    expect(strings(cmp('y', '<', 'c'))).toBe(true);
    expect(strings(cmp('y', '==', 'b'))).toBe(true);
    expect(strings(cmp('y', '>=', 'c'))).toBe(false);
  });

  it('tests membership with in and notIn', () => {
    expect(sets(cmp('y', 'in', ['a', 'b']))).toBe(true);
    expect(sets(cmp('y', 'notIn', ['a', 'b']))).toBe(false);
    expect(sets(cmp('y', 'in', []))).toBe(false);
  });

  it('answers the value-free operators for any field', () => {
    expect(strings(cmp('x', 'alwaysTrue', 'ignored'))).toBe(true);
    expect(strings(cmp('x', 'alwaysFalse', 'ignored'))).toBe(false);
    expect(strings(cmp('z', 'isMissing', 'ignored'))).toBe(true);
    expect(strings(cmp('z', 'notMissing', 'ignored'))).toBe(false);
    expect(strings(cmp('x', 'isMissing', 'ignored'))).toBe(false);
  });

  it('compares a nullable field with a value of the same union type', () => {
    expect(nullable({ datum: { ...datum, z: { double: 1.5 } }, comparison: { field: 'z', operator: '>', value: { double: 1 } } })).toBe(
      true,
    );
    expect(nullable({ datum, comparison: { field: 'z', operator: '==', value: null } })).toBe(true);
  });

  it('raises 32001 when the field and the value cannot be compared', () => {
    expect(errorOf(strings, cmp('x', '<', 'a'))).toBe(32001);
    expect(errorOf(sets, cmp('x', 'in', ['a']))).toBe(32001);
    expect(errorOf(numeric, cmp('z', '<', 1))).toBe(32001); // a nullable field is not a number
    // the value type accepts numbers, but this value is null
    expect(errorOf(nullable, cmp('x', '<', null))).toBe(32001);
  });

  it('raises 32000 for an unknown operator, after checking the types', () => {
    expect(errorOf(numeric, cmp('x', '~', 1))).toBe(32000);
    expect(errorOf(strings, cmp('y', 'like', 'b'))).toBe(32000);
    expect(errorOf(strings, cmp('x', 'like', 'b'))).toBe(32001);
  });
});

describe('model.tree.missingTest', () => {
  const out = ['null', 'boolean'];
  const numeric = testDoc('model.tree.missingTest', 'double', out);
  const sets = testDoc('model.tree.missingTest', { type: 'array', items: 'double' }, out);

  it('compares a nullable field by its non-null type', () => {
    expect(numeric({ datum: { ...datum, z: { double: 2 } }, comparison: { field: 'z', operator: '<', value: 3 } })).toEqual({
      boolean: true,
    });
    expect(sets({ datum: { ...datum, z: { double: 2 } }, comparison: { field: 'z', operator: 'in', value: [1, 2] } })).toEqual({
      boolean: true,
    });
  });

  it('returns null for a missing field', () => {
    expect(numeric(cmp('z', '<', 3))).toBeNull();
    expect(sets(cmp('z', 'notIn', [1]))).toBeNull();
    // the operator is only checked for present values
    expect(numeric(cmp('z', 'bogus', 3))).toBeNull();
  });

  it('does not know isMissing and notMissing', () => {
    expect(errorOf(numeric, cmp('x', 'isMissing', 0))).toBe(32010);
    expect(errorOf(numeric, cmp('y', '<', 0))).toBe(32011);
  });
});

describe('model.tree.compoundTest and surrogateTest', () => {
  const record = (name: string, fields: [string, unknown][]) => ({
    type: 'record',
    name,
    fields: fields.map(([n, t]) => ({ name: n, type: t })),
  });
  const compound = scorer({
    input: record('Input', [
      ['op', 'string'],
      ['limits', { type: 'array', items: record('Limit', [['max', 'int']]) }],
    ]),
    output: 'boolean',
    action: {
      'model.tree.compoundTest': [
        { new: { x: 5 }, type: record('D', [['x', 'int']]) },
        'input.op',
        'input.limits',
        { params: [{ d: 'D' }, { t: 'Limit' }], ret: 'boolean', do: { '<': ['d.x', 't.max'] } },
      ],
    },
  });

  it('combines tests with and, or and xor', () => {
    const limits = [{ max: 6 }, { max: 4 }, { max: 9 }];
    expect(compound({ op: 'and', limits })).toBe(false);
    expect(compound({ op: 'or', limits })).toBe(true);
    expect(compound({ op: 'xor', limits })).toBe(false);
    expect(compound({ op: 'xor', limits: [{ max: 6 }] })).toBe(true);
    expect(compound({ op: 'and', limits: [] })).toBe(true);
    expect(compound({ op: 'or', limits: [] })).toBe(false);
    expect(errorOf(compound, { op: 'nand', limits })).toBe(32020);
  });

  it('stops at the first deciding test', () => {
    let calls = 0;
    const f = implFor('model.tree.compoundTest', []);
    const test = (_d: unknown, t: { pass: boolean }) => (calls++, t.pass);
    expect(f({}, 'and', [{ pass: false }, { pass: true }], test)).toBe(false);
    expect(calls).toBe(1);
    expect(f({}, 'or', [{ pass: true }, { pass: false }], test)).toBe(true);
    expect(calls).toBe(2);
  });

  it('surrogateTest takes the first non-null result', () => {
    const f = implFor('model.tree.surrogateTest', []);
    const test = (_d: unknown, t: { r: boolean | null }) => t.r;
    expect(f({}, [{ r: null }, { r: false }, { r: true }], test)).toBe(false);
    expect(errorCode(() => f({}, [{ r: null }], test))).toBe(32030);
    expect(errorCode(() => f({}, [], test))).toBe(32030);
  });
});

/** A tree node record type whose branches hold nodes or leaves of type `leaf`. */
function nodeType(extraFields: { name: string; type: AvroType }[], leaf: AvroType, branches = ['pass', 'fail']): RecordType {
  const node: RecordType = { kind: 'record', fullName: 'Node', name: 'Node', fields: [] };
  const branch = T.union([node, ...(leaf.kind === 'union' ? leaf.types : [leaf])]);
  node.fields = [...extraFields, ...branches.map((name) => ({ name, type: branch }))].map((f) => ({ ...f, hasDefault: false }));
  return node;
}

const datumType: RecordType = {
  kind: 'record',
  fullName: 'Datum',
  name: 'Datum',
  fields: [
    { name: 'x', type: T.double, hasDefault: false },
    { name: 'color', type: T.string, hasDefault: false },
  ],
};

describe('model.tree.simpleWalk and missingWalk', () => {
  // Leaves that are records too (with other fields): the walk must resolve the union branch.
  const scoreType: RecordType = {
    kind: 'record',
    fullName: 'Score',
    name: 'Score',
    fields: [{ name: 'label', type: T.string, hasDefault: false }],
  };
  const node = nodeType([{ name: 'cut', type: T.double }], scoreType);
  const tree = {
    cut: 0,
    pass: { cut: 10, pass: { label: 'big' }, fail: { label: 'medium' } },
    fail: { label: 'negative' },
  };
  const walk = implFor('model.tree.simpleWalk', [datumType, node]);
  const aboveCut = (d: { x: number }, n: { cut: number }) => d.x > n.cut;

  it('descends until it reaches a leaf', () => {
    expect(walk({ x: 20, color: '' }, tree, aboveCut)).toEqual({ label: 'big' });
    expect(walk({ x: 5, color: '' }, tree, aboveCut)).toEqual({ label: 'medium' });
    expect(walk({ x: -1, color: '' }, tree, aboveCut)).toEqual({ label: 'negative' });
  });

  it('returns null leaves', () => {
    const nullable = nodeType([{ name: 'cut', type: T.double }], T.union([T.null, T.int]));
    const f = implFor('model.tree.simpleWalk', [datumType, nullable]);
    expect(f({ x: 1, color: '' }, { cut: 0, pass: null, fail: 7 }, aboveCut)).toBeNull();
    expect(f({ x: -1, color: '' }, { cut: 0, pass: null, fail: 7 }, aboveCut)).toBe(7);
  });

  it('missingWalk follows the missing branch on a null test result', () => {
    const mnode = nodeType([{ name: 'cut', type: T.double }], T.string, ['pass', 'fail', 'missing']);
    const f = implFor('model.tree.missingWalk', [datumType, mnode]);
    const mtree = { cut: 0, pass: 'pos', fail: 'neg', missing: { cut: 1, pass: 'p2', fail: 'n2', missing: 'unknown' } };
    const test = (d: { x: number }, n: { cut: number }) => (Number.isNaN(d.x) ? null : d.x > n.cut);
    expect(f({ x: 2, color: '' }, mtree, test)).toBe('pos');
    expect(f({ x: -2, color: '' }, mtree, test)).toBe('neg');
    expect(f({ x: NaN, color: '' }, mtree, test)).toBe('unknown');
  });
});

describe('model.tree.simpleTree', () => {
  const node = nodeType(
    [
      { name: 'field', type: { kind: 'enum', fullName: 'F', name: 'F', symbols: ['x', 'color'] } },
      { name: 'operator', type: T.string },
      { name: 'value', type: T.union([T.double, T.array(T.string)]) },
    ],
    T.string,
  );
  const tree = {
    field: 'x',
    operator: '<',
    value: 2,
    pass: { field: 'color', operator: 'in', value: ['red', 'blue'], pass: 'small primary', fail: 'small other' },
    fail: 'large',
  };
  const f = implFor('model.tree.simpleTree', [datumType, node]);

  it('walks the tree with the built-in comparison', () => {
    expect(f({ x: 1, color: 'red' }, tree)).toBe('small primary');
    expect(f({ x: 1, color: 'green' }, tree)).toBe('small other');
    expect(f({ x: 3, color: 'red' }, tree)).toBe('large');
  });

  it('raises the comparison errors with its own codes', () => {
    expect(errorCode(() => f({ x: 1, color: 'red' }, { ...tree, operator: '<>' }))).toBe(32060);
    expect(errorCode(() => f({ x: 1, color: 'red' }, { ...tree, value: ['a'] }))).toBe(32061);
  });
});
