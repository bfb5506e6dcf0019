/**
 * TreeModel lowered to nested PFA conditionals: each node tests its children's predicates in order
 * and descends into the first that is true. A predicate that is UNKNOWN (a missing value) is handled
 * by the model's missingValueStrategy; a node with no true child by its noTrueChildStrategy.
 * Every node's own prediction is a constant `Result` literal.
 */
import type { XmlElement } from '../xml.js';
import { childrenNamed } from '../xml.js';
import { LowerContext, Scope, parseNumber, type Pfa } from './context.js';
import { isPredicate, lowerPredicate } from './predicate.js';
import type { FamilyLowering } from './model.js';

const NULL_RESULT: Pfa = { type: 'Result', value: { number: null, label: null, probs: {}, entity: null, affinities: {}, reasons: [] } };

/** The constant prediction of one node: its score, its score distribution and its id. */
export function nodeResult(node: XmlElement, ctx: LowerContext, numeric: boolean): Pfa {
  const score = node.attrs.score;
  const dist = childrenNamed(node, 'ScoreDistribution');
  const counts = dist.map((d) => ctx.number(d, 'recordCount', 0));
  const total = counts.reduce((a, b) => a + b, 0);
  const probs: Record<string, number> = {};
  dist.forEach((d, i) => {
    const p = d.attrs.probability !== undefined ? ctx.number(d, 'probability') : total > 0 ? counts[i]! / total : 0;
    probs[ctx.attr(d, 'value')] = p;
  });
  let number: number | null = null;
  if (numeric && score !== undefined) number = parseNumber(score) ?? ctx.fail(node, 'pmml-bad-value', `tree score is not a number: ${score}`);
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
  const missing = model.attrs.missingValueStrategy ?? 'none';
  const noTrueChild = model.attrs.noTrueChildStrategy ?? 'returnNullPrediction';
  if (missing === 'weightedConfidence' || missing === 'aggregateNodes') ctx.unsupported(model, `missingValueStrategy ${missing}`);
  const root = childrenNamed(model, 'Node')[0] ?? ctx.fail(model, 'pmml-invalid', 'TreeModel has no Node');

  const predicateOf = (node: XmlElement): XmlElement => node.children.find(isPredicate) ?? ctx.fail(node, 'pmml-invalid', 'Node has no predicate');

  /** The result of a node whose predicate holds. */
  const evaluate = (node: XmlElement): Pfa => {
    const children = childrenNamed(node, 'Node');
    if (children.length === 0) return nodeResult(node, ctx, numeric);
    return chain(node, children, 0);
  };

  /** Tries children i, i+1, ... of `node`. */
  const chain = (node: XmlElement, children: XmlElement[], i: number): Pfa => {
    if (i === children.length) return noTrueChild === 'returnLastPrediction' ? nodeResult(node, ctx, numeric) : NULL_RESULT;
    const c = children[i]!;
    const pred = predicateOf(c);
    if (pred.name === 'True') return evaluate(c);
    const rest = (): Pfa => chain(node, children, i + 1);
    const p = ctx.symbol('p');
    return { ifnotnull: { [p]: lowerPredicate(pred, ctx, scope as Scope) }, then: { if: p, then: evaluate(c), else: rest() }, else: onUnknown(node, rest) };
  };

  const onUnknown = (node: XmlElement, rest: () => Pfa): Pfa => {
    switch (missing) {
      case 'lastPrediction':
        return nodeResult(node, ctx, numeric);
      case 'nullPrediction':
        return NULL_RESULT;
      case 'defaultChild': {
        const id = node.attrs.defaultChild;
        const target = id === undefined ? undefined : childrenNamed(node, 'Node').find((n) => n.attrs.id === id);
        return target ? evaluate(target) : nodeResult(node, ctx, numeric);
      }
      default:
        return rest();
    }
  };

  const rootPred = predicateOf(root);
  if (rootPred.name === 'True') return [evaluate(root)];
  const p = ctx.symbol('p');
  return [{ ifnotnull: { [p]: lowerPredicate(rootPred, ctx, scope) }, then: { if: p, then: evaluate(root), else: NULL_RESULT }, else: NULL_RESULT }];
};
