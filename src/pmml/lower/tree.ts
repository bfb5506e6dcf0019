/**
 * TreeModel lowered to nested PFA conditionals: each node tests its children's predicates in order
 * and descends into the first that is true (binarySplit and multiSplit alike). A predicate that is UNKNOWN (a missing value) is handled
 * by the model's missingValueStrategy (weightedConfidence and aggregateNodes: tree-missing.ts); a node with no true child by its noTrueChildStrategy.
 * Every node's own prediction is a constant `Result` literal. Trees whose predicates are plain
 * tests are lowered to constant data instead (flat-tree.ts); this form is the fallback.
 */
import type { XmlElement } from '../xml.js';
import { childrenNamed } from '../xml.js';
import { NULL_RESULT, type Scope } from './context.js';
import type { Pfa } from './builder.js';
import { lowerPredicate, predicateChild } from './predicate.js';
import { floatMath } from './float.js';
import type { FamilyLowering } from './family.js';
import { lowerCombiningTree } from './tree-missing.js';
import { nodeResult } from './tree-node.js';
import { lowerFlatTree } from './flat-tree.js';

/** Child choices that are not a child: the node's own prediction, no prediction. */
const OWN = -1;
const NONE = -2;

export const lowerTree: FamilyLowering = (model, ctx, scope) => {
  const numeric = (model.attrs.functionName ?? 'regression') === 'regression';
  const float = floatMath(model);
  const missing = model.attrs.missingValueStrategy ?? 'none';
  const noTrueChild = model.attrs.noTrueChildStrategy ?? 'returnNullPrediction';
  const root = childrenNamed(model, 'Node')[0] ?? ctx.fail(model, 'pmml-invalid', 'TreeModel has no Node');
  // The depth of its Nodes was bounded before lowering started (document.ts checkNesting counts
  // every Node above a Node against the same maxTreeDepth), so it is not walked again per tree.
  if (missing === 'weightedConfidence' || missing === 'aggregateNodes') return lowerCombiningTree(model, root, missing, ctx, scope);
  if (!['none', 'lastPrediction', 'nullPrediction', 'defaultChild'].includes(missing))
    ctx.unsupported(model, `missingValueStrategy ${missing}`);
  // Trees of plain tests become constant data (flat-tree.ts); the nested conditionals below are for the rest.
  const flat = lowerFlatTree(model, root, ctx, scope);
  if (flat) return flat;

  const predicateOf = (node: XmlElement): XmlElement => predicateChild(node) ?? ctx.fail(node, 'pmml-invalid', 'Node has no predicate');

  /**
   * The result of a node whose predicate holds. The child to descend into is chosen first, as an
   * index (OWN: the node's own prediction, NONE: no prediction), and each child's subtree is then
   * written once: a default child reached on an UNKNOWN predicate is not written twice, so the
   * lowered size stays linear in the number of nodes.
   */
  const evaluate = (node: XmlElement): Pfa => {
    const children = childrenNamed(node, 'Node');
    if (children.length === 0) return nodeResult(node, ctx, numeric, float);
    const k = ctx.symbol('k');
    const branches = children.map((c, i) => ({ if: { '==': [k, i] }, then: evaluate(c) }));
    return {
      do: [
        { let: { [k]: choose(node, children, 0) } },
        { cond: [...branches, { if: { '==': [k, OWN] }, then: nodeResult(node, ctx, numeric, float) }], else: NULL_RESULT },
      ],
    };
  };

  /**
   * The index of the first child of `node` from `start` on whose predicate is true. Built from the
   * last child backwards, in a loop: a node may have any number of children.
   */
  const choose = (node: XmlElement, children: XmlElement[], start: number): Pfa => {
    // Children after the first True one are never reached.
    let end = children.length;
    for (let i = start; i < children.length; i++)
      if (predicateOf(children[i]!).name === 'True') {
        end = i;
        break;
      }
    let rest: Pfa = end < children.length ? end : noTrueChild === 'returnLastPrediction' ? OWN : NONE;
    const tests = new Map<number, Pfa>();
    // Predicates are lowered in document order, so symbols number as before.
    for (let i = start; i < end; i++) tests.set(i, lowerPredicate(predicateOf(children[i]!), ctx, scope as Scope));
    for (let i = end - 1; i >= start; i--) {
      const p = ctx.symbol('p');
      const test = tests.get(i)!;
      // An UNKNOWN predicate counts as false (strategy none), or decides the node's outcome at once.
      rest =
        missing === 'none'
          ? { if: { ifnotnull: { [p]: test }, then: p, else: false }, then: i, else: rest }
          : { ifnotnull: { [p]: test }, then: { if: p, then: i, else: rest }, else: onUnknown(node, children) };
    }
    return rest;
  };

  const onUnknown = (node: XmlElement, children: XmlElement[]): number => {
    switch (missing) {
      case 'lastPrediction':
        return OWN;
      case 'nullPrediction':
        return NONE;
      case 'defaultChild': {
        const i = children.findIndex((n) => n.attrs.id !== undefined && n.attrs.id === node.attrs.defaultChild);
        return i >= 0 ? i : OWN;
      }
      default:
        return ctx.unsupported(model, `missingValueStrategy ${missing}`);
    }
  };

  const rootPred = predicateOf(root);
  if (rootPred.name === 'True') return [evaluate(root)];
  const p = ctx.symbol('p');
  return [
    {
      ifnotnull: { [p]: lowerPredicate(rootPred, ctx, scope) },
      then: { if: p, then: evaluate(root), else: NULL_RESULT },
      else: NULL_RESULT,
    },
  ];
};
