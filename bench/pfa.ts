/**
 * Model descriptions as PFA documents, written the way model converters write them: parameters in
 * cells that the action only reads, trees walked with `model.tree.simpleWalk`, ensembles as
 * `a.map` over an array of trees.
 */
import type { ModelSpec, TreeNode } from './models.js';

const TREE_TYPE = (features: number) => ({
  type: 'record',
  name: 'TreeNode',
  fields: [
    { name: 'field', type: { type: 'enum', name: 'Feature', symbols: Array.from({ length: features }, (_, i) => `f${i}`) } },
    { name: 'operator', type: 'string' },
    { name: 'value', type: 'double' },
    { name: 'pass', type: ['double', 'TreeNode'] },
    { name: 'fail', type: ['double', 'TreeNode'] },
  ],
});

const DATUM = (features: number) => ({
  type: 'record',
  name: 'Datum',
  fields: Array.from({ length: features }, (_, i) => ({ name: `f${i}`, type: 'double' })),
});

/** A tree node in Avro's JSON encoding (union branches tagged). */
function treeJson(node: TreeNode): unknown {
  const branch = (b: TreeNode | number) => (typeof b === 'number' ? { double: b } : { TreeNode: treeJson(b) });
  return { field: `f${node.feature}`, operator: '<', value: node.threshold, pass: branch(node.pass), fail: branch(node.fail) };
}

const SIMPLE_TEST = { params: [{ d: 'Datum' }, { t: 'TreeNode' }], ret: 'boolean', do: { 'model.tree.simpleTest': ['d', 't'] } };

/** The scores of every tree of the `forest` cell, as `a.map` over the cell. */
const treeScores = {
  'a.map': [
    { cell: 'forest' },
    { params: [{ tree: 'TreeNode' }], ret: 'double', do: { 'model.tree.simpleWalk': ['input', 'tree', SIMPLE_TEST] } },
  ],
};

export function pfaDocument(name: string, spec: ModelSpec): object {
  const doc = { name: name.replace(/[^A-Za-z0-9_]/g, '_') };
  switch (spec.kind) {
    case 'tree':
      return {
        ...doc,
        input: DATUM(spec.features),
        output: 'double',
        cells: { tree: { type: TREE_TYPE(spec.features), init: treeJson(spec.tree) } },
        action: { 'model.tree.simpleWalk': ['input', { cell: 'tree' }, SIMPLE_TEST] },
      };
    case 'forest':
    case 'gbm': {
      const cells = { forest: { type: { type: 'array', items: TREE_TYPE(spec.features) }, init: spec.trees.map(treeJson) } };
      const action =
        spec.kind === 'forest' ? { 'a.mean': [treeScores] } : { 'm.link.logit': { '+': [spec.base, { 'a.sum': [treeScores] }] } };
      return { ...doc, input: DATUM(spec.features), output: 'double', cells, action };
    }
    case 'linear': {
      const vectorOut = spec.link === 'softmax';
      const type = vectorOut
        ? {
            type: 'record',
            name: 'Model',
            fields: [
              { name: 'coeff', type: { type: 'array', items: { type: 'array', items: 'double' } } },
              { name: 'const', type: { type: 'array', items: 'double' } },
            ],
          }
        : {
            type: 'record',
            name: 'Model',
            fields: [
              { name: 'coeff', type: { type: 'array', items: 'double' } },
              { name: 'const', type: 'double' },
            ],
          };
      const init = vectorOut ? { coeff: spec.coeff, const: spec.constant } : { coeff: spec.coeff[0], const: spec.constant[0] };
      const linear = { 'model.reg.linear': ['input', { cell: 'model' }] };
      const action = spec.link === 'none' ? linear : { [`m.link.${spec.link}`]: linear };
      return {
        ...doc,
        input: { type: 'array', items: 'double' },
        output: vectorOut ? { type: 'array', items: 'double' } : 'double',
        cells: { model: { type, init } },
        action,
      };
    }
    case 'nn': {
      const layer = {
        type: 'record',
        name: 'Layer',
        fields: [
          { name: 'weights', type: { type: 'array', items: { type: 'array', items: 'double' } } },
          { name: 'bias', type: { type: 'array', items: 'double' } },
        ],
      };
      return {
        ...doc,
        input: { type: 'array', items: 'double' },
        output: { type: 'array', items: 'double' },
        cells: { layers: { type: { type: 'array', items: layer }, init: spec.layers } },
        action: { 'model.neural.simpleLayers': ['input', { cell: 'layers' }, { fcn: 'm.link.logit' }] },
      };
    }
    case 'kmeans': {
      const cluster = {
        type: 'record',
        name: 'Cluster',
        fields: [
          { name: 'center', type: { type: 'array', items: 'double' } },
          { name: 'id', type: 'string' },
        ],
      };
      return {
        ...doc,
        input: { type: 'array', items: 'double' },
        output: 'string',
        cells: { clusters: { type: { type: 'array', items: cluster }, init: spec.centers.map((center, i) => ({ center, id: `c${i}` })) } },
        action: { attr: { 'model.cluster.closest': ['input', { cell: 'clusters' }] }, path: [{ string: 'id' }] },
      };
    }
  }
}

/**
 * The document's JSON text as a service reads it from a file: one flat string. JSON.stringify
 * returns a string of many joined pieces, which the first read of a character copies into one
 * (6.7 ms for the 2.2 MB 300-tree document, in a fresh process): timed as part of a load, that
 * copy is the benchmark's, not a user's.
 */
export function pfaText(name: string, spec: ModelSpec): string {
  return Buffer.from(JSON.stringify(pfaDocument(name, spec)), 'utf8').toString('utf8');
}
