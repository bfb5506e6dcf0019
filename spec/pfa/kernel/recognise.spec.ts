import { describe, expect, it } from 'vitest';
import { checkPfaSource } from '../../../src/pfa/load.js';
import { Compiler } from '../../../src/pfa/compile/compiler.js';
import { RuntimeLink } from '../../../src/pfa/compile/runtime.js';
import type { SpecializeCall } from '../../../src/pfa/compile/specialize/call.js';
import { recogniseAction, recogniseCall } from '../../../src/pfa/kernel/recognise.js';
import type { Program } from '../../../src/pfa/kernel/ir.js';
import link from '../../../src/pfa/lib/m/link.js';

const ARRAY = { type: 'array', items: 'double' };
const MATRIX = { type: 'array', items: ARRAY };
const MAP = { type: 'map', values: 'double' };
const LAYERS = {
  type: 'array',
  items: {
    type: 'record',
    name: 'L',
    fields: [
      { name: 'weights', type: MATRIX },
      { name: 'bias', type: ARRAY },
    ],
  },
};
const layers = {
  type: LAYERS,
  init: [
    {
      weights: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      bias: [0, 1, 2],
    },
    { weights: [[1, -1, 0]], bias: [0.5] },
  ],
};
const CLUSTERS = { type: 'array', items: { type: 'record', name: 'C', fields: [{ name: 'center', type: ARRAY }] } };
const clusters = { type: CLUSTERS, init: [{ center: [0, 0] }, { center: [1, 1] }] };

/** The programs recognised for each library call of the action, by function name, and the action's own. */
function recognised(doc: object): { calls: Record<string, Program | undefined>; action: Program | undefined } {
  const checked = checkPfaSource(doc);
  const calls: Record<string, Program | undefined> = {};
  const compiler = new Compiler(checked, new RuntimeLink(), (call: SpecializeCall) => {
    calls[call.target.fn.name] = recogniseCall(call)?.program;
    return undefined;
  });
  compiler.body(checked.doc.action);
  return { calls, action: recogniseAction(compiler.specializeContext) };
}

const ops = (p: Program | undefined) => p?.steps.map((s) => (s.op === 'link' ? `link ${s.link}` : s.op));

describe('the kernel recogniser', () => {
  it('reads a network activation that references a declared link as that link, any other as the call argument', () => {
    const net = (activation: unknown) => ({
      input: ARRAY,
      output: ARRAY,
      cells: { layers },
      action: { 'model.neural.simpleLayers': ['input', { cell: 'layers' }, activation] },
    });
    expect(ops(recognised(net({ fcn: 'm.link.relu' })).calls['model.neural.simpleLayers'])).toEqual(['affine', 'link relu', 'affine']);
    const inline = { params: [{ v: 'double' }], ret: 'double', do: 'v' };
    const { calls, action } = recognised(net(inline));
    expect(ops(calls['model.neural.simpleLayers'])).toEqual(['affine', 'activation', 'affine']);
    expect(action).toMatchObject({ width: 2, outputs: 1, result: 'vector' });
  });

  it('follows the declared signatures: dense linear models and metric-free clusters are kernels, sparse and metric ones are not', () => {
    const model = (coeff: unknown, c: unknown) => ({
      type: {
        type: 'record',
        name: 'M',
        fields: [
          { name: 'coeff', type: coeff },
          { name: 'const', type: c },
        ],
      },
      init: { coeff: coeff === ARRAY ? [1, 2] : { a: 1 }, const: 0 },
    });
    expect(
      recognised({
        input: ARRAY,
        output: 'double',
        cells: { m: model(ARRAY, 'double') },
        action: { 'model.reg.linear': ['input', { cell: 'm' }] },
      }).calls['model.reg.linear'],
    ).toMatchObject({ width: 2, result: 'scalar' });
    expect(
      recognised({
        input: MAP,
        output: 'double',
        cells: { m: model(MAP, 'double') },
        action: { 'model.reg.linear': ['input', { cell: 'm' }] },
      }).calls['model.reg.linear'],
    ).toBeUndefined();
    const closest = recognised({
      input: ARRAY,
      output: 'C',
      cells: { clusters },
      action: { 'model.cluster.closest': ['input', { cell: 'clusters' }] },
    });
    expect(ops(closest.calls['model.cluster.closest'])).toEqual(['closest']);
    expect(closest.action).toMatchObject({ result: 'index', pick: clusters.init });
    const metric = { fcn: 'metric.simpleEuclidean' };
    expect(
      recognised({
        input: ARRAY,
        output: 'C',
        cells: { clusters },
        action: { 'model.cluster.closest': ['input', { cell: 'clusters' }, metric] },
      }).calls['model.cluster.closest'],
    ).toBeUndefined();
  });

  it('builds no program for models that do not fit their shape, or that a document may change', () => {
    const ragged = { ...layers, init: [{ weights: [[1, 2], [3]], bias: [0, 1] }] };
    expect(
      recognised({
        input: ARRAY,
        output: ARRAY,
        cells: { layers: ragged },
        action: { 'model.neural.simpleLayers': ['input', { cell: 'layers' }, { fcn: 'm.link.logit' }] },
      }).calls['model.neural.simpleLayers'],
    ).toBeUndefined();
    const unchained = { ...layers, init: [layers.init[0], { weights: [[1, 2]], bias: [0] }] };
    expect(
      recognised({
        input: ARRAY,
        output: ARRAY,
        cells: { layers: unchained },
        action: { 'model.neural.simpleLayers': ['input', { cell: 'layers' }, { fcn: 'm.link.logit' }] },
      }).action,
    ).toBeUndefined();
    const written = {
      input: ARRAY,
      output: 'C',
      cells: { clusters },
      action: [
        { cell: 'clusters', to: { type: CLUSTERS, value: [{ center: [2, 2] }] } },
        { 'model.cluster.closest': ['input', { cell: 'clusters' }] },
      ],
    };
    expect(recognised(written).calls['model.cluster.closest']).toBeUndefined();
  });

  it('chains links and softmax after model steps in an action, but not over the bare input', () => {
    const model = {
      type: {
        type: 'record',
        name: 'V',
        fields: [
          { name: 'coeff', type: MATRIX },
          { name: 'const', type: ARRAY },
        ],
      },
      init: {
        coeff: [
          [1, 2],
          [0, 1],
        ],
        const: [0, 1],
      },
    };
    const reg = { 'model.reg.linear': ['input', { cell: 'm' }] };
    expect(
      ops(recognised({ input: ARRAY, output: ARRAY, cells: { m: model }, action: { 'm.link.softmax': { 'm.link.cloglog': reg } } }).action),
    ).toEqual(['affine', 'link cloglog', 'softmax']);
    expect(recognised({ input: ARRAY, output: ARRAY, action: { 'm.link.softmax': 'input' } }).action).toBeUndefined();
  });

  it('has every element-wise link of m.link declared, over a double and an array', () => {
    for (const f of link.functions) {
      expect(f.def.kernel, f.name).toBeDefined();
      expect(f.def.kernel!.sigs).toEqual(f.name === 'm.link.softmax' ? [0] : [0, 1]);
    }
  });
});
