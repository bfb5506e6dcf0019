/**
 * PFA documents that walk decision trees held in a cell, for the specs of the tree kernels and of
 * hostile code generation: the node record type, the `model.tree.simpleTest` wrapper, full trees
 * built by rule, and the document that walks one.
 */

/** A record type `D` of double fields with the given names. */
export function datumType(fields: readonly string[], name = 'D') {
  return { type: 'record', name, fields: fields.map((f) => ({ name: f, type: 'double' })) };
}

/**
 * The node record `N`: `field` (an enum of the datum's field names), `operator`, a double `value`,
 * and `pass`/`fail` branches that are a leaf (of `leaf` type) or another node.
 */
export function treeNodeType(fields: readonly string[], leaf: unknown = 'string') {
  return {
    type: 'record',
    name: 'N',
    fields: [
      { name: 'field', type: { type: 'enum', name: 'F', symbols: fields } },
      { name: 'operator', type: 'string' },
      { name: 'value', type: 'double' },
      { name: 'pass', type: [leaf, 'N'] },
      { name: 'fail', type: [leaf, 'N'] },
    ],
  };
}

/** `fcn(d: D, t: N) -> boolean` calling `model.tree.simpleTest(d, t)`. */
export const SIMPLE_TEST = { params: [{ d: 'D' }, { t: 'N' }], ret: 'boolean', do: { 'model.tree.simpleTest': ['d', 't'] } };

/** Where a node of a full tree sits: its index in breadth-first order, its level (0 at the root) and its path of `p`/`f` steps. */
export interface Position {
  readonly index: number;
  readonly level: number;
  readonly path: string;
}

/** What a split of a built tree tests. */
export interface SplitRule {
  readonly field: string;
  readonly operator: string;
  readonly value: number;
}

/**
 * A full tree `depth` levels deep, in Avro's JSON encoding for `treeNodeType` (a branch that is a
 * node is tagged `{"N": ...}`; `leaf` gives a leaf already tagged). The root is returned untagged,
 * as a cell of type N holds it; a tree of depth 0 is its one leaf.
 */
export function fullTree(depth: number, split: (at: Position) => SplitRule, leaf: (at: Position) => unknown): unknown {
  const build = (at: Position): unknown => {
    if (at.level === depth) return leaf(at);
    const child = (step: 'p' | 'f', k: number) => {
      const next = build({ index: 2 * at.index + k, level: at.level + 1, path: at.path + step });
      return at.level + 1 === depth ? next : { N: next };
    };
    return { ...split(at), pass: child('p', 1), fail: child('f', 2) };
  };
  return build({ index: 0, level: 0, path: '' });
}

/** A document walking the tree in cell `tree` (of type N) over its input (of type D) with SIMPLE_TEST; `extra` replaces members. */
export function treeWalkDocument(datum: object, node: object, init: unknown, extra: object = {}) {
  return {
    input: datum,
    output: 'string',
    cells: { tree: { type: node, init } },
    action: { 'model.tree.simpleWalk': ['input', { cell: 'tree' }, SIMPLE_TEST] },
    ...extra,
  };
}
