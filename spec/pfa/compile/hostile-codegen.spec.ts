/**
 * Documents whose names, strings and numbers are chosen to break generated code, through every
 * emitter of the specialised backend: trees, linear models, neural layers, clusters, expression
 * regions, the input check and the action driver, and the columnar record scorer. Each must give
 * the closure backend's answers (which generates no code), and no string may run as code: every
 * hostile string carries a statement that would mark the global object if it ever ran.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadPfa } from '../../../src/index.js';
import { expectBackendsAgree, specializedCalls } from './specialize/_backends.js';
import { SIMPLE_TEST, datumType, fullTree, treeNodeType, treeWalkDocument, type Position } from '../../helpers/trees.js';
import { ARRAY, LAYER, linearModel } from '../../helpers/model-types.js';

const MARK = '__trajanEscaped';
const escapeTo = (s: string) => s.replace('X', `globalThis.${MARK} = 1`);

/** Strings that end a literal, a statement or a line in every way JS has. */
const HOSTILE = [
  'a"b',
  "a'b",
  '`${X}`',
  escapeTo('`${X}`'),
  escapeTo('"; X; "'),
  escapeTo("'; X; '"),
  escapeTo('`; X; `'),
  escapeTo('};X;//'),
  escapeTo('\\"; X; //'),
  escapeTo('x\u2028X\u2029y'),
  escapeTo('*/ X /*'),
  escapeTo('</script>X'),
  '\\',
  '',
  '__proto__',
  'constructor',
  '0',
  '1e3',
];

/** Record field names the Avro grammar allows that mean something to JS objects or parsers. */
const NAMES = ['__proto__', 'constructor', 'return', 'toString', 'valueOf', 'NaN', 'Infinity', 'undefined', 'this', 'f0', 'x0'];

/** Numbers whose text is easy to get wrong. */
const NUMBERS = [-0, 0, NaN, Infinity, -Infinity, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324, -5e-324, 0.1, 2 ** 53 + 2];

/**
 * Inputs parsed from JSON text, so that a field named __proto__ is an own field as the engine's
 * fromJson makes it (assigning an own data property then sets it, not the prototype).
 */
const records = (values: readonly number[]): Record<string, unknown>[] =>
  values.map((v, i) => {
    const r = JSON.parse(`{${NAMES.map((n) => `${JSON.stringify(n)}: 0`).join(', ')}}`) as Record<string, unknown>;
    for (const [j, n] of NAMES.entries()) r[n] = j === 0 ? v : (i + j) % 5;
    return r;
  });

const vectors = (n: number) => [
  ...NUMBERS.map((x) => Array(n).fill(x)),
  ...Array.from({ length: 20 }, (_, i) => Array.from({ length: n }, (_, j) => Math.sin(i * 7 + j))),
  Array(n + 1).fill(1),
];

afterAll(() => {
  expect((globalThis as Record<string, unknown>)[MARK]).toBeUndefined();
});

describe('hostile documents through every emitter', () => {
  it('trees: fields named like JS internals, hostile leaves and operators', () => {
    // Fields are read with quoted keys where they are not plain identifiers, so a field named
    // __proto__ compiles; an operator the kernel does not know makes it decline (the generic walk
    // then runs, and raises the same error).
    const cases = [
      { names: NAMES, hostileOperator: false, compiled: true },
      { names: NAMES, hostileOperator: true, compiled: false },
    ];
    for (const { names, hostileOperator, compiled } of cases) {
      const leaf = ({ index }: Position) => ({ string: HOSTILE[index % HOSTILE.length] });
      const operator = (i: number) => (hostileOperator && i === 6 ? escapeTo('<=; X; //') : ['<', '<=', '>', '>=', '==', '!='][i % 6]!);
      // A full tree over every field, thresholds from NUMBERS.
      const tree = fullTree(
        5,
        ({ index }) => ({ field: names[index % names.length]!, operator: operator(index), value: NUMBERS[index % NUMBERS.length]! }),
        leaf,
      );
      const doc = treeWalkDocument(datumType(names), treeNodeType(names), tree);
      expect(specializedCalls(doc)).toEqual(compiled ? ['model.tree.simpleWalk'] : []);
      const inputs = records([...NUMBERS, 0.5, -3, 7]).map((r) => Object.fromEntries(names.map((n) => [n, r[n]])));
      const out = expectBackendsAgree(doc, inputs);
      expect(out.some((o) => 'value' in (o as object))).toBe(true);
      // The same trees as an ensemble: the flat walk, with the hostile leaves by node.
      const walk = { 'model.tree.simpleWalk': ['input', 'tree', SIMPLE_TEST] };
      const forest = {
        ...doc,
        output: { type: 'array', items: 'string' },
        cells: { forest: { type: { type: 'array', items: doc.cells.tree.type }, init: [tree, tree, tree] } },
        action: { 'a.map': [{ cell: 'forest' }, { params: [{ tree: 'N' }], ret: 'string', do: walk }] },
      };
      expect(specializedCalls(forest)).toEqual(compiled ? ['a.map'] : []);
      expect(expectBackendsAgree(forest, inputs).map((o) => (o as { value?: unknown[] }).value?.[0])).toEqual(
        out.map((o) => (o as { value?: unknown }).value),
      );
    }
  });

  it('linear models with every awkward number, scalar and vector, as kernels and as columnar plans', () => {
    const scalar = linearModel('scalar');
    const vector = linearModel('vector');
    const linear = { 'model.reg.linear': ['input', { cell: 'model' }] };
    const docs = [
      { input: ARRAY, output: 'double', cells: { model: { type: scalar, init: { coeff: NUMBERS, const: -0 } } }, action: linear },
      {
        input: ARRAY,
        output: ARRAY,
        cells: { model: { type: vector, init: { coeff: [NUMBERS, NUMBERS.map((x) => -x)], const: [NaN, -0] } } },
        action: { 'm.link.softmax': linear },
      },
    ];
    for (const doc of docs) {
      expect(specializedCalls(doc)).toContain('model.reg.linear');
      expectBackendsAgree(doc, vectors(NUMBERS.length));
      const [fast, plain] = [loadPfa(doc), loadPfa(doc, { backend: 'closures' })];
      expect(fast.columnar).toBe(true);
      const batch = vectors(NUMBERS.length).slice(0, -1);
      expect(fast.scoreBatch(batch)).toEqual(plain.scoreBatch(batch));
    }
  });

  it('neural layers and clusters with awkward numbers and hostile cluster ids', () => {
    const layer = LAYER;
    const layers = [
      { weights: [NUMBERS.slice(0, 4), NUMBERS.slice(4, 8)], bias: [-0, NaN] },
      { weights: [[1e308, -5e-324]], bias: [-0] },
    ];
    const neural = {
      input: ARRAY,
      output: ARRAY,
      cells: { layers: { type: { type: 'array', items: layer }, init: layers } },
      action: { 'model.neural.simpleLayers': ['input', { cell: 'layers' }, { fcn: 'm.link.logit' }] },
    };
    expect(specializedCalls(neural)).toEqual(['model.neural.simpleLayers']);
    expectBackendsAgree(neural, vectors(4));

    const cluster = {
      type: 'record',
      name: 'C',
      fields: [
        { name: 'center', type: ARRAY },
        { name: 'id', type: 'string' },
      ],
    };
    const clusters = HOSTILE.map((id, i) => ({ center: [NUMBERS[i % NUMBERS.length]!, NUMBERS[(i + 3) % NUMBERS.length]!, i], id }));
    const closest = {
      input: ARRAY,
      output: 'string',
      cells: { clusters: { type: { type: 'array', items: cluster }, init: clusters } },
      action: { attr: { 'model.cluster.closest': ['input', { cell: 'clusters' }] }, path: [{ string: 'id' }] },
    };
    expect(specializedCalls(closest)).toEqual(['model.cluster.closest']);
    const out = expectBackendsAgree(closest, [
      ...vectors(3),
      ...HOSTILE.map((_, i) => [NUMBERS[i % NUMBERS.length]!, NUMBERS[(i + 3) % NUMBERS.length]!, i]),
    ]);
    expect(new Set(out.map((o) => JSON.stringify(o))).size).toBeGreaterThan(3);
  });

  it('expression regions and the input check: hostile field names, string constants and numbers', () => {
    const input = {
      type: 'record',
      name: 'In',
      fields: [...NAMES.map((name) => ({ name, type: 'double' })), { name: 's', type: 'string' }, { name: 'm', type: ['null', 'double'] }],
    };
    // One cond per hostile string: a region far past the emitter's minimum size, with attr reads of every field.
    const clauses = HOSTILE.map((h, i) => ({
      if: {
        '&&': [
          { '==': ['input.s', { string: h }] },
          { '>': [{ attr: 'input', path: [{ string: NAMES[i % NAMES.length] }] }, { double: NUMBERS[i % NUMBERS.length] }] },
        ],
      },
      then: { 's.concat': [{ string: h }, { string: HOSTILE[(i + 1) % HOSTILE.length] }] },
    }));
    const doc = {
      input,
      output: 'string',
      action: [
        { let: { acc: { string: escapeTo('"; X; "') } } },
        {
          ifnotnull: { v: 'input.m' },
          then: { set: { acc: { if: { '<': ['v', { double: -0 }] }, then: { string: 'neg' }, else: { string: escapeTo('`${X}`') } } } },
        },
        { cond: clauses, else: [{ 's.concat': ['acc', 'input.s'] }] },
      ],
    };
    const inputs = HOSTILE.flatMap((s, i) =>
      [0, 1].map((k) => {
        const r = records([NUMBERS[(i + k) % NUMBERS.length]!])[0]!;
        for (const n of NAMES.slice(1)) r[n] = k === 0 ? Infinity : -Infinity;
        return Object.assign(r, { s, m: k === 0 ? null : NUMBERS[i % NUMBERS.length]! });
      }),
    );
    const out = expectBackendsAgree(doc, inputs);
    expect(out).toContainEqual({ value: `${HOSTILE[1]}${HOSTILE[2]}` });
    expect(new Set(out.map((o) => JSON.stringify(o))).size).toBeGreaterThan(HOSTILE.length / 2);
    // The input check refuses what does not fit the same way on both backends, and says so the same way.
    expectBackendsAgree(doc, [{ ...inputs[0], constructor: 'x' }, { s: 'no fields' }, JSON.parse('{"__proto__": 1}')]);
  });

  it('the action driver: a fold whose cells, counters and tally pass through hostile names and strings', () => {
    const doc = {
      name: 'constructor',
      metadata: { [escapeTo('"; X; "')]: escapeTo('};X;//') },
      input: 'string',
      output: { type: 'map', values: 'string' },
      method: 'fold',
      zero: { [escapeTo('};X;//')]: 'start' },
      cells: { [NAMES[0]!]: { type: 'string', init: escapeTo('x\u2028X\u2029y'), rollback: true } },
      action: [
        { cell: NAMES[0]!, to: { 's.concat': [{ cell: NAMES[0]! }, 'input'] } },
        { if: { '==': ['input', { string: 'fail' }] }, then: { error: escapeTo("'; X; '") } },
        { 'map.add': ['tally', { 's.concat': ['input', 'name'] }, { 's.concat': [{ cell: NAMES[0]! }, { 's.int': 'actionsStarted' }] }] },
      ],
      merge: { 'map.join': [{ new: ['tallyOne', 'tallyTwo'], type: { type: 'array', items: { type: 'map', values: 'string' } } }] },
    };
    const out = expectBackendsAgree(doc, [...HOSTILE, 'fail', 'after']);
    expect(out).toContainEqual({ error: 'user-error' });
  });
});
