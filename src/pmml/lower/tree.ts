/**
 * TreeModel lowered to nested PFA conditionals: each node tests its children's predicates in order
 * and descends into the first that is true (binarySplit and multiSplit alike). A predicate that is UNKNOWN (a missing value) is handled
 * by the model's missingValueStrategy (weightedConfidence and aggregateNodes: tree-missing.ts); a node with no true child by its noTrueChildStrategy.
 * Every node's own prediction is a constant `Result` literal.
 */
import type { XmlElement } from '../xml.js';
import { childrenNamed } from '../xml.js';
import { NULL_RESULT, LowerContext, Scope, parseNumber, type Pfa } from './context.js';
import { isPredicate, lowerPredicate } from './predicate.js';
import { floatConstant, floatMath } from './float.js';
import type { FamilyLowering } from './model.js';
import { lowerCombiningTree } from './tree-missing.js';

/** Child choices that are not a child: the node's own prediction, no prediction. */
const OWN = -1;
const NONE = -2;

/** The per-category probabilities of a node's score distribution: as given, else recordCount shares. */
function distribution(node: XmlElement, ctx: LowerContext): Record<string, number> {
  const dist = childrenNamed(node, 'ScoreDistribution');
  const counts = dist.map((d) => ctx.number(d, 'recordCount', 0));
  const total = counts.reduce((a, b) => a + b, 0);
  const probs: Record<string, number> = {};
  dist.forEach((d, i) => {
    const p = d.attrs.probability !== undefined ? ctx.number(d, 'probability') : total > 0 ? counts[i]! / total : 0;
    probs[ctx.attr(d, 'value')] = p;
  });
  return probs;
}

/** The constant prediction of one node: its score (a float32 in a float model), its score distribution (or `probs`) and its id. */
export function nodeResult(node: XmlElement, ctx: LowerContext, numeric: boolean, float: boolean, probs = distribution(node, ctx)): Pfa {
  const score = node.attrs.score;
  let number: number | null = null;
  if (numeric && score !== undefined) number = floatConstant(parseNumber(score) ?? ctx.fail(node, 'pmml-bad-value', `tree score is not a number: ${score}`), float);
  return {
    type: 'Result',
    value: {
      number: number === null ? null : { double: number },
      label: !numeric && score !== undefined ? { string: score } : null,
      probs,
      entity: node.attrs.id !== undefined ? { string: node.attrs.id } : null,
      affinities: {},
      reasons: [],
    },
  };
}

export const lowerTree: FamilyLowering = (model, ctx, scope) => {
  const numeric = (model.attrs.functionName ?? 'regression') === 'regression';
  const float = floatMath(model);
  const missing = model.attrs.missingValueStrategy ?? 'none';
  const noTrueChild = model.attrs.noTrueChildStrategy ?? 'returnNullPrediction';
  const root = childrenNamed(model, 'Node')[0] ?? ctx.fail(model, 'pmml-invalid', 'TreeModel has no Node');
  if (missing === 'weightedConfidence' || missing === 'aggregateNodes') return lowerCombiningTree(model, root, missing, ctx, scope);
  if (!['none', 'lastPrediction', 'nullPrediction', 'defaultChild'].includes(missing)) ctx.unsupported(model, `missingValueStrategy ${missing}`);

  const predicateOf = (node: XmlElement): XmlElement => node.children.find(isPredicate) ?? ctx.fail(node, 'pmml-invalid', 'Node has no predicate');

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
    return { do: [{ let: { [k]: choose(node, children, 0) } }, { cond: [...branches, { if: { '==': [k, OWN] }, then: nodeResult(node, ctx, numeric, float) }], else: NULL_RESULT }] };
  };

  /** The index of the first child of `node` from `i` on whose predicate is true. */
  const choose = (node: XmlElement, children: XmlElement[], i: number): Pfa => {
    if (i === children.length) return noTrueChild === 'returnLastPrediction' ? OWN : NONE;
    const pred = predicateOf(children[i]!);
    if (pred.name === 'True') return i;
    const rest = choose(node, children, i + 1);
    const p = ctx.symbol('p');
    const test = lowerPredicate(pred, ctx, scope as Scope);
    // An UNKNOWN predicate counts as false (strategy none), or decides the node's outcome at once.
    if (missing === 'none') return { if: { ifnotnull: { [p]: test }, then: p, else: false }, then: i, else: rest };
    return { ifnotnull: { [p]: test }, then: { if: p, then: i, else: rest }, else: onUnknown(node, children) };
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
  return [{ ifnotnull: { [p]: lowerPredicate(rootPred, ctx, scope) }, then: { if: p, then: evaluate(root), else: NULL_RESULT }, else: NULL_RESULT }];
};
